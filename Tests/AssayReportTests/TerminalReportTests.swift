import AssayCore
import AssayReport
import Foundation
import Testing

@Suite("Terminal report")
struct TerminalReportTests {
    static let escape = "\u{1B}"

    func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func tableShowsPassRateIntervalCountsGateAndVerdict() throws {
        let text = TerminalReport.render([Fixtures.passing], color: false, width: 120)
        let header = try #require(lines(text).first { $0.hasPrefix("route") })
        for column in ["scorer", "pass rate (95% CI)", "passed", "failed", "unmeasured", "gate", "verdict"] {
            #expect(header.contains(column))
        }
        let row = try #require(lines(text).first { $0.hasPrefix("billing") && $0.contains("exact_match") })
        #expect(row.contains("82.5% [68.1\u{2013}91.3]"))
        #expect(row.contains("\u{2265} 80.0% (point)"))
        #expect(row.hasSuffix("PASS"))
        #expect(row.split(separator: " ").contains("33") && row.split(separator: " ").contains("7"))
        let monitor = try #require(lines(text).first { $0.contains("tone") })
        #expect(monitor.hasSuffix("monitor"))
    }

    @Test func figuresUnderTheTable() throws {
        let text = TerminalReport.render([Fixtures.passing], color: false, width: 120)
        #expect(text.contains("latency        p50 1.20 s \u{00B7} p95 2.40 s \u{00B7} p99 3.12 s (70 trials)"))
        #expect(text.contains("ttft           p50 310 ms (40 streamed trials)"))
        #expect(text.contains("tokens         12,345 prompt \u{00B7} 6,789 completion"))
        #expect(text.contains("cost           $0.123 target \u{00B7} $0.0456 scoring"))
        #expect(text.contains("cost/correct   $0.00374 ($0.123 over 33 correct trials of gated routes: billing)"))
        #expect(text.contains("cached         8 of 40 trials"))
        #expect(text.contains("target errors  none"))
        #expect(text.contains("unmeasured     none"))
        #expect(text.contains("failing cases  billing / exact_match (2): b-07, b-11"))
        #expect(text.contains("gates          1 passed"))
    }

    @Test func finalLineCarriesTheVerdict() throws {
        let pass = TerminalReport.render([Fixtures.passing], color: false, width: 100)
        #expect(lines(pass).dropLast().last == "VERDICT: PASS (gates: 1 passed)")
        let fail = TerminalReport.render([Fixtures.passing, Fixtures.failing], color: false, width: 100)
        #expect(lines(fail).dropLast().last == "VERDICT: FAIL (2 runs; gates: 1 failed, 1 inconclusive, 1 passed)")
        let inconclusive = TerminalReport.render([Fixtures.inconclusive], color: false, width: 100)
        #expect(lines(inconclusive).dropLast().last == "VERDICT: INCONCLUSIVE (gates: 1 inconclusive)")
        #expect(fail.hasSuffix("\n"))
    }

    @Test func unmeasuredIsCountedOnItsOwn() throws {
        let text = TerminalReport.render([Fixtures.failing], color: false, width: 140)
        // The all-unmeasured cell: no pass rate, 0 passed, 0 failed, 40 unmeasured, INCONCLUSIVE.
        let row = try #require(lines(text).first { $0.contains("judge") && $0.hasPrefix("billing") })
        let words = row.split(separator: " ").map(String.init)
        #expect(words.contains("n/a"))
        #expect(words.contains("40"))
        #expect(row.hasSuffix("INCONCLUSIVE"))
        #expect(text.contains("unmeasured     44 trials (not counted as passed or failed)"))
        #expect(text.contains("billing / judge: judge timeout \u{00D7}36, target error: timeout \u{00D7}4"))
        #expect(text.contains("billing / length: target error: timeout \u{00D7}4"))
        #expect(text.contains("verdict        FAIL"))
    }

    @Test func targetErrorsWithReasonsAndCounts() {
        let text = TerminalReport.render([Fixtures.failing], color: false, width: 140)
        #expect(text.contains(#"target errors  4 trials: timeout ×3, HTTP 500: upstream <error> & "quota" ×1"#))
    }

    @Test func failingCaseIDsAreCappedAndCounted() throws {
        let text = TerminalReport.render([Fixtures.failing], color: false, width: 400)
        let line = try #require(lines(text).first { $0.hasPrefix("failing cases") })
        #expect(line.contains("refunds / exact (25): "))
        #expect(line.hasSuffix("\u{2026} (+15 more)"))
    }

    @Test func plainTextHasNoEscapeSequencesEvenFromNastyInput() {
        let text = TerminalReport.render([Fixtures.failing, Fixtures.nastyNames], color: false, width: 200)
        #expect(!text.contains(Self.escape))
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(text.contains("esc\u{FFFD}[31mred"))
        #expect(text.contains("why\u{FFFD}[2J"))
    }

    @Test func colourOnlyWhenAsked() {
        let text = TerminalReport.render([Fixtures.failing], color: true, width: 140)
        #expect(text.contains("\(Self.escape)[1;31mFAIL\(Self.escape)[0m"))
        #expect(text.contains("\(Self.escape)[1;33mINCONCLUSIVE\(Self.escape)[0m"))
        #expect(text.contains("\(Self.escape)[1;31mFAIL\(Self.escape)[0m (gates:"))
        // Colour never changes the words.
        let stripped = text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == TerminalReport.render([Fixtures.failing], color: false, width: 140))
    }

    @Test(arguments: [40, 60, 80])
    func narrowTerminalsGetStackedRowsWithinTheWidth(width: Int) throws {
        let text = TerminalReport.render([Fixtures.passing, Fixtures.failing], color: false, width: width)
        #expect(!text.contains("pass rate (95% CI)"))
        #expect(text.contains("refunds / exact"))
        #expect(text.contains("    gate \u{2265} 80.0% (lower bound): FAIL"))
        #expect(text.contains("0 failed \u{00B7} 40 unmeasured") || text.contains("0 failed \u{00B7}\n    40 unmeasured"))
        for line in lines(text) {
            // Only a single word longer than the width may overflow; the fixtures have none.
            #expect(line.count <= width, "\(line.count) > \(width): \(line)")
        }
    }

    @Test func widthBelowFortyIsTreatedAsForty() {
        #expect(
            TerminalReport.render([Fixtures.failing], color: false, width: 3)
                == TerminalReport.render([Fixtures.failing], color: false, width: 40)
        )
    }

    @Test func emptyInputs() {
        let none = TerminalReport.render([], color: false, width: 80)
        #expect(none == "No runs to report.\n\nVERDICT: INCONCLUSIVE (no runs)\n")
        let empty = TerminalReport.render([Fixtures.empty], color: false, width: 80)
        #expect(empty.contains("No cells: nothing was scored in this run."))
        #expect(empty.contains("latency        not measured"))
        #expect(empty.contains("cost/correct   n/a (no gated scorer scored anything)"))
        #expect(empty.hasSuffix("VERDICT: PASS (gates: no gates)\n"))
    }

    @Test func headerNamesTheRunDatasetAndStatus() {
        let text = TerminalReport.render([Fixtures.inconclusive], color: false, width: 120)
        #expect(text.hasPrefix("Assay \u{00B7} checkout-bot / gpt-4o-mini\n"))
        #expect(text.contains("run 20250301-100000-0dd0dd \u{00B7} dataset golden v3 \u{00B7} 40 cases \u{00B7} 2 samples \u{00B7} 80 trials \u{00B7} interrupted"))
    }
}
