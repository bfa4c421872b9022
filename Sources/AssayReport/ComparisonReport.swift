import AssayCore
import Foundation

/// Renders a paired comparison of two runs for the terminal and for Markdown.
public enum ComparisonReport {
    static func points(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return String(format: "%+.1f", value * 100)
    }

    static func rate(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return String(format: "%.1f%%", value * 100)
    }

    static func pValue(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return value < 0.001 ? "<0.001" : String(format: "%.3f", value)
    }

    static func verdictText(_ cell: CellComparison) -> String {
        switch cell.verdict {
        case .improved: return "improved"
        case .regressed: return "REGRESSED"
        case .unmeasured: return "unmeasured"
        case .noDetectableChange:
            var text = "no detectable change"
            if let mde = cell.minimumDetectableEffect { text += String(format: " (MDE %.1f pts)", mde * 100) }
            return text
        }
    }

    static func rows(_ comparison: RunComparison) -> [[String]] {
        comparison.cells.map { cell in
            let interval = cell.differenceLower.map { lower in "[\(points(lower)), \(points(cell.differenceUpper))]" } ?? ""
            return [
                (cell.isSafety ? "! " : "") + cell.route, cell.scorer, "\(cell.pairedCases)", rate(cell.baselinePassRate),
                rate(cell.candidatePassRate), "\(points(cell.difference)) \(interval)", pValue(cell.adjustedPValue ?? cell.pValue),
                verdictText(cell),
            ]
        }
    }

    static let header = ["route", "scorer", "n", "baseline", "candidate", "diff pts [95% CI]", "p (Holm)", "verdict"]

    static func costPerCorrect(_ usage: UsageSummary, passed: Double) -> String {
        passed > 0 ? String(format: "$%.6f", usage.cost / passed) : "n/a"
    }

    static func operations(_ comparison: RunComparison) -> [(String, String, String)] {
        func latency(_ summary: LatencySummary?, _ path: KeyPath<LatencySummary, Double>) -> String {
            summary.map { String(format: "%.0f ms", $0[keyPath: path] * 1000) } ?? "n/a"
        }
        let b = comparison.baselineUsage, c = comparison.candidateUsage
        // Correct answers: the fewest passes among the non-safety cells (an answer is correct only if it passes all).
        func correct(_ rate: (CellComparison) -> Double?) -> Double {
            comparison.cells.filter { !$0.isSafety }.compactMap { cell in rate(cell).map { $0 * Double(cell.pairedCases) } }.min() ?? 0
        }
        let basePassed = correct { $0.baselinePassRate }
        let candPassed = correct { $0.candidatePassRate }
        return [
            ("latency p50", latency(b.latency, \.p50), latency(c.latency, \.p50)),
            ("latency p95", latency(b.latency, \.p95), latency(c.latency, \.p95)),
            ("latency p99", latency(b.latency, \.p99), latency(c.latency, \.p99)),
            ("tokens", "\(b.promptTokens + b.completionTokens)", "\(c.promptTokens + c.completionTokens)"),
            ("cost", String(format: "$%.6f", b.cost), String(format: "$%.6f", c.cost)),
            ("cost per correct", costPerCorrect(b, passed: basePassed), costPerCorrect(c, passed: candPassed)),
            ("target errors", "\(b.targetErrors)", "\(c.targetErrors)"),
        ]
    }

    /// A plain-text table for the terminal.
    /// - Parameter comparison: The comparison.
    /// - Returns: The text, ending with a newline.
    public static func terminal(_ comparison: RunComparison) -> String {
        var out = "Assay compare · baseline \(comparison.baseline.id) (\(comparison.baseline.targetName)) → candidate \(comparison.candidate.id) (\(comparison.candidate.targetName))\n"
        out += "\(comparison.sharedCases) shared cases · paired tests, Holm-corrected at alpha \(comparison.alpha) · ! = safety/refusal\n\n"
        let table = [header] + rows(comparison)
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for row in table {
            out += zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ") + "\n"
        }
        out += "\n"
        for (name, base, cand) in operations(comparison) {
            out += name.padding(toLength: 18, withPad: " ", startingAt: 0) + base.padding(toLength: 14, withPad: " ", startingAt: 0) + "→ " + cand + "\n"
        }
        out += "\n" + summaryLine(comparison) + "\n"
        return out
    }

    static func summaryLine(_ comparison: RunComparison) -> String {
        let regressed = comparison.cells.filter { $0.verdict == .regressed }
        let improved = comparison.cells.filter { $0.verdict == .improved }
        if !regressed.isEmpty {
            return "VERDICT: REGRESSED (\(regressed.map { "\($0.route)/\($0.scorer)" }.joined(separator: ", ")))"
        }
        if comparison.cleanWin && !improved.isEmpty {
            return "VERDICT: CLEAN WIN (\(improved.count) improved, none regressed)"
        }
        if comparison.cleanWin { return "VERDICT: NO DETECTABLE CHANGE (none regressed)" }
        return "VERDICT: NOTHING COMPARED (no case scored in both runs)"
    }

    /// Markdown for a pull-request comment.
    /// - Parameter comparison: The comparison.
    /// - Returns: The Markdown.
    public static func markdown(_ comparison: RunComparison) -> String {
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var out = "## Assay compare: **\(summaryLine(comparison).replacingOccurrences(of: "VERDICT: ", with: ""))**\n\n"
        out += "Baseline `\(comparison.baseline.id)` → candidate `\(comparison.candidate.id)` · \(comparison.sharedCases) shared cases · paired tests, Holm-corrected, alpha \(comparison.alpha)\n\n"
        out += "| " + header.joined(separator: " | ") + " |\n|" + String(repeating: " --- |", count: header.count) + "\n"
        for row in rows(comparison) { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        out += "\n| | baseline | candidate |\n| --- | --- | --- |\n"
        for (name, base, cand) in operations(comparison) { out += "| \(name) | \(base) | \(cand) |\n" }
        return out
    }
}
