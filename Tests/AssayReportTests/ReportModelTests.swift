import AssayCore
import Foundation
import Testing

@testable import AssayReport

@Suite("Formatting and the shared report model")
struct ReportModelTests {
    @Test(arguments: [
        (0.0, "$0.00"), (0.1234, "$0.123"), (0.0456, "$0.0456"), (0.0012, "$0.0012"), (0.00012, "$0.00012"),
        (0.01, "$0.01"), (0.5, "$0.50"), (0.00374, "$0.00374"), (12.3, "$12.30"), (1234.5, "$1234.50"),
        (-0.5, "-$0.50"), (Double.nan, "n/a"),
    ])
    func dollars(value: Double, expected: String) {
        #expect(ReportText.dollars(value) == expected)
    }

    @Test(arguments: [(0.31, "310 ms"), (1.234, "1.23 s"), (42.54, "42.5 s"), (754.3, "754 s"), (Double.infinity, "n/a")])
    func seconds(value: Double, expected: String) {
        #expect(ReportText.seconds(value) == expected)
    }

    @Test(arguments: [(0, "0"), (999, "999"), (1000, "1,000"), (12_345, "12,345"), (1_234_567, "1,234,567"), (-4321, "-4,321")])
    func counts(value: Int, expected: String) {
        #expect(ReportText.count(value) == expected)
    }

    @Test func passRateWithInterval() {
        let cell = Fixtures.cell(route: "r", scorer: "s", passed: 33, failed: 7, interval: (0.681, 0.913))
        #expect(ReportText.passRate(cell) == "82.5% [68.1\u{2013}91.3]")
        let unscored = Fixtures.cell(route: "r", scorer: "s", passed: 0, failed: 0, unmeasured: 5)
        #expect(ReportText.passRate(unscored) == "n/a")
        #expect(ReportText.gate(GateConfig(minPassRate: 0.8, basis: .lowerBound)) == "\u{2265} 80.0% (lower bound)")
    }

    @Test func singleLineNeutralisesControlCharacters() {
        #expect(ReportText.singleLine("a\nb\tc\r") == "a b c ")
        #expect(ReportText.singleLine("esc\u{1B}[31m") == "esc\u{FFFD}[31m")
        #expect(ReportText.singleLine("\u{9B}x\u{202E}y\u{7F}") == "\u{FFFD}x\u{FFFD}y\u{FFFD}")
        #expect(ReportText.singleLine("caf\u{E9} \u{4E2D}") == "caf\u{E9} \u{4E2D}")
    }

    @Test func cappedListCountsTheRest() {
        #expect(ReportText.cappedList(["a", "b", "c"], limit: 5) == "a, b, c")
        #expect(ReportText.cappedList(["a", "b", "c", "d"], limit: 2) == "a, b, \u{2026} (+2 more)")
        #expect(ReportText.cappedList(["a", "b"], limit: 0) == "2 more")
    }

    @Test func wrapKeepsLinesWithinWidth() {
        let lines = ReportText.wrap("one two three four five six seven", width: 10)
        #expect(lines == ["one two", "three four", "five six", "seven"])
        #expect(ReportText.wrap("", width: 10) == [""])
    }

    @Test func costPerCorrectUsesTheGatedRoutesOnly() {
        // Given: refunds is gated (15 passed); billing's only gate scored nothing (all unmeasured); length monitors.
        let figure = Fixtures.failing.costPerCorrect
        // Then: only refunds counts; unmeasured trials are neither correct nor incorrect.
        #expect(figure.routes == ["refunds"])
        #expect(figure.correct == 15)
        #expect(figure.cost == 0.3)
        #expect(figure.value == 0.3 / 15)
    }

    @Test func costPerCorrectIgnoresAGatedCellThatScoredNothing() {
        let summary = Fixtures.summary(
            cells: [
                Fixtures.cell(route: "r", scorer: "exact", passed: 8, failed: 2, gate: (0.5, .point, .pass, "ok")),
                Fixtures.cell(route: "r", scorer: "judge", passed: 0, failed: 0, unmeasured: 10, gate: (0.5, .point, .inconclusive, "none")),
            ],
            usage: Fixtures.usage(trials: 10, cost: 0.4), routes: ["r": Fixtures.usage(trials: 10, cost: 0.4)]
        )
        #expect(summary.costPerCorrect.correct == 8)
        #expect(summary.costPerCorrect.value == 0.05)
        #expect(Fixtures.inconclusive.costPerCorrect.routes.isEmpty)
        #expect(Fixtures.inconclusive.costPerCorrect.value == nil)
    }

