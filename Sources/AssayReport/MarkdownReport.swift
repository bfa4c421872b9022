import AssayCore
import Foundation

/// The pull-request comment: GitHub-flavoured Markdown without emoji.
///
/// A headline with the overall verdict in bold (`## Assay: **FAIL**`), then per run a heading with its verdict,
/// a provenance line, a route x scorer table (pass rate with its 95% interval, passed / failed / unmeasured,
/// gate, verdict), one line of latency, tokens and cost, and collapsed `<details>` sections with the failed and
/// inconclusive gates (failing case ids, capped) and the unmeasured reasons and target errors.
///
/// Text from the run is escaped: in table cells `|` becomes `\|` and line breaks become `<br>`; elsewhere
/// Markdown punctuation is backslash-escaped and `<`, `>`, `&` become entities, so a route or reason cannot
/// open a link, a heading or an HTML tag. Identifiers outside tables (run and case ids) are code spans.
public enum MarkdownReport {
    /// How many failing case ids are listed per cell before `(+N more)`.
    static let listedCaseIDs = 50

    /// Renders runs as a Markdown comment.
    /// - Parameter summaries: The runs, in the order to show them.
    /// - Returns: The Markdown, ending with a newline.
    public static func render(_ summaries: [RunSummary]) -> String {
        var blocks: [String] = []
        let overall = ReportVerdict.overall(summaries)
        blocks.append("## Assay: **\(ReportText.verdict(overall))**")
        if summaries.isEmpty {
            blocks.append("No runs to report.")
        } else {
            let runs = summaries.count == 1 ? "1 run" : "\(summaries.count) runs"
            blocks.append("\(runs) \u{00B7} gates: \(ReportVerdict.gateCounts(summaries).phrase)")
        }
        for summary in summaries {
            blocks += runBlocks(summary)
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    static func runBlocks(_ summary: RunSummary) -> [String] {
        let run = summary.run
        var blocks: [String] = []
        blocks.append("### \(inline(summary.reportTitle)): **\(ReportText.verdict(summary.verdict))**")

        var provenance = "Run \(code(run.id)) \u{00B7} dataset \(code(run.dataset.name))"
        if let version = run.dataset.version { provenance += " \(inline(version))" }
        provenance += " (\(ReportText.count(run.dataset.caseCount)) cases, sha256 \(code(String(run.dataset.sha256.prefix(12)))))"
        provenance += " \u{00B7} \(run.samples) samples \u{00B7} \(ReportText.count(run.totalTrials)) trials \u{00B7} \(run.status.rawValue)"
        blocks.append(provenance)

        let rows = summary.reportRows
        if rows.isEmpty {
            blocks.append("_No cells: nothing was scored in this run._")
        } else {
            var table = [
                "| route | scorer | pass rate (95% CI) | passed | failed | unmeasured | gate | verdict |",
                "| :--- | :--- | ---: | ---: | ---: | ---: | :--- | :--- |",
            ]
            for row in rows {
                let cell = row.cell
                let passRate: String = cell.map(ReportText.passRate) ?? ReportText.notAvailable
                let passed: String = cell.map { ReportText.count($0.passed) } ?? "-"
                let failed: String = cell.map { ReportText.count($0.failed) } ?? "-"
                let unmeasured: String = cell.map { ReportText.count($0.unmeasured) } ?? "-"
                let gate: String = row.gate.map { ReportText.gate($0.gate) } ?? "-"
                let verdict: String = row.gate.map { "**" + ReportText.verdict($0.verdict) + "**" } ?? "monitor"
                let columns: [String] = [
                    tableCell(row.route.isEmpty ? "(none)" : row.route), tableCell(row.scorer.isEmpty ? "(none)" : row.scorer), passRate, passed, failed, unmeasured, gate, verdict,
                ]
                table.append("| " + columns.joined(separator: " | ") + " |")
            }
            blocks.append(table.joined(separator: "\n"))
        }
        blocks.append(figures(summary))
        let insights = summary.scorerInsights
        if !insights.isEmpty {
            blocks.append(insights.map { insight in
                let subject = insight.cell.map { "\(code($0.route)) / \(code($0.scorer)): " } ?? ""
                return "- **\(inline(insight.topic).prefix(1).uppercased() + inline(insight.topic).dropFirst())** \(subject)\(inline(insight.text))"
            }.joined(separator: "\n"))
        }
        if let failing = failingDetails(summary) { blocks.append(failing) }
        if let unmeasured = unmeasuredDetails(summary) { blocks.append(unmeasured) }
        return blocks
    }

    static func figures(_ summary: RunSummary) -> String {
        let usage = summary.usage
        var parts: [String] = []
        if let latency = usage.latency, latency.count > 0 {
            parts.append("**Latency** p50 \(ReportText.seconds(latency.p50)), p95 \(ReportText.seconds(latency.p95)), p99 \(ReportText.seconds(latency.p99))")
        } else {
            parts.append("**Latency** not measured")
        }
        if let ttft = usage.timeToFirstToken, ttft.count > 0 {
            parts.append("**TTFT** p50 \(ReportText.seconds(ttft.p50))")
        }
        parts.append("**Tokens** \(ReportText.count(usage.promptTokens)) prompt, \(ReportText.count(usage.completionTokens)) completion"
            + (usage.answersWithoutUsage > 0 ? " (unknown for \(usage.answersWithoutUsage) answers)" : ""))
        parts.append("**Cost** \(dollars(usage.cost)) target + \(dollars(usage.scoringCost)) scoring")
        let perCorrect = summary.costPerCorrect
        var perCorrectText = perCorrect.value.map(dollars) ?? ReportText.notAvailable
        if !perCorrect.perRoute.isEmpty {
            perCorrectText += " (" + perCorrect.perRoute.map { "\(inline($0.route)) \($0.value.map(dollars) ?? ReportText.notAvailable)" }.joined(separator: ", ") + ")"
        }
        parts.append("**Per correct answer** \(perCorrectText)")
        parts.append("**Cached** \(ReportText.count(usage.cached)) of \(ReportText.count(usage.trials))")
        parts.append("**Target errors** \(ReportText.count(usage.targetErrors))")
        parts.append("**Unmeasured** \(ReportText.count(summary.unmeasuredTotal))")
        return parts.joined(separator: " \u{00B7} ")
    }

    static func failingDetails(_ summary: RunSummary) -> String? {
        var items: [String] = []
        var failingCases = 0
        for row in summary.reportRows {
            let ids = row.cell?.failingCaseIDs ?? []
            let gateFailed = row.gate?.verdict == .fail
            guard gateFailed || !ids.isEmpty else { continue }
            failingCases += ids.count
            var item = "- \(code(row.route)) / \(code(row.scorer))"
            if let gate = row.gate {
                item += ": gate \(ReportText.gate(gate.gate)) **\(ReportText.verdict(gate.verdict))**, \(inline(gate.explanation))"
            } else {
                item += " (monitor)"
            }
            item += ids.isEmpty ? "; no case failed outright" : "; \(ids.count) failing: " + ReportText.cappedList(ids, limit: listedCaseIDs, render: code)
            items.append(item)
        }
        guard !items.isEmpty else { return nil }
        let summaryLine = "Failing cases: \(ReportText.count(failingCases)) in \(items.count) cell\(items.count == 1 ? "" : "s")"
        return details(summaryLine, items)
    }

    static func unmeasuredDetails(_ summary: RunSummary) -> String? {
        var items: [String] = []
        for row in summary.reportRows {
            guard let cell = row.cell, cell.unmeasured > 0 || row.gate?.verdict == .inconclusive else { continue }
            let reasons = ReportText.sortedReasons(cell.unmeasuredReasons).map { "\(inline($0.reason)) (\(ReportText.count($0.count)))" }
            var item = "- \(code(cell.route)) / \(code(cell.scorer)): \(ReportText.count(cell.unmeasured)) of \(ReportText.count(cell.trials)) trials"
            if let gate = row.gate, gate.verdict == .inconclusive { item += ", gate **INCONCLUSIVE**" }
            if !reasons.isEmpty { item += ": " + reasons.joined(separator: ", ") }
            items.append(item)
        }
        let usage = summary.usage
        if usage.targetErrors > 0 || !summary.targetErrors.isEmpty {
            let reasons = ReportText.sortedReasons(summary.targetErrors).map { "\(inline($0.reason)) (\(ReportText.count($0.count)))" }
            items.append("- target errors: \(ReportText.count(usage.targetErrors)) trials" + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: ", ")))
        }
        guard !items.isEmpty else { return nil }
        return details("Unmeasured: \(ReportText.count(summary.unmeasuredTotal)) trials (not counted as passed or failed)", items)
    }

