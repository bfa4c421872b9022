import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import Foundation
import Synchronization

/// The orchestration benchmark: `trials` trials against a fake OpenAI-compatible server that answers after
/// `latency`, `concurrency` in flight, through the real engine (suite file and JSONL dataset in a temporary folder,
/// `RunPlan`, `SQLiteStore` on a temporary file, the OpenAI target on a shared `HTTPClientBox`, `Runner`).
///
/// The ideal wall time is `trials × latency / concurrency`: the time the server's delay alone imposes.
public final class OrchestrationWorkload: Sendable {
    /// What to run.
    public struct Configuration: Sendable {
        /// Trials in one run.
        public var trials = 10_000
        /// Trials in flight.
        public var concurrency = 64
        /// The fake server's delay before each answer.
        public var latency: Duration = .milliseconds(50)
        /// Run the fake server in a child process (default) rather than in this one.
        public var serverInChildProcess = true

        /// The defaults of the project's target: 10,000 trials, 64 in flight, 50 ms.
        public init() {}

        /// `trials × latency / concurrency`, in seconds.
        public var idealSeconds: Double { Double(trials) * seconds(latency) / Double(concurrency) }
    }

    /// One run, ready to execute: everything built that a user's `assay run` builds before its first request.
    public struct Prepared: Sendable {
        let plan: RunPlan
        let store: SQLiteStore
        let client: HTTPClientBox
        let runner: Runner
        let storePath: String
        let observer: FinishObserver
        let readBack: Bool
    }

    /// What one run did.
    public struct Outcome: Sendable {
        /// Trials in the store for the run.
        public var trials: Int
        /// Trials that ended in a target error.
        public var errors: Int
        /// Trials whose `echoes` score passed (the expected token came back), when read back from the store.
        public var passed: Int?
        /// Mean and 99th percentile of the target's measured latency (request sent to last byte), in seconds, when
        /// read back from the store: what the server's delay really cost, transport included.
        public var latency: (mean: Double, p99: Double)?
    }

    /// The configuration.
    public let configuration: Configuration
    /// The fake server.
    public let server: RunningServer
    /// The temporary folder with the suite and dataset.
    public let folder: URL
    /// The suite file.
    public let suitePath: String

    private init(configuration: Configuration, server: RunningServer, folder: URL, suitePath: String) {
        self.configuration = configuration
        self.server = server
        self.folder = folder
        self.suitePath = suitePath
    }