    @Test func costPerCorrectTakesTheSmallestPassCountOfARoute() {
        let summary = Fixtures.summary(
            cells: [
                Fixtures.cell(route: "r", scorer: "a", passed: 30, failed: 10, gate: (0.5, .point, .pass, "ok")),
                Fixtures.cell(route: "r", scorer: "b", passed: 20, failed: 20, gate: (0.5, .point, .pass, "ok")),
                Fixtures.cell(route: "r", scorer: "monitor", passed: 1, failed: 39),
            ],
            usage: Fixtures.usage(trials: 40, cost: 2), routes: ["r": Fixtures.usage(trials: 40, cost: 2)]
        )
        #expect(summary.costPerCorrect.correct == 20)
        #expect(summary.costPerCorrect.value == 0.1)
    }

    @Test func costPerCorrectFallsBackToRunCostOnlyWhenEveryRouteIsGated() {
        // Given: no per-route figures.
        let allGated = Fixtures.summary(
            cells: [Fixtures.cell(route: "r", scorer: "a", passed: 10, failed: 0, gate: (0.5, .point, .pass, "ok"))],
            usage: Fixtures.usage(trials: 10, cost: 1), routes: [:]
        )
        #expect(allGated.costPerCorrect.value == 0.1)
        let partlyGated = Fixtures.summary(
            cells: [
                Fixtures.cell(route: "r", scorer: "a", passed: 10, failed: 0, gate: (0.5, .point, .pass, "ok")),
                Fixtures.cell(route: "other", scorer: "a", passed: 10, failed: 0),
            ],
            usage: Fixtures.usage(trials: 20, cost: 1), routes: [:]
        )
        #expect(partlyGated.costPerCorrect.cost == nil)
        #expect(partlyGated.costPerCorrect.value == nil)
        #expect(Fixtures.passing.costPerCorrect.value == 0.1234 / 33)
        #expect(Fixtures.empty.costPerCorrect.routes.isEmpty)
        #expect(Fixtures.empty.costPerCorrect.value == nil)
    }

    @Test func rowsKeepAGateWhoseCellIsMissing() {
        let orphan = GateResult(
            route: "ghost", scorer: "exact", gate: GateConfig(minPassRate: 0.9), observed: nil, verdict: .inconclusive,
            explanation: "no trials"
        )
        let summary = Fixtures.summary(
            cells: [Fixtures.cell(route: "r", scorer: "a", passed: 1, failed: 0)],
            usage: Fixtures.usage(trials: 1, cost: 0), routes: [:], extraGates: [orphan]
        )
        let rows = summary.reportRows
        #expect(rows.count == 2)
        #expect(rows[0].gate == nil)
        #expect(rows[1].route == "ghost" && rows[1].cell == nil && rows[1].gate == orphan)
        #expect(summary.gateCounts == GateCounts(passed: 0, failed: 0, inconclusive: 1))
    }

    @Test func rowsDoNotDuplicateACellsOwnGate() {
        // The fixture lists every cell's gate in `gates` too.
        let summary = Fixtures.failing
        #expect(summary.reportRows.count == summary.cells.count)
        #expect(summary.gateCounts == GateCounts(passed: 0, failed: 1, inconclusive: 1))
    }

    @Test func overallVerdict() {
        #expect(ReportVerdict.overall([]) == .inconclusive)
        #expect(ReportVerdict.overall([Fixtures.passing, Fixtures.empty]) == .pass)
        #expect(ReportVerdict.overall([Fixtures.passing, Fixtures.inconclusive]) == .inconclusive)
        #expect(ReportVerdict.overall([Fixtures.inconclusive, Fixtures.failing, Fixtures.passing]) == .fail)
        #expect(ReportVerdict.gateCounts([Fixtures.passing, Fixtures.failing]).phrase == "1 failed, 1 inconclusive, 1 passed")
    }
}