    static func details(_ summary: String, _ items: [String]) -> String {
        "<details>\n<summary>\(inline(summary))</summary>\n\n" + items.joined(separator: "\n") + "\n\n</details>"
    }

    // MARK: - Escaping

    /// Characters that Markdown (with GitHub's extensions) may read as syntax, backslash-escaped by ``inline(_:)``.
    static let punctuation: Set<Character> = ["\\", "`", "*", "_", "[", "]", "#", "|", "~", "$", "!"]

    /// `text` as literal inline Markdown on one line: punctuation backslash-escaped, `<`, `>`, `&` as entities.
    static func inline(_ text: String) -> String {
        var result = ""
        for character in ReportText.singleLine(text) {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            default:
                if punctuation.contains(character) { result.append("\\") }
                result.append(character)
            }
        }
        return result
    }

    /// `text` as a table cell: escaped like ``inline(_:)`` (which escapes `|`), with line breaks as `<br>`.
    static func tableCell(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { inline(String($0)) }
            .joined(separator: "<br>")
    }

    /// `text` as a code span, fenced with more backticks than it contains in a row; `*(none)*` when empty.
    /// Not for table cells (GitHub splits cells on `|` even inside code spans).
    static func code(_ text: String) -> String {
        let content = ReportText.singleLine(text)
        guard !content.isEmpty else { return "*(none)*" }
        var longest = 0
        var run = 0
        for character in content {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = content.hasPrefix("`") || content.hasSuffix("`") || content.hasPrefix(" ") || content.hasSuffix(" ")
        return pad ? "\(fence) \(content) \(fence)" : "\(fence)\(content)\(fence)"
    }

    /// A dollar amount with its `$` escaped (GitHub reads `$...$` as mathematics).
    static func dollars(_ value: Double) -> String {
        ReportText.dollars(value).replacingOccurrences(of: "$", with: "\\$")
    }
}
