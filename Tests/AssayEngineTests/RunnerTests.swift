import AssayCore
import AssayEngine
import AssayProviders
import AssayScorers
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite(.serialized) struct RunnerTests {
    /// Runs a fixture suite against a server and returns the store, the run and its trials.
    func runSuite(
        _ fixture: SuiteFixture, store: SQLiteStore, useCache: Bool = true, recorder: SleepRecorder? = nil
    ) async throws -> (RunRecord, [TrialRecord]) {
        let suite = try fixture.suite()
        let plan = try RunPlan(suite: suite, target: suite.targets[0])
        let client = HTTPClientBox(concurrency: suite.run.concurrency)
        defer { Task { await client.shutdown() } }
        let target = try plan.targetConfig.makeTarget(client: client, suiteFolder: fixture.folder)
        var runner = Runner(store: store, target: target, options: RunOptions(useCache: useCache))
        if let recorder {
            runner.sleep = { delay in
                await recorder.record(delay)
                try await Task.sleep(for: .seconds(min(delay, 0.05)))
            }
        }
        let run = try await runner.start(plan)
        return (run, try await store.trials(runID: run.id))
    }

    @Test(arguments: [false, true])
    func faultsEndScoredOrUnmeasuredWithReason(stream: Bool) async throws {
        // Given a server that faults on 20% of requests, every kind of fault included
        var behaviour = FakeModelServer.Behaviour()
        behaviour.faultRate = 0.2
        behaviour.retryAfter = 0.037
        behaviour.timeoutDelay = 1.5
        behaviour.seed = stream ? 7 : 11
        let server = FakeModelServer(behaviour: behaviour)
        let port = try await server.start()
        defer { Task { await server.stop() } }
        let fixture = try SuiteFixture(port: port, count: 200, stream: stream, timeout: 0.5, maxAttempts: 3, concurrency: 16)
        let recorder = SleepRecorder()

        // When 200 cases run
        let (run, trials) = try await runSuite(fixture, store: try SQLiteStore(), useCache: false, recorder: recorder)

        // Then every trial is either fully scored or fully unmeasured with the target's reason
        #expect(run.status == .completed)
        #expect(trials.count == 200)
        var unmeasured = 0
        for trial in trials {
            #expect(trial.scores.count == 2)
            if let error = trial.error {
                unmeasured += 1
                #expect(trial.output == nil)
                #expect(error.hasPrefix("target error:"))
                #expect(trial.scores.allSatisfy { $0.status == .unmeasured(reason: error) && $0.passed == nil })
            } else {
                #expect(trial.output != nil)
                #expect(trial.scores.allSatisfy { $0.status.isScored && $0.passed != nil })
                #expect(trial.scores.first { $0.scorer == "echoes" }?.passed == true)
            }
        }
        let faults = server.received.compactMap(\.fault)
        #expect(Set(faults).count == Fault.allCases.count, "every kind of fault was injected: \(Set(faults))")
        #expect(faults.count >= 25)
        // Three attempts at 20% faults leave about 0.8% of trials unmeasured; all of them are counted.
        #expect(unmeasured < 20)
        #expect(trials.filter { $0.attempts > 1 }.count > 20)
        // Retry-After was honoured: the exact server value was used as the delay.
        let delays = await recorder.delays
        let honoured = delays.filter { abs($0 - 0.037) < 1e-9 }.count
        let withRetryAfter = faults.filter { $0 == .rateLimitWithRetryAfter || $0 == .unavailable }.count
        #expect(honoured >= 1)
        #expect(honoured <= withRetryAfter)
        #expect(delays.allSatisfy { $0 <= 1.0 })
    }

    @Test func unreachableTargetLeavesEveryTrialUnmeasured() async throws {
        // Given a port where nothing listens
        let server = FakeModelServer()
        let port = try await server.start()
        await server.stop()
        try await Task.sleep(for: .milliseconds(200))
        let fixture = try SuiteFixture(port: port, count: 5, timeout: 1, maxAttempts: 2)
        let (run, trials) = try await runSuite(fixture, store: try SQLiteStore())
        #expect(run.status == .completed)
        #expect(trials.count == 5)
        let allFailed = trials.allSatisfy { $0.error != nil && $0.scores.allSatisfy { !$0.status.isScored } }
        #expect(allFailed)
        let summary = Aggregator.summarize(run: run, trials: trials, gates: ["even": ["echoes": GateConfig(minPassRate: 0.9)]])
        #expect(summary.verdict == .inconclusive)
        #expect(summary.usage.answered == 0)
        let allUnmeasured = summary.cells.allSatisfy { $0.unmeasured == $0.trials && $0.passRate == nil }
        #expect(allUnmeasured)
    }

    @Test func rerunOfAnUnchangedSuiteMakesNoModelCalls() async throws {
        let server = FakeModelServer()
        let port = try await server.start()
        defer { Task { await server.stop() } }
        let fixture = try SuiteFixture(port: port, count: 12, samples: 2)
        let store = try SQLiteStore(path: fixture.folder.appendingPathComponent("store.sqlite").path)

        let (_, first) = try await runSuite(fixture, store: store)
        #expect(server.received.count == 24)
        #expect(first.allSatisfy { !$0.cached && $0.cacheKey?.count == 64 })

        let (_, second) = try await runSuite(fixture, store: store)
        #expect(server.received.count == 24, "the second run must answer from the cache")
        #expect(second.allSatisfy { $0.cached })
        #expect(Set(second.compactMap(\.cacheKey)) == Set(first.compactMap(\.cacheKey)))
        // Samples of one case have distinct keys.
        #expect(Set(first.compactMap(\.cacheKey)).count == 24)

        let (_, third) = try await runSuite(fixture, store: store, useCache: false)
        #expect(server.received.count == 48, "--no-cache calls the model again")
        #expect(third.allSatisfy { !$0.cached })
    }

    @Test func resumeRunsOnlyUnfinishedTrials() async throws {
        let server = FakeModelServer()
        let port = try await server.start()
        defer { Task { await server.stop() } }
        let fixture = try SuiteFixture(port: port, count: 10)
        let store = try SQLiteStore()
        let suite = try fixture.suite()
        let plan = try RunPlan(suite: suite, target: suite.targets[0])

        // Given a run that finished 4 of its 10 trials before it died
        let client = HTTPClientBox(concurrency: 4)
        defer { Task { await client.shutdown() } }
        let target = try plan.targetConfig.makeTarget(client: client, suiteFolder: fixture.folder)
        let runner = Runner(store: store, target: target, options: RunOptions(useCache: false))
        let complete = try await runner.start(plan)
        let all = try await store.trials(runID: complete.id)
        var interrupted = complete
        interrupted.id = "interrupted-run"
        interrupted.status = .running
        try await store.createRun(interrupted)
        for var trial in all.prefix(4) {
            trial.runID = interrupted.id
            try await store.saveTrial(trial)
        }
        let before = server.received.count

        // When it is resumed
        let resumed = try await runner.resume(plan, run: interrupted)

        // Then only the 6 unfinished trials were requested and the run is complete
        #expect(server.received.count - before == 6)
        let finishedPrompts = Set(all.prefix(4).map { "question \(Int($0.caseID.dropFirst(5)) ?? -1) about token\(Int($0.caseID.dropFirst(5)) ?? -1)" })
        #expect(server.received.suffix(6).allSatisfy { !finishedPrompts.contains($0.prompt) })
        #expect(resumed.status == .completed)
        #expect(try await store.trials(runID: interrupted.id).count == 10)
    }

    @Test func aggregationCountsAndGates() async throws {
        let server = FakeModelServer(behaviour: {
            var b = FakeModelServer.Behaviour()
            // Odd-numbered cases get an answer without their token.
            b.answer = { prompt in
                let number = Int(prompt.split(separator: " ")[1]) ?? 0
                return number % 4 == 1 ? "nothing useful" : "Echo: \(prompt)"
            }
            return b
        }())
        let port = try await server.start()
        defer { Task { await server.stop() } }
        let fixture = try SuiteFixture(port: port, count: 40)
        let (run, trials) = try await runSuite(fixture, store: try SQLiteStore())
        let suite = try fixture.suite()
        let plan = try RunPlan(suite: suite, target: suite.targets[0])
        let summary = Aggregator.summarize(run: run, trials: trials, scorerOrder: ["even": ["echoes", "short"], "odd": ["echoes", "short"]], gates: plan.gates)

        let odd = try #require(summary.cells.first { $0.route == "odd" && $0.scorer == "echoes" })
        #expect(odd.trials == 20)
        #expect(odd.passed == 10)
        #expect(odd.failed == 10)
        #expect(odd.passRate == 0.5)
        #expect(odd.failingCaseIDs.count == 10)
        #expect((odd.passRateLower ?? 1) < 0.5 && (odd.passRateUpper ?? 0) > 0.5)
        #expect(odd.gate?.verdict == .fail)
        let even = try #require(summary.cells.first { $0.route == "even" && $0.scorer == "echoes" })
        #expect(even.passRate == 1)
        #expect(even.gate?.verdict == .pass)
        #expect(summary.verdict == .fail)
        #expect(summary.usage.latency?.count == 40)
        #expect(summary.usage.promptTokens > 0)
        #expect(summary.usage.cost > 0)
    }

    @Test func budgetStopsSchedulingAndResumeFinishes() async throws {
        let server = FakeModelServer()
        let port = try await server.start()
        defer { Task { await server.stop() } }
        let fixture = try SuiteFixture(port: port, count: 20, concurrency: 1)
        let store = try SQLiteStore()
        let suite = try fixture.suite()
        let plan = try RunPlan(suite: suite, target: suite.targets[0])
        let client = HTTPClientBox(concurrency: 2)
        defer { Task { await client.shutdown() } }
        let target = try plan.targetConfig.makeTarget(client: client, suiteFolder: fixture.folder)

        // The estimate before anything ran: 20 calls, nothing cached.
        let before = await plan.estimate(target: target, cache: store)
        #expect(before.calls == 20 && before.cached == 0)
        #expect(before.promptTokens > 0)

        // When a run may make only 5 calls
        let limited = Runner(store: store, target: target, options: RunOptions(maxCalls: 5))
        let stopped = try await limited.start(plan)
        #expect(stopped.status == .interrupted)
        #expect(stopped.provenance["stopped"] == "budget")
        #expect(try await store.trials(runID: stopped.id).count == 5)
        #expect(server.received.count == 5)

        // Then the estimate sees the cache, and resuming without a budget finishes the run
        let after = await plan.estimate(target: target, cache: store)
        #expect(after.cached == 5 && after.calls == 15)
        let finished = try await Runner(store: store, target: target).resume(plan, run: stopped)
        #expect(finished.status == .completed)
        #expect(try await store.trials(runID: stopped.id).count == 20)
        #expect(server.received.count == 20)

        // A budget used up by the last trial still completes the run.
        let exact = try await Runner(store: store, target: target, options: RunOptions(useCache: false, maxCalls: 20)).start(plan)
        #expect(exact.status == .completed)

        // A USD budget stops too (prices are 1 and 2 USD per million tokens; 1e-9 USD is spent by the first call).
        let cheap = Runner(store: store, target: target, options: RunOptions(useCache: false, budgetUSD: 1e-9))
        let tiny = try await cheap.start(plan)
        #expect(tiny.status == .interrupted)
        #expect(try await store.trials(runID: tiny.id).count == 1)
    }

    @Test func retrierHonoursRetryAfterAndFailsFastOnFatal() async throws {
        let recorder = SleepRecorder()
        let retrier = Retrier(policy: RetryPolicy(maxAttempts: 5, initialDelay: 0.01, maxDelay: 2)) { await recorder.record($0) }
        let counter = Counter()
        let result = try await retrier.run { () async throws -> String in
            let n = await counter.next()
            if n == 1 { throw ProviderError(.rateLimited, "HTTP 429", retryAfter: 1.25) }
            if n == 2 { throw ProviderError(.transient, "HTTP 503", retryAfter: 30) }
            return "ok"
        }
        #expect(result.value == "ok")
        #expect(result.attempts == 3)
        #expect(await recorder.delays == [1.25, 2], "Retry-After is used, capped at max_delay")

        let fatalCounter = Counter()
        await #expect(throws: RetryFailure.self) {
            _ = try await retrier.run { () async throws -> String in
                _ = await fatalCounter.next()
                throw ProviderError.http(status: 401, body: "bad key", retryAfter: nil)
            }
        }
        #expect(await fatalCounter.value == 1, "a 401 is not retried")
    }

    @Test func retryAfterParsesSecondsAndDates() {
        #expect(ProviderError.parseRetryAfter("3") == 3)
        #expect(ProviderError.parseRetryAfter(" 0.5 ") == 0.5)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(ProviderError.parseRetryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == 10)
        #expect(ProviderError.parseRetryAfter("soon") == nil)
        #expect(ProviderError.parseRetryAfter(nil) == nil)
    }
}

