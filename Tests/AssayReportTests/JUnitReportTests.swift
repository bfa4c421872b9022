import AssayCore
import Foundation
import Testing

@testable import AssayReport

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("JUnit XML report")
struct JUnitReportTests {
    static let fixtureSets: [[RunSummary]] = [
        [],
        [Fixtures.passing],
        [Fixtures.failing],
        [Fixtures.inconclusive],
        [Fixtures.empty],
        [Fixtures.nastyNames],
        [Fixtures.passing, Fixtures.failing, Fixtures.inconclusive, Fixtures.empty, Fixtures.nastyNames],
    ]

    // MARK: - Validation with a real validator

    @Test(
        .enabled(if: JUnitSchema.xmllint != nil, "xmllint is not installed (apt-get install -y libxml2-utils); XSD validation skipped"),
        arguments: fixtureSets.indices
    )
    func validatesAgainstTheJUnitSchema(set: Int) throws {
        let xmllint = try #require(JUnitSchema.xmllint)
        let xml = JUnitReport.render(Self.fixtureSets[set])
        let validation = try JUnitSchema.validate(xml, xmllint: xmllint)
        #expect(validation.valid, "\(validation.messages)")
    }

    @Test(
        .enabled(if: JUnitSchema.xmllint != nil, "xmllint is not installed (apt-get install -y libxml2-utils); XSD validation skipped"),
        arguments: [
            // A suite without its required counts.
            #"<testsuites><testsuite name="s" failures="0" errors="0"/></testsuites>"#,
            // Two outcomes on one test case.
            #"<testsuites><testsuite name="s" tests="1" failures="1" errors="0"><testcase classname="c" name="n" time="0"><failure/><skipped/></testcase></testsuite></testsuites>"#,
            // `skipped` on the root, which Jenkins' schema does not allow.
            #"<testsuites skipped="0"/>"#,
            // A negative count.
            #"<testsuites tests="-1"/>"#,
            // Not well-formed.
            #"<testsuites><testsuite name="<&>" tests="0" failures="0" errors="0"/></testsuites>"#,
        ]
    )
    func theSchemaRejectsBrokenDocuments(xml: String) throws {
        let xmllint = try #require(JUnitSchema.xmllint)
        let validation = try JUnitSchema.validate(#"<?xml version="1.0" encoding="UTF-8"?>"# + "\n" + xml, xmllint: xmllint)
        #expect(!validation.valid)
    }

    // MARK: - Content

    @Test func emptyInputIsAnEmptyRoot() {
        #expect(
            JUnitReport.render([])
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"assay\" tests=\"0\" failures=\"0\" errors=\"0\" time=\"0.000\"/>\n"
        )
    }

    @Test func suiteAttributes() {
        let xml = JUnitReport.render([Fixtures.passing, Fixtures.inconclusive])
        #expect(xml.contains(#"<testsuites name="assay" tests="2" failures="0" errors="0" time="754.321">"#))
        #expect(xml.contains(#"<testsuite name="checkout-bot/gpt-4o-mini" tests="1" failures="0" errors="0" skipped="0" time="754.321" timestamp="2025-03-01T10:00:00" hostname="ci-runner-7" id="0" package="checkout-bot">"#))
        #expect(xml.contains(#"tests="1" failures="0" errors="0" skipped="1" time="0.000" timestamp="2025-03-01T10:00:00" hostname="ci-runner-7" id="1""#))
        #expect(xml.contains(#"<property name="assay.run_id" value="20250301-100000-a1b2c3"/>"#))
        #expect(xml.contains(#"<property name="assay.provenance.host" value="ci-runner-7"/>"#))
    }

