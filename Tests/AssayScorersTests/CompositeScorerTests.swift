import AssayCore
import AssayProviders
import AssayTestSupport
import Foundation
import Testing
@testable import AssayScorers

@Suite struct AggregateScorerTests {
    static let members = """
        scorers:
          - {name: refund, type: contains, value: refund}
          - {name: days, type: contains, value: "30 days"}
          - {name: polite, type: contains, value: please, ignore_case: true, weight: 2}
        """

    @Test(arguments: [
        ("all", "Please ask for a refund within 30 days.", true),
        ("all", "Ask for a refund within 30 days.", false),
        ("any", "Please.", true),
        ("any", "Nothing relevant.", false),
        // majority by weight: polite (2) outweighs refund + days (1 + 1) only together with one of them.
        ("majority", "Please ask for a refund.", true),
        ("majority", "Refund within 30 days.", false),
    ])
    func modesCombineVerdicts(mode: String, output: String, passes: Bool) async throws {
        // Given an aggregate of three contains checks
        let scorer = try makeScorer("type: aggregate\nmode: \(mode)\n" + Self.members)

        // When it scores the output
        let result = await score(scorer, output)

        // Then the mode decides
        #expect(verdict(result) == passes, "\(mode): \(result.explanation)")
        #expect(result.explanation.contains("refund") && result.explanation.contains("polite"))
    }

    @Test func weightedMeanMeetsTheThreshold() async throws {
        // Given a weighted aggregate of a similarity value and a check
        let scorer = try makeScorer("""
            type: aggregate
            mode: weighted
            threshold: 0.6
            scorers:
              - {type: token_f1, weight: 3}
              - {type: contains, value: refund, weight: 1}
            """)

        // When an output half-overlaps the reference and mentions a refund
        let result = await score(scorer, "refund in thirty days", expected: "refund in 30 days")

        // Then the value is the weighted mean (3 x 0.75 + 1 x 1) / 4 and passes 0.6
        let value = try #require(result.value)
        #expect(abs(value - (3 * 0.75 + 1) / 4) < 1e-9)
        #expect(result.passed == true)
    }

    @Test func unmeasuredMembersDecideOnlyWhenTheyCannotChangeTheVerdict() async throws {
        // Given an aggregate where one member needs an expected answer the case lacks
        let all = try makeScorer("type: aggregate\nmode: all\nscorers:\n  - {type: equals}\n  - {type: contains, value: refund}")
        let any = try makeScorer("type: aggregate\nmode: any\nscorers:\n  - {type: equals}\n  - {type: contains, value: refund}")

        // When the other member fails (all) or passes (any), the verdict cannot change
        let allFails = await score(all, "no")
        let anyPasses = await score(any, "a refund")
        // and when it passes (all) or fails (any), it could
        let allOpen = await score(all, "a refund")
        let anyOpen = await score(any, "no")

        // Then the first two are scored and the others unmeasured, naming the missing member
        #expect(verdict(allFails) == false)
        #expect(verdict(anyPasses) == true)
        #expect(allOpen.status.reason?.contains("depends on unmeasured equals") == true)
        #expect(anyOpen.status.reason?.contains("depends on unmeasured equals") == true)
        for result in [allFails, anyPasses, allOpen, anyOpen] { checkInvariants(result) }
    }

    @Test func nothingScoredIsNeverAPassEvenAtThresholdZero() async throws {
        let scorer = try makeScorer("type: aggregate\nmode: weighted\nthreshold: 0\nscorers:\n  - {type: equals}\n  - {type: token_f1}")
        let result = await score(scorer, "anything")
        #expect(result.status.reason?.hasPrefix("no member could score") == true)
        checkInvariants(result)
    }

    @Test(arguments: [
        ("type: aggregate\nscorers:\n  - {type: equals}\n  - {type: contains, value: a}", 2, "needs 'mode'"),
        ("type: aggregate\nmode: majorty\nscorers:\n  - {type: equals}\n  - {type: contains, value: a}", 3, "did you mean 'majority'"),
        ("type: aggregate\nmode: all\nscorers:\n  - {type: equals}", 5, "at least 2 scorers"),
        ("type: aggregate\nmode: all\nscorers:\n  - {type: equals, weight: -1}\n  - {type: contains, value: a}", 5, "positive number"),
        ("type: aggregate\nmode: all\nscorers:\n  - {type: equals}\n  - {type: contains, valeu: a}", 6, "valeu"),
        ("type: aggregate\nmode: all\nscorers:\n  - {type: equals, gate: 0.9}\n  - {type: contains, value: a}", 5, "cannot have its own gate"),
    ])
    func configurationErrorsNameTheLine(yaml: String, line: Int, fragment: String) throws {
        let error = try #require(configError(yaml))
        #expect(error.category == .config)
        #expect(error.location?.line == line, "\(error)")
        #expect(error.description.contains(fragment), "\(error)")
    }
}

