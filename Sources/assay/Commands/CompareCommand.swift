import ArgumentParser
import AssayCore
import AssayEngine
import AssayReport
import AssayStore
import Foundation

/// `assay compare BASELINE CANDIDATE`: paired comparison of two runs.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two runs on the cases they share: paired tests per route x scorer, safety first.",
        discussion: "Exit codes: 0 no rubric regressed; 1 at least one regressed significantly; 2 usage error."
    )

    @Argument(help: "The baseline run id.")
    var baseline: String

    @Argument(help: "The candidate run id ('latest' for the newest run in the store).")
    var candidate: String

    @Option(help: "The SQLite store.")
    var store = ".assay/assay.sqlite"

    @Option(help: "Significance level.")
    var alpha = 0.05

    @Option(help: "Write the comparison as JSON here.")
    var json: String?

    @Option(help: "Write the comparison as Markdown here.")
    var markdown: String?

    mutating func validate() throws {
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1") }
    }

    func run() async throws {
        let results = try SQLiteStore(path: store)
        let base = try await RunLookup.find(baseline, in: results, storePath: store)
        let cand = try await RunLookup.find(candidate, in: results, storePath: store)
        let comparison = Comparator.compare(
            baseline: (base, try await results.trials(runID: base.id)),
            candidate: (cand, try await results.trials(runID: cand.id)), alpha: alpha
        )
        print(ComparisonReport.terminal(comparison), terminator: "")
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            try ReportFiles.write(try encoder.encode(comparison), to: json)
        }
        if let markdown { try ReportFiles.write(Data(ComparisonReport.markdown(comparison).utf8), to: markdown) }
        if comparison.cells.contains(where: { $0.verdict == .regressed }) { throw ExitCode(1) }
    }
}

/// Finds runs by id or `latest`.
enum RunLookup {
    static func find(_ id: String, in store: SQLiteStore, storePath: String) async throws -> RunRecord {
        if id == "latest" {
            guard let run = try await store.runs(suitePath: nil, targetName: nil, limit: 1).first else {
                throw AssayError(.usage, "no runs in \(storePath); start one with `assay run SUITE.yaml`")
            }
            return run
        }
        guard let run = try await store.run(id: id) else {
            throw AssayError(.usage, "no run '\(id)' in \(storePath); list runs with `assay runs`")
        }
        return run
    }
}

/// Writes report files, creating folders.
enum ReportFiles {
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw AssayError(.usage, "cannot write \(path): \(error.localizedDescription)")
        }
    }
}