    @Test func failedGateIsAFailureNamingTheFailingCases() throws {
        let xml = JUnitReport.render([Fixtures.failing])
        #expect(xml.contains(#"<testcase classname="refunds" name="exact" time="0.000">"#))
        let failure = try #require(xml.split(separator: "\n").first { $0.contains("<failure ") })
        #expect(failure.contains(#"message="lower bound 23.9% &lt; 80.0%; 25 failing cases: # heading, *bold*, &lt;&amp;&quot;&apos;&gt;, "#))
        #expect(failure.contains(#"… (+15 more)" type="GateFailed">"#))
        // The text lists up to 100 ids, one per line.
        #expect(xml.contains("failing cases (25):\n  # heading\n  *bold*\n  &lt;&amp;\"'&gt;\n"))
        #expect(xml.contains("\n  r-013\n"))
    }

    @Test func failingCaseIDsAreCappedInTheBodyToo() {
        let ids = (1...150).map { "case-\($0)" }
        let summary = Fixtures.summary(
            cells: [Fixtures.cell(route: "r", scorer: "s", passed: 0, failed: 150, failing: ids, gate: (0.5, .point, .fail, "0% < 50%"))],
            usage: Fixtures.usage(trials: 150, cost: 0), routes: [:]
        )
        let xml = JUnitReport.render([summary])
        #expect(xml.contains("failing cases (150):"))
        #expect(xml.contains("  \u{2026} (+50 more)</failure>"))
        #expect(xml.components(separatedBy: "\n  case-").count - 1 == 100)
    }

    @Test func inconclusiveGateIsSkippedWithItsReasons() {
        let xml = JUnitReport.render([Fixtures.failing])
        #expect(xml.contains(#"<testcase classname="billing" name="judge" time="0.000">"#))
        #expect(xml.contains(#"<skipped message="inconclusive: nothing scored: every trial unmeasured; 40 of 40 trials unmeasured (judge timeout ×36, target error: timeout ×4)"/>"#))
    }

    @Test func monitorScorersAreNotTestCasesButAreInTheSuiteOutput() {
        let xml = JUnitReport.render([Fixtures.failing])
        #expect(!xml.contains(#"name="length""#))
        #expect(xml.contains("billing / length: 100.0% [90.4\u{2013}100.0], passed 36, failed 0, unmeasured 4, monitor"))
        #expect(xml.contains("<system-err>target errors: 4 trials\n  timeout ×3\n  HTTP 500: upstream &lt;error&gt; &amp; \"quota\" ×1\nunmeasured billing / judge: 40 trials"))
    }

    @Test func escapingForXML() {
        #expect(JUnitReport.escape(#"<&"'>"#, inAttribute: true) == "&lt;&amp;&quot;&apos;&gt;")
        #expect(JUnitReport.escape(#"<&"'>"#, inAttribute: false) == "&lt;&amp;\"'&gt;")
        #expect(JUnitReport.escape("a\tb\nc\rd", inAttribute: true) == "a&#9;b&#10;c&#13;d")
        #expect(JUnitReport.escape("a\tb\nc\rd", inAttribute: false) == "a\tb\nc&#13;d")
        // Forbidden in XML 1.0 (NUL, ESC, U+FFFE, U+FFFF) and discouraged (DEL, C1): replaced.
        #expect(JUnitReport.escape("\u{0}\u{1B}\u{7F}\u{85}\u{FFFE}\u{FFFF}", inAttribute: false) == String(repeating: "\u{FFFD}", count: 6))
        // Everything else passes through, including astral characters.
        #expect(JUnitReport.escape("caf\u{E9} \u{4E2D} \u{1F600} ]]>", inAttribute: false) == "caf\u{E9} \u{4E2D} \u{1F600} ]]&gt;")
    }

