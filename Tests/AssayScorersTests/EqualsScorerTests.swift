import AssayCore
import Testing
@testable import AssayScorers

@Suite("equals")
struct EqualsScorerTests {
    /// (config, output, case's expected answer, verdict: true pass, false fail, nil unmeasured)
    static let table: [(String, String, String?, Bool?)] = [
        ("{type: equals, value: Paris}", "Paris", nil, true),
        ("{type: equals, value: Paris}", "  Paris\n", nil, true),
        ("{type: equals, value: Paris, trim: false}", "Paris\n", nil, false),
        ("{type: equals, value: Paris}", "paris", nil, false),
        ("{type: equals, value: Paris, ignore_case: true}", "PARIS", nil, true),
        ("{type: equals, value: Paris}", "Paris.", nil, false),
        ("{type: equals, value: Paris, strip_punctuation: true}", "Paris.", nil, true),
        ("{type: equals, value: 'New York', collapse_whitespace: true}", "New \n  York", nil, true),
        ("{type: equals, value: 'New York'}", "New  York", nil, false),
        ("{type: equals, value: 'ﬁne', nfkc: true}", "fine", nil, true),
        ("{type: equals, value: 'ﬁne'}", "fine", nil, false),
        ("{type: equals, value: 42}", "42.0", nil, true),
        ("{type: equals, value: 42}", " 4.2e1 ", nil, true),
        ("{type: equals, value: 42, numeric: false}", "42.0", nil, false),
        ("{type: equals, value: 3.14, tolerance: 0.01}", "3.141", nil, true),
        ("{type: equals, value: 3.14, tolerance: 0.0001}", "3.141", nil, false),
        ("{type: equals, value: 42}", "forty-two", nil, false),
        ("{type: equals, value: '0x10'}", "16", nil, false),
        ("{type: equals}", "Paris", "Paris", true),
        ("{type: equals}", "Lyon", "Paris", false),
        ("{type: equals}", "Paris", nil, nil),
        ("{type: equals, ignore_case: true}", "PARIS", " paris ", true),
        ("{type: equals}", "", "", true),
    ]

    @Test("truth table", arguments: table)
    func truthTable(config: String, output: String, expected: String?, wanted: Bool?) async throws {
        let scorer = try makeScorer(config)
        let result = await score(scorer, output, expected: expected)
        checkInvariants(result)
        #expect(verdict(result) == wanted, "\(config) on \(output.debugDescription): \(result.explanation)")
    }

    @Test("explanations say why")
    func explanations() async throws {
        let scorer = try makeScorer("{name: capital, type: equals, value: Paris}")
        #expect(await score(scorer, "Paris").explanation == #"equals "Paris""#)
        #expect(await score(scorer, "Lyon").explanation == #"expected "Paris", got "Lyon""#)
        let numeric = try makeScorer("{type: equals, value: 42}")
        #expect(await score(numeric, "41").explanation == "expected 42, got 41")
        let missing = await score(try makeScorer("{type: equals}"), "Paris")
        #expect(missing.status == .unmeasured(reason: "case has no expected answer"))
        #expect(missing.scorer == "equals")
    }

    @Test("bad options are config errors at their line")
    func configErrors() throws {
        let tolerance = try #require(configError("{type: equals, value: 1, tolerance: -1}"))
        #expect(tolerance.location?.line == 2)
        #expect(tolerance.field == "rubric[0].tolerance")
        let numeric = try #require(configError("name: e\ntype: equals\nnumeric: false\ntolerance: 0.1"))
        #expect(numeric.location?.line == 5)
        #expect(numeric.message.contains("numeric"))
        let flag = try #require(configError("{type: equals, ignore_case: maybe}"))
        #expect(flag.field == "rubric[0].ignore_case")
        let list = try #require(configError("{type: equals, value: [a, b]}"))
        #expect(list.field == "rubric[0].value")
    }

    @Test("numbers are recognised only when written plainly", arguments: [
        ("42", 42.0), ("-3.5", -3.5), ("+1e3", 1000), (".5", 0.5), ("5.", 5), (" 7 ", 7),
    ] as [(String, Double)])
    func plainNumbers(text: String, value: Double) {
        #expect(ExpectedValues.number(text) == value)
    }

    @Test("non-numbers are not numbers", arguments: ["nan", "inf", "0x10", "1,000", "1e", "e5", "--1", "1.2.3", "", "1 2", "$5"])
    func nonNumbers(text: String) {
        #expect(ExpectedValues.number(text) == nil)
    }
}
