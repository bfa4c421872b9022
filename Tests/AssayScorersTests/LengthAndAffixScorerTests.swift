import AssayCore
import Testing
@testable import AssayScorers

@Suite("length, starts_with, ends_with")
struct LengthAndAffixScorerTests {
    /// (config, output, case's expected answer, verdict)
    static let table: [(String, String, String?, Bool?)] = [
        ("{type: length, max: 5}", "Hello", nil, true),
        ("{type: length, max: 4}", "Hello", nil, false),
        ("{type: length, min: 6}", "Hello", nil, false),
        ("{type: length, min: 1, max: 5}", "  Hello\n", nil, true),
        ("{type: length, max: 5, trim: false}", "  Hello\n", nil, false),
        ("{type: length, max: 1}", "👍🏽", nil, true),
        ("{type: length, max: 4}", "café", nil, true),
        ("{type: length, max: 3, unit: words}", "one two  three\n", nil, true),
        ("{type: length, max: 2, unit: words}", "one two three", nil, false),
        ("{type: length, min: 2, unit: words}", "naïve café", nil, true),
        ("{type: length, min: 1, unit: words}", "   ", nil, false),
        ("{type: length, max: 0}", "", "anything", true),
        ("{type: starts_with, value: Yes}", "Yes, you can.", nil, true),
        ("{type: starts_with, value: Yes}", "\n Yes, you can.", nil, true),
        ("{type: starts_with, value: Yes, trim: false}", "\n Yes, you can.", nil, false),
        ("{type: starts_with, value: yes}", "Yes, you can.", nil, false),
        ("{type: starts_with, value: yes, ignore_case: true}", "Yes, you can.", nil, true),
        ("{type: starts_with}", "Sure thing", "Sure", true),
        ("{type: starts_with}", "Sure thing", nil, nil),
        ("{type: ends_with, value: Thanks.}", "Done.\nThanks.\n", nil, true),
        ("{type: ends_with, value: thanks, strip_punctuation: true, ignore_case: true}", "Done. Thanks!", nil, true),
        ("{type: ends_with, value: Thanks.}", "Thanks. Bye.", nil, false),
        ("{type: ends_with}", "It costs 5 USD", "USD", true),
        ("{type: ends_with}", "It costs 5 USD", nil, nil),
    ]

    @Test("truth table", arguments: table)
    func truthTable(config: String, output: String, expected: String?, wanted: Bool?) async throws {
        let scorer = try makeScorer(config)
        let result = await score(scorer, output, expected: expected)
        checkInvariants(result)
        #expect(verdict(result) == wanted, "\(config) on \(output.debugDescription): \(result.explanation)")
    }

    @Test("explanations give the length and the bound")
    func explanations() async throws {
        let scorer = try makeScorer("{type: length, min: 2, max: 3, unit: words}")
        #expect(await score(scorer, "one").explanation == "1 word, below the minimum of 2")
        #expect(await score(scorer, "one two three four").explanation == "4 words, above the maximum of 3")
        #expect(await score(scorer, "one two").explanation == "2 words, within 2...3")
        let prefix = try makeScorer("{type: starts_with, value: Yes}")
        #expect(await score(prefix, "No way").explanation == #"does not start with "Yes"; starts with "No way""#)
        let suffix = try makeScorer("{type: ends_with, value: '.'}")
        #expect(await score(suffix, "Done!").explanation == #"does not end with "."; ends with "Done!""#)
    }

    @Test("bad options are config errors at their line")
    func configErrors() throws {
        let none = try #require(configError("{type: length}"))
        #expect(none.message.contains("'min' or 'max'"))
        let order = try #require(configError("name: l\ntype: length\nmin: 10\nmax: 5"))
        #expect(order.location?.line == 5)
        #expect(order.field == "rubric[0].max")
        let unit = try #require(configError("{type: length, max: 5, unit: characters}"))
        #expect(unit.message.contains("did you mean 'chars'"))
        let negative = try #require(configError("{type: length, max: -1}"))
        #expect(negative.field == "rubric[0].max")
        let fraction = try #require(configError("{type: length, max: 2.5}"))
        #expect(fraction.field == "rubric[0].max")
    }
}
