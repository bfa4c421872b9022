import AssayCore
import AssayStats
import Foundation

/// How a scorer's verdicts agree with human labels on the same trials.
public struct ScorerAgreement: Sendable, Hashable, Codable {
    /// The scorer.
    public var scorer: String
    /// Labelled trials (a label for every sample counts once per sample the run has).
    public var labelled: Int
    /// Labelled trials the scorer left unmeasured (not in the table).
    public var unmeasured: Int
    /// Labels whose case and sample the run does not have, or whose trial has no score of this scorer.
    public var withoutTrial: Int
    /// `table[scorer][human]`, index 0 pass and 1 fail, over trials with both verdicts.
    public var table: [[Int]]
    /// Cohen's kappa with its interval; nil when it is undefined (no pairs, or one verdict everywhere).
    public var kappa: KappaResult?
    /// Share of paired trials where scorer and human agree; nil without pairs.
    public var accuracy: Double?
    /// Spearman's rank correlation between the scorer's value and the human `score`; nil with fewer than 3 pairs
    /// or no spread.
    public var spearman: Double?
    /// Pairs behind `spearman`.
    public var scorePairs: Int

    /// The scorer passed what people failed.
    public var falsePasses: Int { table[0][1] }
    /// The scorer failed what people passed.
    public var falseFails: Int { table[1][0] }
    /// Trials with both verdicts.
    public var pairs: Int { table.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Landis and Koch's words for a kappa: poor, slight, fair, moderate, substantial, almost perfect.
    public static func strength(_ kappa: Double) -> String {
        switch kappa {
        case ..<0: return "poor"
        case ..<0.2: return "slight"
        case ..<0.4: return "fair"
        case ..<0.6: return "moderate"
        case ..<0.8: return "substantial"
        default: return "almost perfect"
        }
    }
}

/// Compares a run's scores with human labels.
public enum JudgeAgreement {
    /// Agreement per scorer.
    /// - Parameters:
    ///   - trials: The run's trials.
    ///   - labels: Human labels.
    ///   - scorer: The scorer labels without a `scorer` field are about; nil when every label names one.
    /// - Returns: One entry per labelled scorer, in name order.
    /// - Throws: `AssayError` (dataset) for a label that names no scorer when `scorer` is nil.
    public static func compute(trials: [TrialRecord], labels: [HumanLabel], scorer: String? = nil) throws -> [ScorerAgreement] {
        var byCase: [String: [TrialRecord]] = [:]
        for trial in trials { byCase[trial.caseID, default: []].append(trial) }
        var rows: [String: ScorerAgreement] = [:]
        var scorePairs: [String: (judge: [Double], human: [Double])] = [:]
        for label in labels {
            guard let name = label.scorer ?? scorer else {
                throw AssayError.dataset("the label of case '\(label.caseID)' names no scorer; add \"scorer\" or pass --scorer", at: label.location, field: "scorer")
            }
            var row = rows[name] ?? ScorerAgreement(
                scorer: name, labelled: 0, unmeasured: 0, withoutTrial: 0, table: [[0, 0], [0, 0]], kappa: nil, accuracy: nil,
                spearman: nil, scorePairs: 0
            )
            let matching = (byCase[label.caseID] ?? []).filter { label.sample == nil || $0.sample == label.sample }
            let scores = matching.compactMap { trial in trial.scores.first { $0.scorer == name } }
            if scores.isEmpty {
                row.labelled += 1
                row.withoutTrial += 1
            }
            for score in scores {
                row.labelled += 1
                guard score.status.isScored, let judged = score.passed else {
                    row.unmeasured += 1
                    continue
                }
                if let human = label.passed {
                    row.table[judged ? 0 : 1][human ? 0 : 1] += 1
                }
                if let human = label.score, let value = score.value {
                    scorePairs[name, default: ([], [])].judge.append(value)
                    scorePairs[name, default: ([], [])].human.append(human)
                }
            }
            rows[name] = row
        }
        return rows.keys.sorted().compactMap { name in
            guard var row = rows[name] else { return nil }
            let pairs = row.pairs
            row.accuracy = pairs > 0 ? Double(row.table[0][0] + row.table[1][1]) / Double(pairs) : nil
            row.kappa = pairs > 0 ? Agreement.cohensKappa(row.table) : nil
            if let values = scorePairs[name], values.judge.count >= 3 {
                row.spearman = Correlation.spearman(values.judge, values.human)
                row.scorePairs = values.judge.count
            }
            return row
        }
    }
}
