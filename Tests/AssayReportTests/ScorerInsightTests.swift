import AssayCore
import Foundation
import Testing
@testable import AssayReport

@Suite struct ScorerInsightTests {
    /// A run with a refusal cell, a pairwise cell on a high-risk route, and judge spending.
    static var summary: RunSummary {
        var refusal = Fixtures.cell(route: "unsafe", scorer: "refusal", passed: 12, failed: 4)
        refusal.refusal = RefusalRates(
            overRefusal: LabelRate(count: 3, of: 10), underRefusal: LabelRate(count: 1, of: 6), missedEscalation: LabelRate(count: 0, of: 0)
        )
        var pairwise = Fixtures.cell(route: "refunds", scorer: "vs-baseline", passed: 15, failed: 5)
        pairwise.pairwise = PairwiseTally(wins: 10, ties: 3, losses: 5, inconsistent: 2)
        pairwise.highRisk = true
        pairwise.worstCaseFailureRate = 0.3
        pairwise.judgeCalls = 40
        pairwise.judgeTokens = TokenUsage(promptTokens: 8_000, completionTokens: 400)
        pairwise.savedCalls = 12
        return Fixtures.summary(
            cells: [refusal, pairwise], usage: Fixtures.usage(trials: 36, cost: 0.1), routes: [:]
        )
    }

    @Test func insightsListEveryFigure() {
        let insights = Self.summary.scorerInsights.map(\.text)
        #expect(insights.contains("40 made (8,000 prompt, 400 completion tokens) \u{00B7} 12 saved by cascades"))
        #expect(insights.contains("30.0% of cases failed in at least one of 2 samples (high-risk route)"))
        #expect(insights.contains("over-refusal 3/10 (30.0%) \u{00B7} under-refusal 1/6 (16.7%)"))
        #expect(insights.contains { $0.contains("position consistency 90.0% (2 verdicts flipped with the order)") })
    }

    @Test func terminalAndMarkdownShowThem() {
        let terminal = TerminalReport.render([Self.summary], color: false, width: 200)
        #expect(terminal.contains("unsafe / refusal: over-refusal 3/10 (30.0%)"))
        #expect(terminal.contains("judge calls"))
        let markdown = MarkdownReport.render([Self.summary])
        #expect(markdown.contains("- **Refusal** `unsafe` / `refusal`: over-refusal 3/10 (30.0%)"))
        #expect(markdown.contains("- **Worst case** `refunds` / `vs-baseline`: 30.0% of cases failed"))
    }
}

@Suite struct CostPerCorrectPerRouteTests {
    @Test func eachGatedRouteGetsItsOwnFigure() {
        // Given two gated routes: refunds cost $0.30 for 15 correct, billing $0.10 for none correct
        let summary = Fixtures.summary(
            cells: [
                Fixtures.cell(route: "refunds", scorer: "exact", passed: 15, failed: 5, gate: (0.5, .point, .pass, "ok")),
                Fixtures.cell(route: "billing", scorer: "exact", passed: 0, failed: 10, gate: (0.5, .point, .fail, "no")),
            ],
            usage: Fixtures.usage(trials: 30, cost: 0.4),
            routes: ["refunds": Fixtures.usage(trials: 20, cost: 0.3), "billing": Fixtures.usage(trials: 10, cost: 0.1)]
        )

        // Then the run figure is $0.40 / 15 and each route has its own
        let figure = summary.costPerCorrect
        #expect(figure.value.map { abs($0 - 0.4 / 15) < 1e-12 } == true)
        #expect(figure.perRoute.map(\.route) == ["billing", "refunds"])
        #expect(figure.perRoute.first?.value == nil)
        #expect(figure.perRoute.last?.value.map { abs($0 - 0.02) < 1e-12 } == true)
        #expect(TerminalReport.render([summary], color: false, width: 200).contains("per route: billing n/a (none correct), refunds $0.02"))
    }
}
