import AssayCore
import Foundation

extension Aggregator {
    /// Judges a run's gates against a baseline run: a gate whose rubric regressed significantly (paired test,
    /// Holm-corrected) fails; one that dropped without significance becomes inconclusive, saying how many paired
    /// cases would decide; threshold failures stay failures.
    /// - Parameters:
    ///   - summary: The candidate run's summary (gates judged on thresholds already).
    ///   - comparison: Baseline vs this run.
    /// - Returns: The summary with gates and verdict updated.
    public static func applyBaseline(_ summary: RunSummary, comparison: RunComparison) -> RunSummary {
        var summary = summary
        let baselineID = comparison.baseline.id
        func update(_ gate: GateResult) -> GateResult {
            var gate = gate
            guard let cell = comparison.cells.first(where: { $0.route == gate.route && $0.scorer == gate.scorer }),
                  let difference = cell.difference else {
                return gate
            }
            let p = ComparisonText.pValue(cell.adjustedPValue ?? cell.pValue)
            let change = ComparisonText.points(difference)
            switch cell.verdict {
            case .regressed:
                gate.verdict = .fail
                gate.explanation += "; regressed vs baseline \(baselineID): \(change) points (p \(p))"
            case .noDetectableChange where difference < 0 && gate.verdict == .pass:
                gate.verdict = .inconclusive
                let needed = cell.casesNeeded.map { "; about \($0) paired cases would decide" } ?? ""
                gate.explanation += "; \(change) points vs baseline \(baselineID), not significant (p \(p))\(needed)"
            case .improved:
                gate.explanation += "; improved vs baseline \(baselineID): \(change) points (p \(p))"
            default:
                gate.explanation += "; no detectable change vs baseline \(baselineID) (\(change) points)"
            }
            return gate
        }
        summary.gates = summary.gates.map(update)
        for index in summary.cells.indices {
            if let gate = summary.cells[index].gate { summary.cells[index].gate = update(gate) }
        }
        if summary.gates.contains(where: { $0.verdict == .fail }) {
            summary.verdict = .fail
        } else if summary.gates.contains(where: { $0.verdict == .inconclusive }) {
            summary.verdict = .inconclusive
        } else {
            summary.verdict = .pass
        }
        return summary
    }
}

/// Number formats shared by baseline explanations.
enum ComparisonText {
    static func points(_ value: Double) -> String { String(format: "%+.1f", value * 100) }
    static func pValue(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return value < 0.001 ? "< 0.001" : String(format: "= %.3f", value)
    }
}
