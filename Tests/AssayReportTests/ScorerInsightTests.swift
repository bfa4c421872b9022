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