    /// Starts the fake server and writes the suite and dataset.
    /// - Parameter configuration: What to run.
    /// - Returns: The workload; `close()` it when done.
    /// - Throws: When the server does not start or the files cannot be written.
    public static func make(_ configuration: Configuration = Configuration()) async throws -> OrchestrationWorkload {
        let server = configuration.serverInChildProcess
            ? try FakeServerProcess.launch(latency: configuration.latency)
            : try await FakeChatServer.startInProcess(latency: configuration.latency)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var cases = ""
        cases.reserveCapacity(configuration.trials * 110)
        for index in 0..<configuration.trials {
            let id = String(format: "case-%05d", index)
            cases += #"{"id": "\#(id)", "input": "question \#(index) about token\#(index)", "expected": "token\#(index)", "route": "\#(index % 2 == 0 ? "even" : "odd")"}"# + "\n"
        }
        try Data(cases.utf8).write(to: folder.appendingPathComponent("cases.jsonl"))
        let yaml = """
            name: orchestration-benchmark
            targets:
              - name: fake
                provider: openai
                base_url: http://127.0.0.1:\(server.port)/v1
                model: fake
                parameters: {temperature: 0, max_tokens: 32}
                timeout: 30
                retries: {max_attempts: 2, initial_delay: 0.05, max_delay: 1}
            datasets: [cases.jsonl]
            prompt:
              system: You are a benchmark.
              user: "{{input}}"
            rubric:
              - {name: echoes, type: contains}
              - {name: short, type: length, max: 1000}
            run: {samples: 1, concurrency: \(configuration.concurrency)}
            """
        let suitePath = folder.appendingPathComponent("assay.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: suitePath))
        return OrchestrationWorkload(configuration: configuration, server: server, folder: folder, suitePath: suitePath)
    }

    /// Loads the suite, builds the plan, opens a fresh store and client, as `assay run` does before its first
    /// request.
    /// - Parameters:
    ///   - iteration: Names the store file.
    ///   - readBack: Read every trial back from the store after the run to check its scores (the first run, by
    ///     default: it takes seconds, and would otherwise dominate a profile of the benchmark process).
    /// - Returns: The prepared run.
    /// - Throws: `AssayError` from the suite, plan or store.
    public func prepare(iteration: Int, readBack: Bool? = nil) throws -> Prepared {
        let suite = try SuiteLoader.load(path: suitePath)
        guard let targetConfig = suite.targets.first else { throw BenchmarkFailure("the generated suite has no target") }
        let plan = try RunPlan(suite: suite, target: targetConfig)
        let storePath = folder.appendingPathComponent("store-\(iteration).sqlite").path
        let store = try SQLiteStore(path: storePath)
        let client = HTTPClientBox(concurrency: configuration.concurrency)
        let target = try targetConfig.makeTarget(client: client, suiteFolder: folder)
        let observer = FinishObserver()
        let runner = Runner(
            store: store, target: target, options: RunOptions(concurrency: configuration.concurrency, useCache: false), observer: observer
        )
        return Prepared(plan: plan, store: store, client: client, runner: runner, storePath: storePath, observer: observer, readBack: readBack ?? (iteration == 0))
    }

    /// Executes the prepared run: every trial sent, scored and committed. This is what the benchmark times.
    /// - Parameter prepared: The prepared run.
    /// - Returns: The finished run record.
    /// - Throws: `AssayError` when the store fails.
    public func execute(_ prepared: Prepared) async throws -> RunRecord {
        try await prepared.runner.start(prepared.plan)
    }

    /// Checks the run, then shuts the client down and deletes the store. Every run is checked from the engine's
    /// final progress (all trials done, none failed); a run prepared with `readBack` is also read back from the
    /// store (every `echoes` score passed).
    /// - Parameters:
    ///   - prepared: The prepared run.
    ///   - run: Its record.
    /// - Returns: What the run did.
    /// - Throws: `BenchmarkFailure` when trials are missing or failed, or the store cannot be read.
    @discardableResult
    public func finish(_ prepared: Prepared, run: RunRecord) async throws -> Outcome {
        await prepared.client.shutdown()
        defer {
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: prepared.storePath + suffix)
            }
        }
        guard let progress = prepared.observer.final else { throw BenchmarkFailure("run \(run.id) did not report its end") }
        var outcome = Outcome(trials: progress.doneNow, errors: progress.errors, passed: nil)
        if prepared.readBack {
            let trials = try await prepared.store.trials(runID: run.id)
            outcome.trials = trials.count
            outcome.passed = trials.filter { $0.scores.first?.passed == true }.count
            let latencies = trials.compactMap { $0.output?.latency }.sorted()
            if !latencies.isEmpty {
                outcome.latency = (latencies.reduce(0, +) / Double(latencies.count), latencies[latencies.count * 99 / 100])
            }
        }
        guard outcome.trials == configuration.trials, outcome.errors == 0, outcome.passed ?? configuration.trials == configuration.trials else {
            throw BenchmarkFailure("run \(run.id): \(outcome.trials) trials, \(outcome.errors) errors, \(outcome.passed.map(String.init) ?? "?") passed (expected \(configuration.trials) clean passes)")
        }
        return outcome
    }

    /// Stops the server and deletes the temporary folder.
    public func close() async {
        await server.stop()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Keeps the engine's final progress snapshot; ignores every other event (as the CLI's quiet mode would).
final class FinishObserver: RunObserver {
    private let snapshot = Mutex<ProgressSnapshot?>(nil)

    var final: ProgressSnapshot? { snapshot.withLock { $0 } }

    func handle(_ event: RunEvent) async {
        if case .finished(_, let progress) = event {
            snapshot.withLock { $0 = progress }
        }
    }
}
