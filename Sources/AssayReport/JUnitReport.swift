import AssayCore
import Foundation

/// The CI report: JUnit XML, as read by Jenkins, GitLab, GitHub Actions test reporters and the like.
///
/// Shape (documented in `docs/report-format.md`):
/// - a `<testsuites name="assay">` root with `tests`, `failures`, `errors` and `time` summed over its suites
///   (Jenkins' schema has no `skipped` on the root; each suite carries its own);
/// - one `<testsuite>` per run, named `suite/target`, with `tests`, `failures`, `errors`, `skipped`, `time`
///   (the run's wall-clock seconds, 0 when it has not finished), `timestamp` (creation, UTC, no zone designator,
///   as Ant writes it), `hostname`, `id` and `package`; then `<properties>` (run id, dataset, fingerprints,
///   provenance), its test cases, `<system-out>` (every cell's figures, monitors included) and `<system-err>`
///   (target errors and unmeasured reasons);
/// - one `<testcase classname="route" name="scorer" time="0.000">` per gate: a failed gate holds
///   `<failure type="GateFailed">` naming the failing case ids (capped, with a count), an inconclusive gate holds
///   `<skipped>`, and every gated test case holds a `<system-out>` with its figures.
///
/// Scorers without a gate are not test cases (a green test must mean a gate held); their figures are in the
/// suite's `<system-out>`. Target errors never become `<error>`: the gate verdicts decide, and a trial without an
/// output is unmeasured, so `errors` is always 0.
///
/// Text is escaped for XML 1.0: characters XML forbids (most C0 controls, U+FFFE, U+FFFF) and the discouraged
/// DEL and C1 controls become U+FFFD; line breaks and tabs in attributes are written as character references.
public enum JUnitReport {
    /// How many failing case ids a `<failure>`'s `message` names before `(+N more)`.
    static let idsInMessage = 10
    /// How many failing case ids a `<failure>`'s text lists before `(+N more)`.
    static let idsInBody = 100

    /// Renders runs as JUnit XML.
    /// - Parameter summaries: The runs, one `<testsuite>` each.
    /// - Returns: The XML document (UTF-8 declaration), ending with a newline.
    public static func render(_ summaries: [RunSummary]) -> String {
        var suites: [String] = []
        var totals = (tests: 0, failures: 0, time: 0.0)
        for (index, summary) in summaries.enumerated() {
            let suite = testSuite(summary, id: index)
            suites.append(suite.xml)
            totals.tests += suite.tests
            totals.failures += suite.failures
            totals.time += summary.reportDuration ?? 0
        }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        let rootAttributes = attributes([
            ("name", "assay"), ("tests", String(totals.tests)), ("failures", String(totals.failures)),
            ("errors", "0"), ("time", time(totals.time)),
        ])
        if suites.isEmpty {
            xml += "<testsuites\(rootAttributes)/>\n"
        } else {
            xml += "<testsuites\(rootAttributes)>\n" + suites.joined() + "</testsuites>\n"
        }
        return xml
    }

    // MARK: - One run

    static func testSuite(_ summary: RunSummary, id: Int) -> (xml: String, tests: Int, failures: Int) {
        let run = summary.run
        var cases = ""
        var counts = (tests: 0, failures: 0, skipped: 0)
        for row in summary.reportRows {
            guard let gate = row.gate else { continue }
            counts.tests += 1
            let open = "    <testcase" + attributes([
                ("classname", nonEmpty(row.route)), ("name", nonEmpty(row.scorer)), ("time", time(0)),
            ]) + ">\n"
            var body = ""
            switch gate.verdict {
            case .pass:
                break
            case .fail:
                counts.failures += 1
                body += "      <failure" + attributes([("message", failureMessage(row, gate)), ("type", "GateFailed")]) + ">"
                body += text(failureBody(row, gate)) + "</failure>\n"
            case .inconclusive:
                counts.skipped += 1
                body += "      <skipped" + attributes([("message", skippedMessage(row, gate))]) + "/>\n"
            }
            body += "      <system-out>" + text(figures(row)) + "</system-out>\n"
            cases += open + body + "    </testcase>\n"
        }

        var xml = "  <testsuite" + attributes([
            ("name", nonEmpty("\(run.suiteName)/\(run.targetName)")),
            ("tests", String(counts.tests)),
            ("failures", String(counts.failures)),
            ("errors", "0"),
            ("skipped", String(counts.skipped)),
            ("time", time(summary.reportDuration ?? 0)),
            ("timestamp", timestamp(run.createdAt)),
            ("hostname", nonEmpty(run.provenance["host"] ?? run.provenance["hostname"] ?? "unknown")),
            ("id", String(id)),
            ("package", nonEmpty(run.suiteName)),
        ]) + ">\n"
        xml += "    <properties>\n"
        for (name, value) in properties(summary) {
            xml += "      <property" + attributes([("name", name), ("value", value)]) + "/>\n"
        }
        xml += "    </properties>\n"
        xml += cases
        xml += "    <system-out>" + text(suiteOut(summary)) + "</system-out>\n"
        xml += "    <system-err>" + text(suiteErr(summary)) + "</system-err>\n"
        xml += "  </testsuite>\n"
        return (xml, counts.tests, counts.failures)
    }

