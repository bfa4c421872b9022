import AssayCore
import AssayEngine
import AssayProviders
import Foundation
import Testing

/// A trial with one score.
func labelledTrial(_ caseID: String, sample: Int = 0, route: String = "support", score: Score) -> TrialRecord {
    TrialRecord(
        runID: "r", caseID: caseID, sample: sample, route: route, output: Output(text: "x", latency: 0.1), error: nil,
        scores: [score], cacheKey: nil, cached: false, attempts: 1, startedAt: Date(), finishedAt: Date()
    )
}

@Suite struct AggregatorInsightTests {
    @Test func refusalRatesAreReportedSeparately() throws {
        // Given refusal labels: 10 answer cases (2 over-refused, 1 over-escalated), 5 refuse cases (1 answered),
        // 2 escalate cases (both escalated) and one unmeasured
        var labels = Array(repeating: "correct_answer", count: 7) + ["over_refusal", "over_refusal", "over_escalation"]
        labels += Array(repeating: "correct_refusal", count: 4) + ["under_refusal"]
        labels += ["correct_escalation", "correct_escalation"]
        var trials = labels.enumerated().map { index, label in
            labelledTrial("c\(index)", score: .scored("refusal", passed: label.hasPrefix("correct_"), label: label, explanation: label))
        }
        trials.append(labelledTrial("u", score: .unmeasured("refusal", reason: "case has no expected_outcome")))

        // When the run is summarised
        let cell = try #require(Aggregator.summarize(run: runRecord("r"), trials: trials, gates: [:]).cells.first)

        // Then over- and under-refusal have their own denominators, and the unmeasured trial is in neither
        let refusal = try #require(cell.refusal)
        #expect(refusal.overRefusal == LabelRate(count: 3, of: 10))
        #expect(refusal.underRefusal == LabelRate(count: 1, of: 5))
        #expect(refusal.missedEscalation == LabelRate(count: 0, of: 2))
        #expect(cell.pairwise == nil)
    }

    @Test func pairwiseTallyGivesPositionConsistency() throws {
        let labels = ["win", "win", "win", "tie", "loss", "inconsistent", "inconsistent", "win"]
        let trials = labels.enumerated().map { index, label in
            labelledTrial("c\(index)", score: .scored("vs-baseline", passed: label != "loss", label: label, explanation: label))
        }
        let cell = try #require(Aggregator.summarize(run: runRecord("r"), trials: trials, gates: [:]).cells.first)
        let tally = try #require(cell.pairwise)
        #expect(tally == PairwiseTally(wins: 4, ties: 1, losses: 1, inconsistent: 2))
        #expect(tally.positionConsistency == 0.75)
        #expect(cell.refusal == nil)
    }

    @Test func worstCaseFailureCountsCasesFailingAnySample() throws {
        // Given 4 cases x 3 samples on a high-risk route: one case always fails, one fails once
        var trials: [TrialRecord] = []
        for caseIndex in 0..<4 {
            for sample in 0..<3 {
                let passed = !(caseIndex == 0 || (caseIndex == 1 && sample == 2))
                trials.append(labelledTrial("c\(caseIndex)", sample: sample, route: "refunds", score: .scored("correct", passed: passed, explanation: "")))
            }
        }

        // When summarised with the route marked high-risk
        let summary = Aggregator.summarize(run: runRecord("r"), trials: trials, gates: [:], highRiskRoutes: ["refunds"])
        let cell = try #require(summary.cells.first)

        // Then 2 of 4 cases failed at least once, while the trial failure rate is 4 of 12
        #expect(cell.worstCaseFailureRate == 0.5)
        #expect(cell.highRisk)
        #expect(cell.passRate == 8.0 / 12.0)
    }

    @Test func judgeCallsTokensAndSavingsAreSummed() throws {
        var first = Score.scored("judged", passed: true, explanation: "")
        first.calls = 2
        first.usage = TokenUsage(promptTokens: 100, completionTokens: 10)
        var second = Score.scored("judged", passed: false, explanation: "")
        second.savedCalls = 2
        let cell = try #require(Aggregator.summarize(
            run: runRecord("r"), trials: [labelledTrial("a", score: first), labelledTrial("b", score: second)], gates: [:]
        ).cells.first)
        #expect(cell.judgeCalls == 2 && cell.savedCalls == 2)
        #expect(cell.judgeTokens == TokenUsage(promptTokens: 100, completionTokens: 10))
    }
}

@Suite struct RouteToolsTests {
    static let yaml = """
        name: tools
        targets:
          - {name: bot, provider: openai, base_url: "http://127.0.0.1:9/v1", model: m, parameters: {temperature: 0, max_tokens: 64}}
        datasets: [cases.jsonl]
        prompt: {user: "{{input}}"}
        rubric: [{type: tool_calls}]
        routes:
          orders:
            risk: high
            parameters: {tool_choice: required, max_tokens: 128}
            tools:
              - {type: function, function: {name: lookup_order, parameters: {type: object, properties: {order_id: {type: string}}}}}
        """

    func suite(_ yaml: String) throws -> Suite {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-tools-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(#"{"id": "o1", "route": "orders", "input": "Where is A1234?", "expected_tool_calls": [{"name": "lookup_order", "arguments": {"order_id": "A1234"}}]}"#.utf8)
            .write(to: folder.appendingPathComponent("cases.jsonl"))
        let url = folder.appendingPathComponent("assay.yaml")
        try Data(yaml.utf8).write(to: url)
        return try SuiteLoader.load(path: url.path)
    }

    @Test func routeToolsAndParametersReachTheRequestAndItsCacheKey() throws {
        // Given a route that offers a tool and forces a call
        let suite = try suite(Self.yaml)
        let plan = try RunPlan(suite: suite, target: suite.targets[0])
        let request = try #require(plan.trials.first?.request)

        // Then the request carries them, the target's body merges them over its own, and the route is high-risk
        #expect(request.tools?.arrayValue?.count == 1)
        #expect(request.parameters["tool_choice"] == .string("required"))
        let box = HTTPClientBox(concurrency: 1)
        defer { Task { await box.shutdown() } }
        let body = try #require(OpenAITarget(config: suite.targets[0], client: box.client).cacheIdentity(for: request)?["body"])
        #expect(body["tool_choice"] == .string("required"))
        #expect(body["max_tokens"]?.numberValue == 128 && body["temperature"]?.numberValue == 0)
        #expect(body["tools"]?.arrayValue?.first?["function"]?["name"] == .string("lookup_order"))
        #expect(suite.highRiskRoutes == ["orders"])
    }

    @Test func aToolWithoutANameIsAnErrorAtItsLine() throws {
        let broken = Self.yaml.replacingOccurrences(of: "{name: lookup_order, parameters", with: "{parameters")
        do {
            _ = try suite(broken)
            Issue.record("expected a config error")
        } catch let error as AssayError {
            #expect(error.category == .config)
            #expect(error.location?.line == 12)
            #expect(error.description.contains("needs a 'name'"))
        }
    }
}
