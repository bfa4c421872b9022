import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay runs`: lists past runs.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List past runs from the store.")

    @Option(help: "The SQLite store.")
    var store = ".assay/assay.sqlite"

    @Option(help: "Show at most this many runs.")
    var limit = 20

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: store) else {
            print("No runs yet: \(store) does not exist. Start one with `assay run SUITE.yaml`.")
            return
        }
        let results = try SQLiteStore(path: store)
        let runs = try await results.runs(suitePath: nil, targetName: nil, limit: limit)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(runs), as: UTF8.self))
            return
        }
        if runs.isEmpty {
            print("No runs in \(store).")
            return
        }
        let formatter = ISO8601DateFormatter()
        var rows = [["RUN", "CREATED (UTC)", "SUITE", "TARGET", "STATUS", "TRIALS", "DATASET"]]
        for run in runs {
            let done = try await results.finishedTrialKeys(runID: run.id).count
            rows.append([
                run.id, formatter.string(from: run.createdAt), run.suiteName, run.targetName, run.status.rawValue,
                "\(done)/\(run.totalTrials)", "\(run.dataset.name)@\(run.dataset.sha256.prefix(8))",
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
    }
}