    @Test func noForbiddenCharacterReachesTheDocument() {
        let xml = JUnitReport.render([Fixtures.failing, Fixtures.nastyNames])
        let forbidden = xml.unicodeScalars.filter { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return false
            default: return true
            }
        }
        #expect(forbidden.isEmpty)
        #expect(xml.contains(#"classname="ro|ute&#10;next" name="&lt;script&gt;alert(1)&lt;/script&gt;""#))
        #expect(xml.contains(#"<testsuite name="suite &quot;x&quot; &amp; &lt;y&gt;/t|a&#10;rget""#))
    }

    @Test func emptyNamesBecomeNone() {
        let summary = Fixtures.summary(
            run: Fixtures.run(suite: "", target: ""),
            cells: [Fixtures.cell(route: "", scorer: "", passed: 1, failed: 0, gate: (0.5, .point, .pass, "ok"))],
            usage: Fixtures.usage(trials: 1, cost: 0), routes: [:]
        )
        let xml = JUnitReport.render([summary])
        #expect(xml.contains(#"<testcase classname="(none)" name="(none)" time="0.000">"#))
        #expect(xml.contains(#"<testsuite name="/" "#))
        #expect(xml.contains(#"package="(none)""#))
    }

    // MARK: - Parsed back with Foundation's XML parser

    #if canImport(FoundationXML) || os(macOS)
    func parse(_ xml: String) throws -> XMLElement {
        let document = try XMLDocument(xmlString: xml, options: [])
        return try #require(document.rootElement())
    }

    func int(_ element: XMLElement, _ name: String) -> Int? {
        element.attribute(forName: name)?.stringValue.flatMap { Int($0) }
    }

    @Test(arguments: fixtureSets.indices)
    func countsMatchTheContent(set: Int) throws {
        let root = try parse(JUnitReport.render(Self.fixtureSets[set]))
        #expect(root.name == "testsuites")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.count == Self.fixtureSets[set].count)
        var totals = (tests: 0, failures: 0)
        for suite in suites {
            let cases = suite.elements(forName: "testcase")
            let failures = cases.filter { !$0.elements(forName: "failure").isEmpty }.count
            let skipped = cases.filter { !$0.elements(forName: "skipped").isEmpty }.count
            let errors = cases.filter { !$0.elements(forName: "error").isEmpty }.count
            #expect(int(suite, "tests") == cases.count)
            #expect(int(suite, "failures") == failures)
            #expect(int(suite, "skipped") == skipped)
            #expect(int(suite, "errors") == errors)
            #expect(errors == 0)
            #expect(suite.elements(forName: "properties").count == 1)
            #expect(suite.elements(forName: "system-out").count == 1)
            totals.tests += cases.count
            totals.failures += failures
        }
        #expect(int(root, "tests") == totals.tests)
        #expect(int(root, "failures") == totals.failures)
        #expect(int(root, "errors") == 0)
        let suiteTime = suites.compactMap { $0.attribute(forName: "time")?.stringValue.flatMap(Double.init) }.reduce(0, +)
        let rootTime = try #require(root.attribute(forName: "time")?.stringValue.flatMap(Double.init))
        #expect(abs(rootTime - suiteTime) < 0.002)
    }

    @Test func nastyStringsSurviveTheRoundTrip() throws {
        let root = try parse(JUnitReport.render([Fixtures.nastyNames]))
        let suite = try #require(root.elements(forName: "testsuite").first)
        #expect(suite.attribute(forName: "name")?.stringValue == "suite \"x\" & <y>/t|a\nrget")
        let testcase = try #require(suite.elements(forName: "testcase").first)
        #expect(testcase.attribute(forName: "classname")?.stringValue == "ro|ute\nnext")
        #expect(testcase.attribute(forName: "name")?.stringValue == "<script>alert(1)</script>")
        let failure = try #require(testcase.elements(forName: "failure").first)
        let message = try #require(failure.attribute(forName: "message")?.stringValue)
        #expect(message.hasPrefix("pass rate 50.0% < 90.0% & \"bad\"\u{FFFD}; 12 failing cases: "))
        #expect(message.contains(#"<&"'>, [link](http://x), ]]>, a|b, back`tick, esc"#))
        let body = try #require(failure.stringValue)
        #expect(body.contains("\n  <&\"'>\n"))
        #expect(body.contains("\n  nul\u{FFFD}byte\n"))
        let property = suite.elements(forName: "properties").first?.elements(forName: "property")
            .first { $0.attribute(forName: "name")?.stringValue == "assay.run_id" }
        #expect(property?.attribute(forName: "value")?.stringValue == "id<&>")
    }
    #endif
}
