import AssayCore
import AssayStats
import Foundation

/// Paired comparison of two runs: per route x scorer, on the cases both runs scored, with McNemar's exact test
/// (one sample per case) or a paired permutation test (several samples: per-case pass fractions), Holm's
/// correction across the rubric vector, a paired-bootstrap interval of the difference, and the minimum detectable
/// effect at this n.
public enum Comparator {
    /// Scorer or route names that mark a safety or refusal rubric (listed first; a regression there is never a
    /// clean win).
    static let safetyMarkers = ["safety", "safe", "refus", "pii", "leak", "harm", "jailbreak", "injection", "toxic", "secret", "unsafe"]

    /// Compares two runs.
    /// - Parameters:
    ///   - baseline: The baseline run and its trials.
    ///   - candidate: The candidate run and its trials.
    ///   - alpha: Significance level (default 0.05).
    /// - Returns: The comparison.
    public static func compare(
        baseline: (RunRecord, [TrialRecord]), candidate: (RunRecord, [TrialRecord]), alpha: Double = 0.05
    ) -> RunComparison {
        let baseCases = Set(baseline.1.map(\.caseID))
        let shared = Set(candidate.1.map(\.caseID)).intersection(baseCases)
        let baseTrials = baseline.1.filter { shared.contains($0.caseID) }
        let candTrials = candidate.1.filter { shared.contains($0.caseID) }

        var keys: [(route: String, scorer: String)] = []
        var seen = Set<String>()
        for trial in baseTrials + candTrials {
            for score in trial.scores where seen.insert("\(trial.route)\u{0}\(score.scorer)").inserted {
                keys.append((trial.route, score.scorer))
            }
        }
        var cells = keys.map { cell(route: $0.route, scorer: $0.scorer, baseline: baseTrials, candidate: candTrials, alpha: alpha) }

        // Holm across the compared cells.
        let tested = cells.indices.filter { cells[$0].pValue != nil }
        if let adjusted = MultipleComparisons.holm(tested.compactMap { cells[$0].pValue }) {
            for (index, value) in zip(tested, adjusted) {
                cells[index].adjustedPValue = value
                cells[index].verdict = verdict(difference: cells[index].difference, adjusted: value, alpha: alpha)
            }
        }
        cells.sort { a, b in
            if a.isSafety != b.isSafety { return a.isSafety }
            return (a.route, a.scorer) < (b.route, b.scorer)
        }
        let cleanWin = !cells.isEmpty && !cells.contains { $0.verdict == .regressed }
            && cells.contains { $0.verdict != .unmeasured }
        return RunComparison(
            baseline: baseline.0, candidate: candidate.0, sharedCases: shared.count, cells: cells,
            baselineUsage: Aggregator.usage(baseTrials), candidateUsage: Aggregator.usage(candTrials),
            alpha: alpha, cleanWin: cleanWin
        )
    }

    static func verdict(difference: Double?, adjusted: Double, alpha: Double) -> ChangeVerdict {
        guard let difference, adjusted < alpha else { return .noDetectableChange }
        return difference > 0 ? .improved : difference < 0 ? .regressed : .noDetectableChange
    }

    /// Per-case pass fraction over the scored samples of one scorer.
    static func passFractions(_ trials: [TrialRecord], route: String, scorer: String) -> [String: Double] {
        var sums: [String: (passed: Int, scored: Int)] = [:]
        for trial in trials where trial.route == route {
            guard let score = trial.scores.first(where: { $0.scorer == scorer }), let passed = score.passed else { continue }
            var entry = sums[trial.caseID] ?? (0, 0)
            entry.scored += 1
            if passed { entry.passed += 1 }
            sums[trial.caseID] = entry
        }
        return sums.mapValues { Double($0.passed) / Double($0.scored) }
    }

    static func cell(route: String, scorer: String, baseline: [TrialRecord], candidate: [TrialRecord], alpha: Double) -> CellComparison {
        let base = passFractions(baseline, route: route, scorer: scorer)
        let cand = passFractions(candidate, route: route, scorer: scorer)
        let ids = Set(base.keys).intersection(cand.keys).sorted()
        let name = "\(route) \(scorer)".lowercased()
        let isSafety = safetyMarkers.contains { name.contains($0) }
        var result = CellComparison(
            route: route, scorer: scorer, isSafety: isSafety, pairedCases: ids.count, baselinePassRate: nil,
            candidatePassRate: nil, difference: nil, differenceLower: nil, differenceUpper: nil, baselineOnly: 0,
            candidateOnly: 0, test: "", pValue: nil, adjustedPValue: nil, minimumDetectableEffect: nil, casesNeeded: nil,
            verdict: .unmeasured
        )
        guard !ids.isEmpty else { return result }
        let x = ids.map { base[$0] ?? 0 }
        let y = ids.map { cand[$0] ?? 0 }
        let n = Double(ids.count)
        result.baselinePassRate = x.reduce(0, +) / n
        result.candidatePassRate = y.reduce(0, +) / n
        result.difference = (result.candidatePassRate ?? 0) - (result.baselinePassRate ?? 0)
        result.baselineOnly = zip(x, y).filter { $0 > $1 }.count
        result.candidateOnly = zip(x, y).filter { $0 < $1 }.count
        let binary = (x + y).allSatisfy { $0 == 0 || $0 == 1 }
        if binary {
            result.test = "mcnemar_exact"
            result.pValue = McNemar.exact(b: result.baselineOnly, c: result.candidateOnly)?.pValue
        } else {
            result.test = "paired_permutation"
            result.pValue = (try? PairedPermutation.test(x, y, alternative: .twoSided, resamples: 10_000, seed: 1))?.pValue
        }
        if let interval = try? PairedBootstrap.meanDifference(x, y, resamples: 2_000, seed: 1).interval {
            // The bootstrap resamples differences x - y; the report speaks of candidate - baseline.
            result.differenceLower = -interval.upper
            result.differenceUpper = -interval.lower
        }
        let discordance = Double(result.baselineOnly + result.candidateOnly) / n
        // A drop of d needs the runs to disagree on at least d of the cases, so the MDE assumes the larger of the
        // observed discordance and the planning default (20%).
        result.minimumDetectableEffect = Power.pairedProportionsMinimumDetectableEffect(
            discordance: max(discordance, Planning.Assumptions().discordance), n: ids.count, alpha: alpha
        )
        let firstOnly = Double(result.baselineOnly) / n, secondOnly = Double(result.candidateOnly) / n
        if firstOnly != secondOnly {
            result.casesNeeded = Power.pairedProportionsSampleSize(firstOnly: firstOnly, secondOnly: secondOnly, alpha: alpha)
        }
        result.verdict = verdict(difference: result.difference, adjusted: result.pValue ?? 1, alpha: alpha)
        return result
    }
}
