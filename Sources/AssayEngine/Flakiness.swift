import AssayCore
import Foundation

/// One case's verdict history on one route x scorer across runs.
public struct CaseFlakiness: Sendable, Hashable, Codable {
    /// The route.
    public var route: String
    /// The scorer.
    public var scorer: String
    /// The case.
    public var caseID: String
    /// Runs in which the case was scored.
    public var runs: Int
    /// Scored trials that passed, over all those runs and samples.
    public var passed: Int
    /// Scored trials that failed.
    public var failed: Int
    /// Times the per-run majority verdict changed from one run to the next (oldest first).
    public var flips: Int
    /// The per-run pass fractions, oldest run first.
    public var history: [Double]

    /// True when the case both passed and failed.
    public var isFlaky: Bool { passed > 0 && failed > 0 }
    /// The failure rate over all scored trials.
    public var failureRate: Double { passed + failed > 0 ? Double(failed) / Double(passed + failed) : 0 }
}

/// Per-case flakiness across a suite's runs, computed from the store's trials.
public enum Flakiness {
    /// Builds verdict histories.
    /// - Parameter runs: Runs with their trials, in any order (sorted oldest first here).
    /// - Returns: The flaky cases (passed and failed at least once), most flips first.
    public static func history(_ runs: [(RunRecord, [TrialRecord])]) -> [CaseFlakiness] {
        let ordered = runs.sorted { ($0.0.createdAt, $0.0.id) < ($1.0.createdAt, $1.0.id) }
        var table: [String: CaseFlakiness] = [:]
        for (_, trials) in ordered {
            var perRun: [String: (route: String, scorer: String, caseID: String, passed: Int, scored: Int)] = [:]
            for trial in trials {
                for score in trial.scores {
                    guard let passed = score.passed else { continue }
                    let key = "\(trial.route)\u{0}\(score.scorer)\u{0}\(trial.caseID)"
                    var entry = perRun[key] ?? (trial.route, score.scorer, trial.caseID, 0, 0)
                    entry.scored += 1
                    if passed { entry.passed += 1 }
                    perRun[key] = entry
                }
            }
            for (key, entry) in perRun {
                var item = table[key] ?? CaseFlakiness(
                    route: entry.route, scorer: entry.scorer, caseID: entry.caseID, runs: 0, passed: 0, failed: 0, flips: 0, history: []
                )
                let fraction = Double(entry.passed) / Double(entry.scored)
                if let previous = item.history.last, (previous >= 0.5) != (fraction >= 0.5) { item.flips += 1 }
                item.runs += 1
                item.passed += entry.passed
                item.failed += entry.scored - entry.passed
                item.history.append(fraction)
                table[key] = item
            }
        }
        return table.values.filter(\.isFlaky).sorted {
            ($0.flips, abs(0.5 - $1.failureRate), $1.route, $1.scorer, $1.caseID) > ($1.flips, abs(0.5 - $0.failureRate), $0.route, $0.scorer, $0.caseID)
        }
    }
}