@Suite struct CascadeScorerTests {
    @Test func anEarlyDecisiveStageEndsTheCascade() async throws {
        // Given a cascade whose first stage decides on a pass only
        let scorer = try makeScorer("""
            type: cascade
            scorers:
              - {name: exact, type: contains, value: "30 days", decides: pass}
              - {name: loose, type: contains_any, values: [thirty, month]}
            """)

        // When the cheap stage passes, a miss falls through, and both miss
        let early = await score(scorer, "within 30 days")
        let late = await score(scorer, "within thirty days")
        let neither = await score(scorer, "whenever you like")

        // Then the verdict comes from the deciding stage and the trail is explained
        #expect(verdict(early) == true && early.explanation.contains("decided by exact (stage 1 of 2)"))
        #expect(verdict(late) == true && late.explanation.contains("decided by loose (stage 2 of 2)"))
        #expect(verdict(neither) == false)
        for result in [early, late, neither] {
            #expect(result.scorer == "cascade")
            checkInvariants(result)
        }
    }

    @Test func unmeasuredAndBandedStagesLeaveTheVerdictOpen() async throws {
        // Given a similarity stage that is open between 0.3 and 0.8, then an exact check
        let scorer = try makeScorer("""
            type: cascade
            scorers:
              - {type: token_f1, open_between: [0.3, 0.8]}
              - {type: contains, value: refund}
            """)

        // When the similarity is clear, in the band, or unmeasurable (no expected answer)
        let clear = await score(scorer, "refund in 30 days", expected: "refund in 30 days")
        let banded = await score(scorer, "a refund in thirty days", expected: "refund in 30 days")
        let unmeasured = await score(scorer, "no refund")

        // Then only the clear one is decided by the first stage
        #expect(clear.explanation.contains("decided by token_f1"))
        #expect(banded.explanation.contains("decided by contains"))
        #expect(unmeasured.explanation.contains("decided by contains") && verdict(unmeasured) == true)
    }

    @Test func noStageScoringIsUnmeasured() async throws {
        let scorer = try makeScorer("type: cascade\nscorers:\n  - {type: equals}\n  - {type: token_f1}")
        let result = await score(scorer, "anything")
        #expect(result.status.reason?.hasPrefix("no stage could score") == true)
        checkInvariants(result)
    }

    @Test func judgeCallsOfSkippedStagesAreSaved() async throws {
        // Given a cascade with a deterministic stage and a judge stage behind a scripted judge server
        let server = FakeModelServer(behaviour: {
            var behaviour = FakeModelServer.Behaviour()
            behaviour.answer = { _ in #"{"explanation": "fine", "score": 5}"# }
            return behaviour
        }())
        let port = try await server.start()
        defer { Task { await server.stop() } }
        var judgeConfig = TargetConfig(name: "grader", kind: .openai, location: AssayCore.SourceLocation(file: "suite.yaml"))
        judgeConfig.baseURL = "http://127.0.0.1:\(port)/v1"
        judgeConfig.model = "judge"
        let box = HTTPClientBox(concurrency: 2)
        defer { Task { await box.shutdown() } }
        let judge = JudgeClient(config: judgeConfig, target: OpenAITarget(config: judgeConfig, client: box.client), cache: nil)
        let config = try scorerConfig("""
            type: cascade
            scorers:
              - {type: must_not_contain, values: [guarantee], decides: fail}
              - {type: rubric_judge, criteria: Polite., steps: [Check politeness.], repeats: 2}
            """)
        let scorer = try ScorerFactory.make(config, context: ScorerContext(judges: ["grader": judge]))
        #expect(scorer.plannedCalls == 2)

        // When one output fails the cheap check and another goes on to the judge
        let failed = await score(scorer, "We guarantee it.")
        let judged = await score(scorer, "Happy to help.")

        // Then the first saved both judge calls and the second made them
        #expect(verdict(failed) == false && failed.savedCalls == 2 && failed.calls == 0)
        #expect(verdict(judged) == true && judged.savedCalls == 0 && judged.calls == 2)
        #expect(server.received.count == 2)
    }

    @Test(arguments: [
        ("type: cascade\nscorers:\n  - {type: equals, decides: maybe}\n  - {type: contains, value: a}", 4, "one of pass, fail, both"),
        ("type: cascade\nscorers:\n  - {type: equals, open_between: [0.9, 0.1]}\n  - {type: contains, value: a}", 4, "open_between"),
        ("type: cascade\nthreshold: 0.5\nscorers:\n  - {type: equals}\n  - {type: contains, value: a}", 3, "no threshold"),
        ("type: cascade", 2, "needs 'scorers'"),
    ])
    func configurationErrorsNameTheLine(yaml: String, line: Int, fragment: String) throws {
        let error = try #require(configError(yaml))
        #expect(error.location?.line == line, "\(error)")
        #expect(error.description.contains(fragment), "\(error)")
    }
}
