import ArgumentParser
import AssayCore
import AssayEngine
import AssayStore
import Foundation

/// `assay flaky SUITE.yaml`: cases whose verdict changes across samples and runs.
struct FlakyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flaky",
        abstract: "List cases that both passed and failed across the suite's recent runs (and their samples)."
    )

    @Argument(help: "The suite file whose runs to read.")
    var suite: String

    @Option(help: "Only runs of this target.")
    var target: String?

    @Option(help: "How many recent runs to read.")
    var last = 10

    @Option(help: "The SQLite store.")
    var store = ".assay/assay.sqlite"

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let results = try SQLiteStore(path: store)
        let path = URL(fileURLWithPath: suite).path
        let runs = try await results.runs(suitePath: path, targetName: target, limit: last)
        guard !runs.isEmpty else {
            throw AssayError(.usage, "no runs of \(suite) in \(store); run it first with `assay run \(suite)`")
        }
        var loaded: [(RunRecord, [TrialRecord])] = []
        for run in runs { loaded.append((run, try await results.trials(runID: run.id))) }
        let flaky = Flakiness.history(loaded)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(flaky), as: UTF8.self))
            return
        }
        print("\(flaky.count) flaky case(s) across \(runs.count) run(s) of \(suite)")
        for item in flaky.prefix(50) {
            let history = item.history.map { String(format: "%.0f%%", $0 * 100) }.joined(separator: " ")
            print("  \(item.route) / \(item.scorer) / \(item.caseID): \(item.passed) passed, \(item.failed) failed, \(item.flips) flip(s) · per run: \(history)")
        }
    }
}
