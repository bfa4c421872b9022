import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay show RUN_ID`: the trials of a run, with outputs, scores and cache keys.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run's trials: output, every score with its reason, cache key, attempts and latency."
    )

    @Argument(help: "The run id, or 'latest'.")
    var run: String

    @Option(name: .customLong("case"), help: "Only this case.")
    var caseID: String?

    @Flag(help: "Only trials with a failed or unmeasured score.")
    var failed = false

    @Option(help: "The SQLite store.")
    var store = ".assay/assay.sqlite"

    @Flag(help: "Print JSON lines (one trial per line) instead of text.")
    var json = false

    func run() async throws {
        let results = try SQLiteStore(path: store)
        let record = try await RunLookup.find(run, in: results, storePath: store)
        var trials = try await results.trials(runID: record.id)
        if let caseID { trials = trials.filter { $0.caseID == caseID } }
        if failed { trials = trials.filter { $0.scores.contains { $0.passed != true } } }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            for trial in trials { print(String(decoding: try encoder.encode(trial), as: UTF8.self)) }
            return
        }
        print("run \(record.id) · \(record.suiteName) / \(record.targetName) · \(record.status.rawValue) · \(trials.count) trial(s) shown")
        for trial in trials {
            print("")
            print("\(trial.caseID) #\(trial.sample) [\(trial.route)]  attempts \(trial.attempts)\(trial.cached ? " · cached" : "")")
            print("  cache key  \(trial.cacheKey ?? "none (not cacheable)")")
            if let output = trial.output {
                let latency = String(format: "%.0f ms", output.latency * 1000)
                let tokens = output.usage.map { " · \($0.promptTokens)+\($0.completionTokens) tokens" } ?? ""
                print("  output     \(Self.indent(output.text))")
                if !output.toolCalls.isEmpty {
                    print("  tools      " + output.toolCalls.map { "\($0.name)(\($0.arguments.canonicalText))" }.joined(separator: ", "))
                }
                print("  latency    \(latency)\(tokens)\(output.finishReason.map { " · finish \($0)" } ?? "")")
            } else {
                print("  error      \(trial.error ?? "no output")")
            }
            for score in trial.scores {
                let verdict = score.passed.map { $0 ? "pass" : "FAIL" } ?? "unmeasured"
                print("  \(verdict.padding(toLength: 10, withPad: " ", startingAt: 0)) \(score.scorer): \(score.explanation)")
            }
        }
    }

    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n             ")
    }
}
