import AssayCore
import Testing
@testable import AssayScorers

@Suite("contains, contains_all, contains_any, must_not_contain")
struct ContainsScorerTests {
    static let refundText = "Our Refund policy: return unused items within 30 days for a full refund."

    /// (config, output, case's expected answer, verdict)
    static let table: [(String, String, String?, Bool?)] = [
        ("{type: contains, value: refund}", refundText, nil, true),
        ("{type: contains, value: Refund}", refundText, nil, true),
        ("{type: contains, value: REFUND}", refundText, nil, false),
        ("{type: contains, value: REFUND, ignore_case: true}", refundText, nil, true),
        ("{type: contains, value: 'within 30 days', collapse_whitespace: true}", "within\n30   days", nil, true),
        ("{type: contains, value: 'within 30 days'}", "within\n30   days", nil, false),
        ("{type: contains, value: 'café'}", "Le café est bon", nil, true),
        ("{type: contains, value: 'e\u{301}', nfkc: true}", "caf\u{E9}", nil, true),
        ("{type: contains, value: 'exchange'}", refundText, nil, false),
        ("{type: contains}", refundText, "30 days", true),
        ("{type: contains}", refundText, "60 days", false),
        ("{type: contains}", refundText, nil, nil),
        ("{type: contains_all, values: [refund, 30 days]}", refundText, nil, true),
        ("{type: contains_all, values: [refund, 60 days]}", refundText, nil, false),
        ("{type: contains_all, values: [refund, 60 days], threshold: 0.5}", refundText, nil, true),
        ("{type: contains_all, values: [REFUND, DAYS], ignore_case: true}", refundText, nil, true),
        ("{type: contains_all}", refundText, #"["refund", "30 days"]"#, true),
        ("{type: contains_all}", refundText, #"["refund", "exchange"]"#, false),
        ("{type: contains_all}", refundText, "full refund", true),
        ("{type: contains_all}", refundText, nil, nil),
        ("{type: contains_any, values: [exchange, refund]}", refundText, nil, true),
        ("{type: contains_any, values: [exchange, store credit]}", refundText, nil, false),
        ("{type: contains_any, values: [EXCHANGE, REFUND], ignore_case: true}", refundText, nil, true),
        ("{type: contains_any}", refundText, #"["exchange", 30]"#, true),
        ("{type: contains_any}", refundText, nil, nil),
        ("{type: contains_any}", refundText, "[]", nil),
        ("{type: contains_all}", refundText, #"["", ""]"#, nil),
        ("{type: must_not_contain, values: [password, api_key]}", refundText, nil, true),
        ("{type: must_not_contain, values: [password, refund]}", refundText, nil, false),
        ("{type: must_not_contain, values: [REFUND]}", refundText, nil, true),
        ("{type: must_not_contain, values: [REFUND], ignore_case: true}", refundText, nil, false),
        ("{type: must_not_contain, patterns: ['\\bsk-[A-Za-z0-9]{8,}']}", "key: sk-abcdefgh1234", nil, false),
        ("{type: must_not_contain, patterns: ['\\bsk-[A-Za-z0-9]{8,}']}", "risk-free", nil, true),
        ("{type: must_not_contain, patterns: ['internal note'], ignore_case: true}", "INTERNAL NOTE: escalate", nil, false),
        ("{type: must_not_contain, values: [password]}", refundText, "password", true),
    ]

    @Test("truth table", arguments: table)
    func truthTable(config: String, output: String, expected: String?, wanted: Bool?) async throws {
        let scorer = try makeScorer(config)
        let result = await score(scorer, output, expected: expected)
        checkInvariants(result)
        #expect(verdict(result) == wanted, "\(config) on \(output.debugDescription): \(result.explanation)")
    }

    @Test("contains explains what is missing")
    func containsExplanation() async throws {
        let scorer = try makeScorer("{name: mentions-refund, type: contains, value: refund}")
        #expect(await score(scorer, "no").explanation == #"missing "refund""#)
        #expect(await score(scorer, "a refund").explanation == #"contains "refund""#)
    }

    @Test("contains_all scores the fraction found and names the missing ones")
    func containsAllValue() async throws {
        let scorer = try makeScorer("{type: contains_all, values: [refund, 30 days, receipt, label]}")
        let result = await score(scorer, Self.refundText)
        #expect(result.value == 0.5)
        #expect(result.passed == false)
        #expect(result.explanation == #"missing "receipt", "label" (2 of 4 found)"#)
    }

    @Test("contains_any names the string it found")
    func containsAnyExplanation() async throws {
        let scorer = try makeScorer("{type: contains_any, values: [exchange, refund]}")
        #expect(await score(scorer, Self.refundText).explanation == #"contains "refund""#)
        #expect(await score(scorer, "nothing").explanation == #"none of "exchange", "refund" found"#)
    }

    @Test("must_not_contain names everything that appeared")
    func mustNotContainExplanation() async throws {
        let scorer = try makeScorer("{type: must_not_contain, values: [password, token], patterns: ['\\d{3}-\\d{2}-\\d{4}']}")
        let result = await score(scorer, "the password and token are 123-45-6789")
        #expect(result.passed == false)
        #expect(result.explanation == #"contains forbidden "password", "token", /\d{3}-\d{2}-\d{4}/ ("123-45-6789" at 27)"#)
        let clean = await score(scorer, "nothing to see")
        #expect(clean.explanation == "none of 3 forbidden strings or patterns found")
    }

    @Test("config errors name file, line and field")
    func configErrors() throws {
        let empty = try #require(configError("{type: contains, value: ''}"))
        #expect(empty.field == "rubric[0].value")
        let noList = try #require(configError("{type: contains_all, values: []}"))
        #expect(noList.field == "rubric[0].values")
        let nested = try #require(configError("name: x\ntype: contains_any\nvalues:\n  - a\n  - {b: c}"))
        #expect(nested.location?.line == 6)
        #expect(nested.field == "rubric[0].values[1]")
        let nothing = try #require(configError("{type: must_not_contain}"))
        #expect(nothing.message.contains("'values'"))
        #expect(nothing.location?.file == "suite.yaml")
        let badPattern = try #require(configError("name: x\ntype: must_not_contain\npatterns:\n  - ok\n  - '(unclosed'"))
        #expect(badPattern.location?.line == 6)
        #expect(badPattern.field == "rubric[0].patterns[1]")
        let typo = try #require(configError("{type: contains, value: a, ignorecase: true}"))
        #expect(typo.message == "unknown field 'ignorecase'; did you mean 'ignore_case'?")
    }
}
