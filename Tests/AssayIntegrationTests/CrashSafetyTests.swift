import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite(.serialized) struct CrashSafetyTests {
    @Test(.enabled(if: assayBinary != nil, "needs the assay executable: run `swift build` (make test does)"))
    func killedRunResumesWithoutRepeatingFinishedTrials() async throws {
        // Given a real `assay run` process calling a server that answers in 40 ms, two at a time
        var behaviour = FakeModelServer.Behaviour()
        behaviour.latency = 0.04
        let server = FakeModelServer(behaviour: behaviour)
        let port = try await server.start()
        defer { Task { await server.stop() } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let count = 80
        let cases = (0..<count).map { #"{"id": "c\#($0)", "input": "q\#($0) token\#($0)", "expected": "token\#($0)"}"# }
        try Data(cases.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("cases.jsonl"))
        try Data("""
            name: crash
            targets:
              - {name: fake, provider: openai, base_url: "http://127.0.0.1:\(port)/v1", model: fake}
            datasets: [cases.jsonl]
            prompt: {user: "{{input}}"}
            rubric:
              - {type: contains, gate: 1.0}
            run: {concurrency: 2}
            """.utf8).write(to: folder.appendingPathComponent("assay.yaml"))
        let storePath = folder.appendingPathComponent("store.sqlite").path
        let binary = try #require(assayBinary)

        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "assay.yaml", "--store", storePath, "--quiet"]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()

        // When it is killed with SIGKILL once at least 20 trials are committed
        var finishedBeforeKill = 0
        for _ in 0..<400 {
            try await Task.sleep(for: .milliseconds(25))
            if FileManager.default.fileExists(atPath: storePath),
               let store = try? SQLiteStore(path: storePath),
               let run = try? await store.runs(suitePath: nil, targetName: nil, limit: 1).first,
               let done = try? await store.finishedTrialKeys(runID: run.id).count, done >= 20 {
                finishedBeforeKill = done
                break
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(finishedBeforeKill >= 20)
        #expect(finishedBeforeKill < count, "the run must still be unfinished when killed")

        let store = try SQLiteStore(path: storePath)
        let run = try #require(try await store.runs(suitePath: nil, targetName: nil, limit: 1).first)
        #expect(run.status == .running)
        let finished = try await store.finishedTrialKeys(runID: run.id)
        let requestsAtKill = server.received.count

        // Then resuming it (by id, without the cache so only the resume logic can prevent repeats) finishes it
        let resumed = try runAssay(["run", "assay.yaml", "--store", storePath, "--resume", run.id, "--no-cache", "--quiet"], in: folder)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let finishedPrompts = Set(finished.map { key in "q\(key.caseID.dropFirst()) token\(key.caseID.dropFirst())" })
        let afterResume = server.received.dropFirst(requestsAtKill)
        #expect(afterResume.allSatisfy { !finishedPrompts.contains($0.prompt) }, "a finished trial was requested again")
        #expect(afterResume.count == count - finished.count)
        let trials = try await store.trials(runID: run.id)
        #expect(trials.count == count)
        #expect(Set(trials.map(\.caseID)).count == count)
        #expect(try await store.run(id: run.id)?.status == .completed)
    }

    @Test(.enabled(if: assayBinary != nil, "needs the assay executable: run `swift build` (make test does)"))
    func exitCodesFollowTheDesign() async throws {
        let server = FakeModelServer()
        let port = try await server.start()
        defer { Task { await server.stop() } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-exit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(#"{"id": "a", "input": "hello", "expected": "hello"}"#.utf8).write(to: folder.appendingPathComponent("cases.jsonl"))
        func suite(gate: String, port: Int) -> String {
            """
            targets:
              - {name: fake, provider: openai, base_url: "http://127.0.0.1:\(port)/v1", model: fake, retries: 0, timeout: 2}
            datasets: [cases.jsonl]
            prompt: {user: "{{input}}"}
            rubric:
              - {type: contains, gate: \(gate)}
            """
        }
        let path = folder.appendingPathComponent("s.yaml")
        try Data(suite(gate: "1.0", port: port).utf8).write(to: path)
        #expect(try runAssay(["run", "s.yaml", "--quiet"], in: folder).status == 0)
        // The trial details show the cache key, so users can see why a rerun did or did not hit the cache.
        let shown = try runAssay(["show", "latest", "--json"], in: folder)
        #expect(shown.status == 0)
        let trial = try JSONValue.parse(shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(trial["cache_key"]?.stringValue?.count == 64)
        #expect(trial["scores"]?.arrayValue?.first?["passed"] == .bool(true))

        try Data(suite(gate: "1.0", port: port).replacingOccurrences(of: "{{input}}", with: "{{missing}}").utf8).write(to: path)
        let missing = try runAssay(["run", "s.yaml"], in: folder)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("'missing'"))

        try Data(suite(gate: "1.0", port: port).replacingOccurrences(of: "type: contains", with: "type: contians").utf8).write(to: path)
        let typo = try runAssay(["run", "s.yaml"], in: folder)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("s.yaml:6"), "\(typo.stderr)")

        // Nothing listens on port 9: the run cannot complete.
        try Data(suite(gate: "1.0", port: 9).utf8).write(to: path)
        let dead = try runAssay(["run", "s.yaml", "--quiet", "--no-cache"], in: folder)
        #expect(dead.status == 3, "\(dead.stderr)")

        #expect(try runAssay(["run", "nope.yaml"], in: folder).status == 2)
        #expect(try runAssay(["run"], in: folder).status == 2)
    }
}
