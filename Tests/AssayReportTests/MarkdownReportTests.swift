import AssayCore
import Foundation
import Testing

@testable import AssayReport

@Suite("Markdown report")
struct MarkdownReportTests {
    func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func headlineCarriesTheOverallVerdictWithoutEmoji() {
        let all = [Fixtures.passing, Fixtures.failing, Fixtures.inconclusive, Fixtures.empty, Fixtures.nastyNames]
        let text = MarkdownReport.render(all)
        #expect(text.hasPrefix("## Assay: **FAIL**\n\n5 runs \u{00B7} gates: 2 failed, 2 inconclusive, 1 passed\n"))
        #expect(!text.unicodeScalars.contains { $0.properties.isEmojiPresentation })
        #expect(MarkdownReport.render([Fixtures.passing]).hasPrefix("## Assay: **PASS**\n"))
        #expect(MarkdownReport.render([Fixtures.inconclusive]).hasPrefix("## Assay: **INCONCLUSIVE**\n"))
        #expect(MarkdownReport.render([]) == "## Assay: **INCONCLUSIVE**\n\nNo runs to report.\n")
    }

    @Test func tablePerRun() throws {
        let text = MarkdownReport.render([Fixtures.failing])
        #expect(text.contains("### checkout-bot / small-model: **FAIL**"))
        #expect(text.contains("| route | scorer | pass rate (95% CI) | passed | failed | unmeasured | gate | verdict |\n| :--- | :--- | ---: | ---: | ---: | ---: | :--- | :--- |\n"))
        #expect(text.contains("| refunds | exact | 37.5% [24.2\u{2013}53.0] | 15 | 25 | 0 | \u{2265} 80.0% (lower bound) | **FAIL** |"))
        #expect(text.contains("| billing | judge | n/a | 0 | 0 | 40 | \u{2265} 70.0% (point) | **INCONCLUSIVE** |"))
        #expect(text.contains("| billing | length | 100.0% [90.4\u{2013}100.0] | 36 | 0 | 4 | - | monitor |"))
        // Every table row has the header's eight cells.
        for line in lines(text) where line.hasPrefix("| ") {
            let cells = line.replacingOccurrences(of: "\\|", with: "").split(separator: "|", omittingEmptySubsequences: false)
            #expect(cells.count == 10, "\(line)")
        }
    }

    @Test func figuresLine() {
        let text = MarkdownReport.render([Fixtures.failing])
        #expect(text.contains(
            "**Latency** p50 1.20 s, p95 2.40 s, p99 3.12 s \u{00B7} **TTFT** p50 310 ms \u{00B7} **Tokens** 12,345 prompt, 6,789 completion \u{00B7} **Cost** \\$0.50 target + \\$0.20 scoring \u{00B7} **Per correct answer** \\$0.02 \u{00B7} **Cached** 0 of 80 \u{00B7} **Target errors** 4 \u{00B7} **Unmeasured** 44"
        ))
    }

    @Test func failingCasesAreCollapsedCodeSpans() throws {
        let text = MarkdownReport.render([Fixtures.failing])
        #expect(text.contains("<details>\n<summary>Failing cases: 25 in 1 cell</summary>\n\n- `refunds` / `exact`: gate \u{2265} 80.0% (lower bound) **FAIL**, lower bound 23.9% &lt; 80.0%; 25 failing: `# heading`, `*bold*`, `<&\"'>`, "))
        #expect(text.contains("``back`tick``"))
        #expect(text.contains("`line break`"))
        #expect(text.contains("`esc\u{FFFD}[31mred`"))
        #expect(text.contains("`r-013`, `tab here`, `\u{FFFD}rtl`\n\n</details>"))
    }

    @Test func failingCaseIDsAreCapped() {
        let ids = (1...80).map { "c\($0)" }
        let summary = Fixtures.summary(
            cells: [Fixtures.cell(route: "r", scorer: "s", passed: 0, failed: 80, failing: ids, gate: (0.5, .point, .fail, "0% < 50%"))],
            usage: Fixtures.usage(trials: 80, cost: 0), routes: [:]
        )
        let text = MarkdownReport.render([summary])
        #expect(text.contains("80 failing: `c1`, `c10`, "))
        #expect(text.contains(", \u{2026} (+30 more)\n"))
    }

    @Test func unmeasuredAndTargetErrorsAreCollapsed() {
        let text = MarkdownReport.render([Fixtures.failing])
        #expect(text.contains("<details>\n<summary>Unmeasured: 44 trials (not counted as passed or failed)</summary>\n\n"))
        #expect(text.contains("- `billing` / `judge`: 40 of 40 trials, gate **INCONCLUSIVE**: judge timeout (36), target error: timeout (4)\n"))
        #expect(text.contains("- `billing` / `length`: 4 of 40 trials: target error: timeout (4)\n"))
        #expect(text.contains("- target errors: 4 trials: timeout (3), HTTP 500: upstream &lt;error&gt; &amp; \"quota\" (1)\n\n</details>"))
    }

    @Test func nothingToCollapseForACleanRun() {
        let text = MarkdownReport.render([Fixtures.empty])
        #expect(!text.contains("<details>"))
        #expect(text.contains("_No cells: nothing was scored in this run._"))
    }

    @Test func tableCellsEscapePipesAndLineBreaks() {
        let text = MarkdownReport.render([Fixtures.nastyNames])
        #expect(text.contains("| ro\\|ute<br>next | &lt;script&gt;alert(1)&lt;/script&gt; | 50.0% [9.5\u{2013}90.5] | 1 | 1 | 0 | \u{2265} 90.0% (point) | **FAIL** |"))
        #expect(text.contains("| (none) | \\`tick\\` | n/a | 0 | 0 | 2 | - | monitor |"))
        #expect(text.contains("### suite \"x\" &amp; &lt;y&gt; / t\\|a rget: **FAIL**"))
        // Raw markup appears only inside code spans, where Markdown shows it as text.
        #expect(text.components(separatedBy: "<script>").count == text.components(separatedBy: "`<script>").count)
        #expect(text.contains("`<script>alert(1)</script>`"))
        #expect(!text.contains("\u{1B}"))
    }

    @Test(arguments: [
        ("plain", "plain"), ("a|b", "a\\|b"), ("a\\|b", "a\\\\\\|b"), ("x\ny", "x<br>y"), ("<b>&", "&lt;b&gt;&amp;"),
        ("*_`[]#~$!", "\\*\\_\\`\\[\\]\\#\\~\\$\\!"),
    ])
    func tableCellEscaping(input: String, expected: String) {
        #expect(MarkdownReport.tableCell(input) == expected)
    }

    @Test(arguments: [
        ("id", "`id`"), ("a`b", "``a`b``"), ("`x", "`` `x ``"), ("a``b`", "``` a``b` ```"), ("", "*(none)*"),
        ("two\nlines", "`two lines`"), (" pad", "`  pad `"),
    ])
    func codeSpans(input: String, expected: String) {
        #expect(MarkdownReport.code(input) == expected)
    }
}
