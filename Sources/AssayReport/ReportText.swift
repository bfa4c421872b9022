import AssayCore
import Foundation

/// Number and text formatting shared by the renderers, so every report prints a figure the same way.
///
/// Everything here is locale-independent (a report made on a French laptop and on a CI runner must match).
enum ReportText {
    /// The en dash used between an interval's bounds.
    static let intervalDash = "\u{2013}"
    /// Shown for a figure that does not exist (nothing scored, no latency measured, a non-finite number).
    static let notAvailable = "n/a"

    /// `value` with `decimals` digits after the point, or `n/a` when it is not finite.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return notAvailable }
        return String(format: "%.\(max(0, decimals))f", value)
    }

    /// A fraction in 0...1 as a percentage with one decimal: `0.825` -> `82.5%`.
    static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return notAvailable }
        return fixed(fraction * 100, 1) + "%"
    }

    /// A cell's pass rate with its 95% interval: `82.5% [68.1–91.3]`; `n/a` when nothing was scored.
    static func passRate(_ cell: CellSummary) -> String {
        guard let rate = cell.passRate, rate.isFinite else { return notAvailable }
        guard let lower = cell.passRateLower, let upper = cell.passRateUpper, lower.isFinite, upper.isFinite else {
            return percent(rate)
        }
        return "\(percent(rate)) [\(fixed(lower * 100, 1))\(intervalDash)\(fixed(upper * 100, 1))]"
    }

    /// An integer with thousands separators: `12345` -> `12,345`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// A duration in seconds: `0.31` -> `310 ms`, `1.234` -> `1.23 s`, `42.5` -> `42.5 s`.
    static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return notAvailable }
        let magnitude = abs(value)
        if magnitude < 1 { return fixed(value * 1000, 0) + " ms" }
        if magnitude < 10 { return fixed(value, 2) + " s" }
        if magnitude < 100 { return fixed(value, 1) + " s" }
        return fixed(value, 0) + " s"
    }

    /// An amount in US dollars: two decimals from one dollar up, else about three significant digits with
    /// trailing zeros dropped past the cents: `0` -> `$0.00`, `0.5` -> `$0.50`, `0.1234` -> `$0.123`,
    /// `0.0456` -> `$0.0456`, `0.01` -> `$0.01`, `0.00012` -> `$0.00012`, `12.3` -> `$12.30`.
    static func dollars(_ value: Double) -> String {
        guard value.isFinite else { return notAvailable }
        if value == 0 { return "$0.00" }
        let magnitude = abs(value)
        let decimals = magnitude >= 1 ? 2 : min(8, max(2, Int((-log10(magnitude)).rounded(.down)) + 3))
        var digits = fixed(magnitude, decimals)
        while digits.hasSuffix("0"), let point = digits.firstIndex(of: "."), digits.distance(from: point, to: digits.endIndex) > 3 {
            digits.removeLast()
        }
        return (value < 0 ? "-$" : "$") + digits
    }

    /// A route or scorer name for display: on one line, `(none)` when empty.
    static func name(_ text: String) -> String {
        text.isEmpty ? "(none)" : singleLine(text)
    }

    /// A gate's requirement: `≥ 80.0% (point)` or `≥ 80.0% (lower bound)`.
    static func gate(_ gate: GateConfig) -> String {
        let basis: String
        switch gate.basis {
        case .point: basis = "point"
        case .lowerBound: basis = "lower bound"
        }
        return "\u{2265} \(percent(gate.minPassRate)) (\(basis))"
    }

    /// A verdict as an upper-case word: `PASS`, `FAIL`, `INCONCLUSIVE`.
    static func verdict(_ verdict: GateVerdict) -> String {
        verdict.rawValue.uppercased()
    }

    /// Reason counts ordered by count (largest first), then by reason.
    static func sortedReasons(_ reasons: [String: Int]) -> [(reason: String, count: Int)] {
        reasons.map { (reason: $0.key, count: $0.value) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason
        }
    }

    /// `text` on one line and safe to print: line breaks and tabs become spaces; other control characters
    /// (C0, DEL, C1, which could drive a terminal) and bidirectional overrides become U+FFFD.
    static func singleLine(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: result.append(" ")
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: result.append("\u{FFFD}")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// Case ids joined with `, `, at most `limit` of them, then `… (+N more)`.
    static func cappedList(_ items: [String], limit: Int, render: (String) -> String = { $0 }) -> String {
        let shown = items.prefix(max(0, limit)).map(render).joined(separator: ", ")
        let rest = items.count - min(items.count, max(0, limit))
        guard rest > 0 else { return shown }
        return shown.isEmpty ? "\(rest) more" : "\(shown), \u{2026} (+\(rest) more)"
    }

    /// `text` packed into lines of at most `width` characters. Breaks fall after a ` · ` separator when they can
    /// (so a figure and its label stay together), else between words; a single word longer than `width` gets a
    /// line of its own.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard text.count > width else { return [text] }
        let separator = " \u{00B7} "
        let parts = text.components(separatedBy: separator)
        // Each chunk keeps its trailing separator (without the final space) so a line may end with "·".
        let chunks = parts.enumerated().map { $0.offset < parts.count - 1 ? $0.element + " \u{00B7}" : $0.element }
        var lines: [String] = []
        var current = ""
        for chunk in chunks {
            let candidate = current.isEmpty ? chunk : current + " " + chunk
            if candidate.count <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            if chunk.count <= width {
                current = chunk
            } else {
                var words = wrapWords(chunk, width: width)
                current = words.removeLast()
                lines += words
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// Words of `text` packed into lines of at most `width` characters.
    static func wrapWords(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