    static func properties(_ summary: RunSummary) -> [(String, String)] {
        let run = summary.run
        var result: [(String, String)] = [
            ("assay.run_id", run.id),
            ("assay.suite", run.suiteName),
            ("assay.suite_path", run.suitePath),
            ("assay.suite_sha256", run.suiteSHA256),
            ("assay.target", run.targetName),
            ("assay.target_fingerprint", run.targetFingerprint),
            ("assay.dataset", run.dataset.name),
            ("assay.dataset_version", run.dataset.version ?? ""),
            ("assay.dataset_sha256", run.dataset.sha256),
            ("assay.samples", String(run.samples)),
            ("assay.total_trials", String(run.totalTrials)),
            ("assay.status", run.status.rawValue),
            ("assay.verdict", summary.verdict.rawValue),
        ]
        for key in run.provenance.keys.sorted() {
            result.append(("assay.provenance.\(key)", run.provenance[key] ?? ""))
        }
        return result
    }

    static func failureMessage(_ row: ReportRow, _ gate: GateResult) -> String {
        let ids = row.cell?.failingCaseIDs ?? []
        var message = gate.explanation
        if ids.isEmpty {
            message += " (no case failed outright)"
        } else {
            message += "; \(ids.count) failing case\(ids.count == 1 ? "" : "s"): "
            message += ReportText.cappedList(ids, limit: idsInMessage, render: ReportText.singleLine)
        }
        return message
    }

    static func failureBody(_ row: ReportRow, _ gate: GateResult) -> String {
        let ids = row.cell?.failingCaseIDs ?? []
        var lines = [
            "gate \(ReportText.gate(gate.gate)) failed: \(gate.explanation)",
            "observed: \(gate.observed.map(ReportText.percent) ?? ReportText.notAvailable)",
            "failing cases (\(ids.count)):",
        ]
        lines += ids.prefix(idsInBody).map { "  " + ReportText.singleLine($0) }
        if ids.count > idsInBody { lines.append("  \u{2026} (+\(ids.count - idsInBody) more)") }
        return lines.joined(separator: "\n")
    }

    static func skippedMessage(_ row: ReportRow, _ gate: GateResult) -> String {
        var message = "inconclusive: \(gate.explanation)"
        if let cell = row.cell {
            message += "; \(cell.unmeasured) of \(cell.trials) trials unmeasured"
            let reasons = ReportText.sortedReasons(cell.unmeasuredReasons).map { "\($0.reason) \u{00D7}\($0.count)" }
            if !reasons.isEmpty { message += " (" + reasons.joined(separator: ", ") + ")" }
        }
        return message
    }

    static func figures(_ row: ReportRow) -> String {
        var parts: [String] = []
        if let cell = row.cell {
            parts.append("pass rate \(ReportText.passRate(cell))")
            parts.append("passed \(cell.passed), failed \(cell.failed), unmeasured \(cell.unmeasured) of \(cell.trials) trials")
            if let mean = cell.meanValue { parts.append("mean value \(ReportText.fixed(mean, 3))") }
        } else {
            parts.append("no figures: the summary has no cell for this gate")
        }
        if let gate = row.gate {
            parts.append("gate \(ReportText.gate(gate.gate)): \(ReportText.verdict(gate.verdict)) (\(gate.explanation))")
        } else {
            parts.append("monitor (no gate)")
        }
        return parts.joined(separator: "\n")
    }

