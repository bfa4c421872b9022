import AssayCore
import AssayStore
import Foundation
import Testing

func makeRun(_ id: String, suitePath: String = "/s.yaml", target: String = "t", at: Date = Date()) -> RunRecord {
    RunRecord(
        id: id, suiteName: "s", suitePath: suitePath, suiteSHA256: "abc", targetName: target, targetFingerprint: "fp",
        dataset: DatasetManifest(name: "d", version: "1", sha256: "ff", caseCount: 2, routes: ["r": 2], strata: [:], sources: ["d.jsonl"]),
        samples: 1, totalTrials: 2, status: .running, createdAt: at, provenance: ["git_revision": "123"]
    )
}

func makeTrial(run: String, caseID: String, sample: Int = 0, passed: Bool? = true) -> TrialRecord {
    let score: Score = passed.map { Score.scored("contains", passed: $0, explanation: $0 ? "found" : "missing") }
        ?? Score.unmeasured("contains", reason: "case has no expected answer")
    return TrialRecord(
        runID: run, caseID: caseID, sample: sample, route: "r",
        output: Output(text: "hello", toolCalls: [ToolCall(id: "1", name: "lookup", arguments: .object(["q": .string("x")]))],
                       usage: TokenUsage(promptTokens: 3, completionTokens: 4), latency: 0.25, timeToFirstToken: 0.1, cost: 0.001, finishReason: "stop"),
        error: nil, scores: [score, Score.scored("length", passed: true, value: 0.5, explanation: "ok")],
        cacheKey: "key-\(caseID)-\(sample)", cached: false, attempts: 2,
        startedAt: Date(timeIntervalSince1970: 1_000), finishedAt: Date(timeIntervalSince1970: 1_001)
    )
}

@Suite struct SQLiteStoreTests {
    @Test func runsRoundTripAndListNewestFirst() async throws {
        let store = try SQLiteStore()
        try await store.createRun(makeRun("a", at: Date(timeIntervalSince1970: 10)))
        try await store.createRun(makeRun("b", at: Date(timeIntervalSince1970: 20)))
        try await store.createRun(makeRun("c", suitePath: "/other.yaml", at: Date(timeIntervalSince1970: 30)))
        #expect(try await store.runs(suitePath: nil, targetName: nil, limit: 10).map(\.id) == ["c", "b", "a"])
        #expect(try await store.runs(suitePath: "/s.yaml", targetName: "t", limit: 1).map(\.id) == ["b"])
        var run = try #require(try await store.run(id: "a"))
        #expect(run.dataset.routes == ["r": 2])
        #expect(run.provenance["git_revision"] == "123")
        run.status = .completed
        run.finishedAt = Date(timeIntervalSince1970: 99)
        try await store.updateRun(run)
        #expect(try await store.run(id: "a")?.status == .completed)
        #expect(try await store.run(id: "missing") == nil)
    }

    @Test func trialsRoundTripWithScoresInOrder() async throws {
        let store = try SQLiteStore()
        try await store.createRun(makeRun("r1"))
        let trial = makeTrial(run: "r1", caseID: "c1")
        try await store.saveTrial(trial)
        try await store.saveTrial(makeTrial(run: "r1", caseID: "c2", passed: nil))
        let trials = try await store.trials(runID: "r1")
        #expect(trials.count == 2)
        #expect(trials[0] == trial)
        #expect(trials[1].scores[0].status == .unmeasured(reason: "case has no expected answer"))
        #expect(trials[1].scores[0].passed == nil)
        #expect(try await store.finishedTrialKeys(runID: "r1") == [TrialKey(caseID: "c1", sample: 0), TrialKey(caseID: "c2", sample: 0)])
    }

    @Test func savingATrialTwiceKeepsOneCopy() async throws {
        let store = try SQLiteStore()
        try await store.createRun(makeRun("r1"))
        try await store.saveTrial(makeTrial(run: "r1", caseID: "c1", passed: false))
        var again = makeTrial(run: "r1", caseID: "c1", passed: true)
        again.scores.removeLast()
        try await store.saveTrial(again)
        let trials = try await store.trials(runID: "r1")
        #expect(trials.count == 1)
        #expect(trials[0].scores.count == 1)
        #expect(trials[0].scores[0].passed == true)
    }

    @Test func trialsWhoseTargetFailedAreNotFinished() async throws {
        let store = try SQLiteStore()
        try await store.createRun(makeRun("r1"))
        var failed = makeTrial(run: "r1", caseID: "c2")
        failed.output = nil
        failed.error = "target error: HTTP 503"
        try await store.saveTrial(makeTrial(run: "r1", caseID: "c1"))
        try await store.saveTrial(failed)
        #expect(try await store.finishedTrialKeys(runID: "r1") == [TrialKey(caseID: "c1", sample: 0)])
        #expect(try await store.trials(runID: "r1").count == 2)
    }

    @Test func responseCacheRoundTrips() async throws {
        let store = try SQLiteStore()
        #expect(try await store.cachedOutput(forKey: "k") == nil)
        let output = Output(text: "cached", usage: TokenUsage(promptTokens: 1, completionTokens: 2), latency: 1.5)
        try await store.storeOutput(output, forKey: "k")
        #expect(try await store.cachedOutput(forKey: "k") == output)
    }

    @Test func fileStoreSurvivesReopeningAndUsesWAL() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-store-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("nested/assay.sqlite").path
        do {
            let store = try SQLiteStore(path: path)
            try await store.createRun(makeRun("r1"))
            try await store.saveTrial(makeTrial(run: "r1", caseID: "c1"))
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.trials(runID: "r1").count == 1)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func unwritableLocationIsAStoreError() {
        do {
            _ = try SQLiteStore(path: "/proc/assay-cannot-write-here/assay.sqlite")
            Issue.record("expected an error")
        } catch let error as AssayError {
            #expect(error.category == .store)
            #expect(error.category.exitCode == 3)
        } catch {
            Issue.record("\(error)")
        }
    }
}
