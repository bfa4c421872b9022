import AssayCore
import Foundation

/// The human report printed at the end of `assay run`: one block per run, then a final verdict line.
///
/// Each run's block holds a table of route x scorer (pass rate with its 95% interval, passed / failed /
/// unmeasured counts, the gate and its verdict), then latency, time to first token, tokens, cost, cost per
/// correct answer, cached trials, target errors, unmeasured reasons and failing cases. Unmeasured trials have a
/// column and a line of their own: they are never folded into passed or failed.
///
/// When the table is wider than `width`, each row is printed as a short stacked block instead, so nothing is
/// cut. Text from the run (routes, scorers, case ids, reasons) is printed on one line with control characters
/// replaced by U+FFFD, so a case id cannot drive the terminal.
public enum TerminalReport {
    /// How many failing case ids are listed per cell before `(+N more)`.
    static let listedCaseIDs = 10
    /// Width of the label column of the figures under the table.
    static let labelWidth = 15

    /// Renders runs for a terminal.
    /// - Parameters:
    ///   - summaries: The runs, in the order to print them.
    ///   - color: Whether to use ANSI colours and bold (pass it when standard output is a terminal and
    ///     `NO_COLOR` is unset); with `false` the output is plain text.
    ///   - width: The terminal's width in columns; values below 40 are treated as 40.
    /// - Returns: The report, ending with a newline; its last paragraph starts `VERDICT: PASS`, `VERDICT: FAIL` or
    ///   `VERDICT: INCONCLUSIVE`, followed by the gate counts (wrapped when the width asks for it).
    public static func render(_ summaries: [RunSummary], color: Bool, width: Int) -> String {
        let style = Style(enabled: color)
        let width = max(40, width)
        var lines: [String] = []
        if summaries.isEmpty {
            lines.append("No runs to report.")
        }
        for (index, summary) in summaries.enumerated() {
            if index > 0 { lines.append("") }
            lines += runBlock(summary, style: style, width: width)
        }
        lines.append("")
        lines += finalLine(summaries, style: style, width: width)
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - One run

    static func runBlock(_ summary: RunSummary, style: Style, width: Int) -> [String] {
        let run = summary.run
        var lines: [String] = []
        lines.append(style.bold(ReportText.singleLine("Assay \u{00B7} \(summary.reportTitle)")))
        let status = run.status == .completed ? run.status.rawValue : style.yellow(run.status.rawValue)
        let version = run.dataset.version.map { " " + ReportText.singleLine($0) } ?? ""
        let header = [
            "run \(ReportText.singleLine(run.id))",
            "dataset \(ReportText.singleLine(run.dataset.name))\(version)",
            "\(ReportText.count(run.dataset.caseCount)) cases",
            "\(run.samples) samples",
            "\(ReportText.count(run.totalTrials)) trials",
        ].joined(separator: " \u{00B7} ")
        let statusSuffix = " \u{00B7} " + run.status.rawValue
        let headerLines = ReportText.wrap(header, width: width - statusSuffix.count)
        for (index, text) in headerLines.enumerated() {
            let isLast = index == headerLines.count - 1
            lines.append((index == 0 ? "" : "  ") + text + (isLast ? " \u{00B7} " + status : ""))
        }
        lines.append("")

        let rows = summary.reportRows
        if rows.isEmpty {
            lines.append("No cells: nothing was scored in this run.")
        } else {
            lines += table(rows, style: style, width: width) ?? stacked(rows, style: style, width: width)
        }
        lines.append("")
        lines += figures(summary, style: style, width: width)
        return lines
    }

    /// A styled table cell: plain text (whose length sets the column width) and the ANSI codes to wrap it in.
    struct Cell {
        var text: String
        var codes: String? = nil
    }

    static func rowCells(_ row: ReportRow) -> [Cell] {
        let cell = row.cell
        let failed = cell?.failed ?? 0
        let unmeasured = cell?.unmeasured ?? 0
        return [
            Cell(text: ReportText.name(row.route)),
            Cell(text: ReportText.name(row.scorer)),
            Cell(text: cell.map(ReportText.passRate) ?? ReportText.notAvailable),
            Cell(text: cell.map { ReportText.count($0.passed) } ?? "-"),
            Cell(text: cell.map { _ in ReportText.count(failed) } ?? "-", codes: failed > 0 ? Style.red : nil),
            Cell(text: cell.map { _ in ReportText.count(unmeasured) } ?? "-", codes: unmeasured > 0 ? Style.yellow : nil),
            Cell(text: row.gate.map { ReportText.gate($0.gate) } ?? "-"),
            verdictCell(row.gate?.verdict),
        ]
    }

    static func verdictCell(_ verdict: GateVerdict?) -> Cell {
        guard let verdict else { return Cell(text: "monitor", codes: Style.dim) }
        return Cell(text: ReportText.verdict(verdict), codes: Style.codes(for: verdict))
    }

    /// The table, or nil when it does not fit in `width`.
    static func table(_ rows: [ReportRow], style: Style, width: Int) -> [String]? {
        let headers = ["route", "scorer", "pass rate (95% CI)", "passed", "failed", "unmeasured", "gate", "verdict"]
        let rightAligned: Set<Int> = [3, 4, 5]
        let body = rows.map { rowCells($0) }
        var widths = headers.map(\.count)
        for cells in body {
            for (index, cell) in cells.enumerated() { widths[index] = max(widths[index], cell.text.count) }
        }
        let gap = "  "
        guard widths.reduce(0, +) + gap.count * (widths.count - 1) <= width else { return nil }

        func line(_ cells: [Cell]) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.text.count)
                let styled = cell.codes.map { style.apply(cell.text, $0) } ?? cell.text
                let isLast = index == cells.count - 1
                parts.append(rightAligned.contains(index) ? padding + styled : styled + (isLast ? "" : padding))
            }
            return parts.joined(separator: gap)
        }
        let headerLine = line(headers.map { Cell(text: $0, codes: Style.bold) })
        return [headerLine] + body.map(line)
    }

    /// Each row as a small block: `route / scorer`, its figures, its gate.
    static func stacked(_ rows: [ReportRow], style: Style, width: Int) -> [String] {
        var lines: [String] = []
        for row in rows {
            let cells = rowCells(row)
            lines += ReportText.wrap("\(cells[0].text) / \(cells[1].text)", width: width).map { style.bold($0) }
            var figures = "\(cells[2].text) \u{00B7} \(cells[3].text) passed \u{00B7} "
            figures += "\(cells[4].text) failed \u{00B7} \(cells[5].text) unmeasured"
            lines += ReportText.wrap(figures, width: width - 4).map { "    " + $0 }
            let verdict = cells[7].codes.map { style.apply(cells[7].text, $0) } ?? cells[7].text
            let gate = row.gate.map { "gate \(ReportText.gate($0.gate)): " } ?? "no gate: "
            lines.append("    " + gate + verdict)
        }
        return lines
    }

    /// The figures under the table, as `label  value` lines.
    static func figures(_ summary: RunSummary, style: Style, width: Int) -> [String] {
        var lines: [String] = []
        let valueWidth = max(20, width - labelWidth)
        func add(_ label: String, _ value: String, codes: String? = nil) {
            let wrapped = ReportText.wrap(value, width: valueWidth)
            for (index, text) in wrapped.enumerated() {
                let prefix = index == 0 ? label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) : String(repeating: " ", count: labelWidth)
                lines.append(prefix + (codes.map { style.apply(text, $0) } ?? text))
            }
        }
        let usage = summary.usage

        if let latency = usage.latency, latency.count > 0 {
            add("latency", "p50 \(ReportText.seconds(latency.p50)) \u{00B7} p95 \(ReportText.seconds(latency.p95)) \u{00B7} p99 \(ReportText.seconds(latency.p99)) (\(ReportText.count(latency.count)) trials)")
        } else {
            add("latency", "not measured")
        }
        if let ttft = usage.timeToFirstToken, ttft.count > 0 {
            add("ttft", "p50 \(ReportText.seconds(ttft.p50)) (\(ReportText.count(ttft.count)) streamed trials)")
        } else {
            add("ttft", "not measured")
        }
        add("tokens", "\(ReportText.count(usage.promptTokens)) prompt \u{00B7} \(ReportText.count(usage.completionTokens)) completion"
            + (usage.answersWithoutUsage > 0 ? " \u{00B7} unknown for \(usage.answersWithoutUsage) answers (no usage reported)" : ""))
        add("cost", "\(ReportText.dollars(usage.cost)) target \u{00B7} \(ReportText.dollars(usage.scoringCost)) scoring")
        add("cost/correct", costPerCorrectText(summary.costPerCorrect))
        add("cached", "\(ReportText.count(usage.cached)) of \(ReportText.count(usage.trials)) trials")

        let errorReasons = ReportText.sortedReasons(summary.targetErrors)
            .map { "\(ReportText.singleLine($0.reason)) \u{00D7}\(ReportText.count($0.count))" }
        if usage.targetErrors == 0 && errorReasons.isEmpty {
            add("target errors", "none")
        } else {
            let head = "\(ReportText.count(usage.targetErrors)) trials" + (errorReasons.isEmpty ? "" : ": ")
            add("target errors", head + errorReasons.joined(separator: ", "), codes: Style.red)
        }

        let unmeasuredCells = summary.cells.filter { $0.unmeasured > 0 }
        if unmeasuredCells.isEmpty {
            add("unmeasured", "none")
        } else {
            add("unmeasured", "\(ReportText.count(summary.unmeasuredTotal)) trials (not counted as passed or failed)", codes: Style.yellow)
            for cell in unmeasuredCells {
                let reasons = ReportText.sortedReasons(cell.unmeasuredReasons)
                    .map { "\(ReportText.singleLine($0.reason)) \u{00D7}\(ReportText.count($0.count))" }
                let detail = reasons.isEmpty ? "\(ReportText.count(cell.unmeasured)) (no reason recorded)" : reasons.joined(separator: ", ")
                add("", "\(ReportText.name(cell.route)) / \(ReportText.name(cell.scorer)): \(detail)")
            }
        }

        let failingCells = summary.cells.filter { !$0.failingCaseIDs.isEmpty }
        if failingCells.isEmpty {
            add("failing cases", "none")
        } else {
            for (index, cell) in failingCells.enumerated() {
                let ids = ReportText.cappedList(cell.failingCaseIDs, limit: listedCaseIDs, render: ReportText.singleLine)
                add(index == 0 ? "failing cases" : "", "\(ReportText.name(cell.route)) / \(ReportText.name(cell.scorer)) (\(cell.failingCaseIDs.count)): \(ids)")
            }
        }
        for (index, cell) in summary.cells.filter({ !$0.flakyCaseIDs.isEmpty }).enumerated() {
            let ids = ReportText.cappedList(cell.flakyCaseIDs, limit: listedCaseIDs, render: ReportText.singleLine)
            add(index == 0 ? "flaky cases" : "", "\(ReportText.name(cell.route)) / \(ReportText.name(cell.scorer)) (\(cell.flakyCaseIDs.count)): \(ids)")
        }
        for (index, cell) in summary.cells.filter({ $0.generatorVariance != nil }).enumerated() {
            let parts = [("case", cell.caseVariance), ("generator", cell.generatorVariance), ("judge", cell.judgeVariance)]
                .compactMap { name, value in value.map { String(format: "%@ %.4f", name, $0) } }
            add(index == 0 ? "variance" : "", "\(ReportText.name(cell.route)) / \(ReportText.name(cell.scorer)): " + parts.joined(separator: " \u{00B7} "))
        }
        var lastTopic = ""
        for insight in summary.scorerInsights {
            let subject = insight.cell.map { "\(ReportText.name($0.route)) / \(ReportText.name($0.scorer)): " } ?? ""
            add(insight.topic == lastTopic ? "" : insight.topic, subject + insight.text)
            lastTopic = insight.topic
        }
        let counts = summary.gateCounts
        add("gates", counts.phrase)
        lines.append("verdict".padding(toLength: labelWidth, withPad: " ", startingAt: 0) + style.verdict(summary.verdict))
        return lines
    }

    static func costPerCorrectText(_ figure: CostPerCorrect) -> String {
        guard !figure.routes.isEmpty else { return "n/a (no gated scorer scored anything)" }
        guard let cost = figure.cost else { return "n/a (the summary has no per-route cost)" }
        guard let value = figure.value else { return "n/a (no correct trial)" }
        let routes = figure.routes.map(ReportText.singleLine).joined(separator: ", ")
        var text = "\(ReportText.dollars(value)) (\(ReportText.dollars(cost)) over \(ReportText.count(figure.correct)) correct trials of gated routes: \(routes))"
        if !figure.perRoute.isEmpty {
            text += "; per route: " + figure.perRoute.map { "\(ReportText.singleLine($0.route)) \($0.value.map(ReportText.dollars) ?? "n/a (none correct)")" }.joined(separator: ", ")
        }
        return text
    }

    static func finalLine(_ summaries: [RunSummary], style: Style, width: Int) -> [String] {
        let verdict = ReportVerdict.overall(summaries)
        let detail: String
        if summaries.isEmpty {
            detail = "no runs"
        } else {
            let gates = "gates: " + ReportVerdict.gateCounts(summaries).phrase
            detail = summaries.count == 1 ? gates : "\(summaries.count) runs; \(gates)"
        }
        let head = "VERDICT: " + ReportText.verdict(verdict)
        var lines = ReportText.wrapWords("\(head) (\(detail))", width: width)
        lines[0] = style.bold("VERDICT: ") + style.verdict(verdict) + String(lines[0].dropFirst(head.count))
        return lines
    }

    // MARK: - Style

    /// ANSI styling that is a no-op when colour is off.
    struct Style {
        static let bold = "1"
        static let dim = "2"
        static let red = "31"
        static let green = "32"
        static let yellow = "33"

        static func codes(for verdict: GateVerdict) -> String {
            switch verdict {
            case .pass: return "1;" + green
            case .fail: return "1;" + red
            case .inconclusive: return "1;" + yellow
            }
        }

        var enabled: Bool

        func apply(_ text: String, _ codes: String) -> String {
            enabled && !text.isEmpty ? "\u{1B}[\(codes)m\(text)\u{1B}[0m" : text
        }

        func bold(_ text: String) -> String { apply(text, Self.bold) }
        func yellow(_ text: String) -> String { apply(text, Self.yellow) }
        func verdict(_ verdict: GateVerdict) -> String { apply(ReportText.verdict(verdict), Self.codes(for: verdict)) }
    }
}