    static func suiteOut(_ summary: RunSummary) -> String {
        var lines: [String] = []
        for row in summary.reportRows {
            let cell = row.cell
            var line = "\(row.route) / \(row.scorer): "
            line += cell.map { "\(ReportText.passRate($0)), passed \($0.passed), failed \($0.failed), unmeasured \($0.unmeasured)" } ?? "no figures"
            line += row.gate.map { ", gate \(ReportText.gate($0.gate)) \(ReportText.verdict($0.verdict))" } ?? ", monitor"
            lines.append(line)
        }
        let usage = summary.usage
        if let latency = usage.latency, latency.count > 0 {
            lines.append("latency p50 \(ReportText.seconds(latency.p50)), p95 \(ReportText.seconds(latency.p95)), p99 \(ReportText.seconds(latency.p99))")
        }
        if let ttft = usage.timeToFirstToken, ttft.count > 0 {
            lines.append("time to first token p50 \(ReportText.seconds(ttft.p50))")
        }
        lines.append("tokens \(usage.promptTokens) prompt, \(usage.completionTokens) completion; cached \(usage.cached) of \(usage.trials) trials")
        lines.append("cost \(ReportText.dollars(usage.cost)) target, \(ReportText.dollars(usage.scoringCost)) scoring; per correct answer \(summary.costPerCorrect.value.map(ReportText.dollars) ?? ReportText.notAvailable)")
        lines.append("verdict \(ReportText.verdict(summary.verdict)) (gates: \(summary.gateCounts.phrase))")
        return lines.joined(separator: "\n")
    }

    static func suiteErr(_ summary: RunSummary) -> String {
        var lines: [String] = []
        if summary.usage.targetErrors > 0 || !summary.targetErrors.isEmpty {
            lines.append("target errors: \(summary.usage.targetErrors) trials")
            lines += ReportText.sortedReasons(summary.targetErrors).map { "  \($0.reason) \u{00D7}\($0.count)" }
        }
        for cell in summary.cells where cell.unmeasured > 0 {
            lines.append("unmeasured \(cell.route) / \(cell.scorer): \(cell.unmeasured) trials")
            lines += ReportText.sortedReasons(cell.unmeasuredReasons).map { "  \($0.reason) \u{00D7}\($0.count)" }
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - XML text

    /// ` name="value"` pairs, escaped.
    static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escape($0.1, inAttribute: true))\"" }.joined()
    }

    /// Element content, escaped.
    static func text(_ value: String) -> String { escape(value, inAttribute: false) }

    /// `value` escaped for XML 1.0 character data or a double-quoted attribute.
    ///
    /// Markup characters become entities; characters XML 1.0 forbids, and the discouraged DEL and C1 controls,
    /// become U+FFFD; in attributes, tab, line feed and carriage return become character references so that
    /// attribute-value normalisation keeps them; in text, carriage return does (line-end normalisation).
    static func escape(_ value: String, inAttribute: Bool) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where inAttribute: result += "&quot;"
            case "'" where inAttribute: result += "&apos;"
            case "\t" where inAttribute: result += "&#9;"
            case "\n" where inAttribute: result += "&#10;"
            case "\r": result += "&#13;"
            default:
                switch scalar.value {
                case 0x09, 0x0A, 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF:
                    result.unicodeScalars.append(scalar)
                default:
                    result += "\u{FFFD}"
                }
            }
        }
        return result
    }

    /// `value`, or `(none)` when it is empty (JUnit readers need non-empty names).
    static func nonEmpty(_ value: String) -> String { value.isEmpty ? "(none)" : value }

    /// Seconds with three decimals: `12.345`.
    static func time(_ seconds: Double) -> String {
        ReportText.fixed(seconds.isFinite ? max(0, seconds) : 0, 3)
    }

    /// `yyyy-MM-ddTHH:mm:ss` in UTC, the form of Ant's schema.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02ld", value ?? 0) }
        return String(format: "%04ld", parts.year ?? 1970) + "-\(two(parts.month))-\(two(parts.day))T\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
    }
}
