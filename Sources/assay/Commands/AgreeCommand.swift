import ArgumentParser
import AssayCore
import AssayEngine
import AssayStats
import AssayStore
import Foundation

/// `assay agree RUN --labels FILE`: how a run's scorers (judges above all) agree with human labels.
struct AgreeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agree",
        abstract: "Check a run's scorers against human labels: agreement, Cohen's kappa with its 95% interval, false passes and false fails.",
        discussion: """
            Labels are JSONL, one per line: {"id": "case-id", "scorer": "helpful", "passed": true}, optionally with \
            "sample" (default: every sample) and "score" (a human grade, compared with the scorer's value by rank \
            correlation). Calibrate a judge this way before it gates anything.
            """
    )

    @Argument(help: "The run id, or 'latest'.")
    var run: String

    @Option(help: "The labels file (JSONL).")
    var labels: String

    @Option(help: "The scorer that labels without a \"scorer\" field are about.")
    var scorer: String?

    @Option(help: "The SQLite store.")
    var store = ".assay/assay.sqlite"

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let labelList = try HumanLabels.load(url: URL(fileURLWithPath: labels), displayPath: labels)
        guard !labelList.isEmpty else { throw AssayError(.usage, "\(labels) holds no labels") }
        let results = try SQLiteStore(path: store)
        let record = try await RunLookup.find(run, in: results, storePath: store)
        let trials = try await results.trials(runID: record.id)
        let rows = try JudgeAgreement.compute(trials: trials, labels: labelList, scorer: scorer)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        print("Agreement of run \(record.id) (\(record.suiteName) / \(record.targetName)) with \(labelList.count) human label(s) in \(labels)")
        for row in rows { print(Self.describe(row)) }
        if rows.contains(where: { $0.pairs < 50 }) {
            print("With fewer than 50 labelled trials a kappa interval is wide; label more before trusting a judge to gate.")
        }
    }

    static func describe(_ row: ScorerAgreement) -> String {
        var lines = ["\(row.scorer): \(row.labelled) labelled trial(s), \(row.pairs) with both verdicts"
            + (row.unmeasured > 0 ? ", \(row.unmeasured) unmeasured by the scorer" : "")
            + (row.withoutTrial > 0 ? ", \(row.withoutTrial) label(s) without a scored trial" : "")]
        if let accuracy = row.accuracy {
            var line = String(format: "  agreement %.1f%%", accuracy * 100)
            if let kappa = row.kappa {
                line += String(format: " · kappa %.2f [%.2f, %.2f] (%@)", kappa.kappa, kappa.interval.lower, kappa.interval.upper, ScorerAgreement.strength(kappa.kappa))
            } else {
                line += " · kappa undefined (one verdict everywhere)"
            }
            line += " · passed \(row.falsePasses) that people failed, failed \(row.falseFails) that people passed"
            lines.append(line)
        }
        if let spearman = row.spearman {
            lines.append(String(format: "  Spearman %.2f between the scorer's value and the human score (%d pairs)", spearman, row.scorePairs))
        }
        return lines.joined(separator: "\n")
    }
}