actor Counter {
    private(set) var value = 0
    func next() -> Int {
        value += 1
        return value
    }
}

@Suite struct JudgeSpendingTests {
    @Test func estimateAndCallLimitCountJudgeCalls() async throws {
        // Given a suite whose rubric adds a judge (the same scripted server) on every trial
        let server = FakeModelServer(behaviour: {
            var behaviour = FakeModelServer.Behaviour()
            behaviour.answer = { prompt in prompt.contains("Criteria:") ? #"{"explanation": "ok", "score": 4}"# : "Echo: \(prompt)" }
            return behaviour
        }())
        let port = try await server.start()
        defer { Task { await server.stop() } }
        let fixture = try SuiteFixture(port: port, count: 10, concurrency: 1, extraTarget: """
            judges:
              - {name: grader, provider: openai, base_url: "http://127.0.0.1:\(port)/v1", model: judge, prices: {input: 1, output: 1}, parameters: {max_tokens: 100}}
            """, extraRubric: "  - {name: judged, type: rubric_judge, criteria: Echoes., steps: [Check it echoes.]}")
        let suite = try fixture.suite()
        let store = try SQLiteStore()
        let client = HTTPClientBox(concurrency: 2)
        defer { Task { await client.shutdown() } }
        let judgeTarget = try suite.judges[0].makeTarget(client: client, suiteFolder: fixture.folder)
        let context = ScorerContext(judges: ["grader": JudgeClient(config: suite.judges[0], target: judgeTarget, cache: store)])
        let plan = try RunPlan(suite: suite, target: suite.targets[0], context: context)
        let target = try plan.targetConfig.makeTarget(client: client, suiteFolder: fixture.folder)

        // When the run is estimated, then limited to 9 calls (targets and judges together)
        let estimate = await plan.estimate(target: target, cache: store)
        let run = try await Runner(store: store, target: target, options: RunOptions(maxCalls: 9)).start(plan)
        let trials = try await store.trials(runID: run.id)

        // Then the estimate names one judge call per trial, and each trial spent two calls (answer + judgement)
        #expect(estimate.maxJudgeCalls == 10)
        #expect(estimate.description.contains("at most 10 judge calls costing at most about $"))
        // 10 calls x (2,000 instruction characters + the case + 2,000 for an answer without max_tokens) / 4, at $1
        // per million tokens, plus 10 replies of 100 tokens.
        let judgeCost = try #require(estimate.maxJudgeCost)
        let replies: Double = 10 * 100 / 1e6
        let lower: Double = 10 * 1_000 / 1e6 + replies
        let upper: Double = 10 * 1_100 / 1e6 + replies
        #expect(judgeCost > lower && judgeCost < upper, "\(judgeCost)")
        #expect(run.status == .interrupted)
        #expect(trials.count == 5)
        #expect(server.received.count == 10)
        let judged = trials.compactMap { $0.scores.first { $0.scorer == "judged" } }
        #expect(judged.allSatisfy { $0.calls == 1 && $0.usage != nil && $0.passed == true })
    }
}
