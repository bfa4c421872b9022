import AssayCore
import Testing
@testable import AssayScorers

@Suite("regex")
struct RegexScorerTests {
    /// (config, output, verdict)
    static let table: [(String, String, Bool)] = [
        (#"{type: regex, pattern: '\d+ days'}"#, "within 30 days", true),
        (#"{type: regex, pattern: '\d+ days'}"#, "within thirty days", false),
        (#"{type: regex, pattern: '\d+ days', must_match: false}"#, "within thirty days", true),
        (#"{type: regex, pattern: '\d+ days', must_match: false}"#, "within 30 days", false),
        (#"{type: regex, pattern: 'REFUND'}"#, "refund", false),
        (#"{type: regex, pattern: 'REFUND', flags: i}"#, "refund", true),
        (#"{type: regex, pattern: '^\d+$'}"#, "12\n34", false),
        (#"{type: regex, pattern: '^\d+$', flags: m}"#, "12\nabc", true),
        (#"{type: regex, pattern: 'a.b'}"#, "a\nb", false),
        (#"{type: regex, pattern: 'a.b', flags: s}"#, "a\nb", true),
        (#"{type: regex, pattern: 'a b c # letters', flags: x}"#, "abc", true),
        (#"{type: regex, pattern: '(?i)refund'}"#, "REFUND", true),
        (#"{type: regex, pattern: 'colou?r'}"#, "color", true),
        (#"{type: regex, pattern: 'ab*c'}"#, "ac", true),
        (#"{type: regex, pattern: 'ab{0,2}c'}"#, "ac", true),
        (#"{type: regex, pattern: 'yes|no'}"#, "no", true),
        (#"{type: regex, pattern: 'caf[eé]'}"#, "café", true),
        (#"{type: regex, pattern: '😀+'}"#, "ok 😀😀", true),
        (#"{type: regex, pattern: '^$'}"#, "", true),
    ]

    @Test("truth table", arguments: table)
    func truthTable(config: String, output: String, wanted: Bool) async throws {
        let scorer = try makeScorer(config)
        let result = await score(scorer, output)
        checkInvariants(result)
        #expect(result.passed == wanted, "\(config) on \(output.debugDescription): \(result.explanation)")
    }

    @Test("explanations give the match and its character offset")
    func explanations() async throws {
        let scorer = try makeScorer(#"{type: regex, pattern: '\d+ days'}"#)
        #expect(await score(scorer, "Returns within 30 days.").explanation == #"matched /\d+ days/ at 15: "30 days""#)
        #expect(await score(scorer, "café: 7 days").explanation == #"matched /\d+ days/ at 6: "7 days""#)
        #expect(await score(scorer, "never").explanation == #"no match for /\d+ days/"#)
        let negative = try makeScorer(#"{type: regex, pattern: 'sorry', must_match: false, flags: i}"#)
        #expect(await score(negative, "Sorry!").explanation == #"matched /sorry/i at 0: "Sorry", which must not match"#)
        #expect(await score(negative, "Sure").explanation == "no match for /sorry/i, as required")
    }

    @Test("an expected answer is not needed")
    func noExpectedAnswer() async throws {
        let scorer = try makeScorer(#"{type: regex, pattern: 'x'}"#)
        #expect(await score(scorer, "x", expected: nil).status == .scored)
    }

    @Test("an invalid pattern is a config error at the pattern's line")
    func invalidPattern() throws {
        let error = try #require(configError("name: days\ntype: regex\npattern: '(\\d+ days'"))
        #expect(error.category == .config)
        #expect(error.location?.file == "suite.yaml")
        #expect(error.location?.line == 4)
        #expect(error.field == "rubric[0].pattern")
        #expect(error.message.contains("invalid regular expression"))
    }

    @Test("other bad options are config errors")
    func otherErrors() throws {
        let flag = try #require(configError("name: x\ntype: regex\npattern: a\nflags: iq"))
        #expect(flag.location?.line == 5)
        #expect(flag.message.contains("unknown regular-expression flag 'q'"))
        let missing = try #require(configError("{type: regex, must_match: true}"))
        #expect(missing.message.contains("needs 'pattern'"))
        let mustMatch = try #require(configError("{type: regex, pattern: a, must_match: sometimes}"))
        #expect(mustMatch.field == "rubric[0].must_match")
    }

    /// (pattern, flags, the literal every match must contain, or nil)
    static let literals: [(String, String, String?)] = [
        (#"\d+ days"#, "", " days"),
        (#"refund"#, "", "refund"),
        (#"refund"#, "i", nil),
        (#"a b"#, "x", nil),
        (#"colou?r"#, "", "colo"),
        (#"ab*cd"#, "", "cd"),
        (#"abc{0,2}de"#, "", "ab"),
        (#"abc{2}de"#, "", "abc"),
        (#"abc+"#, "", "abc"),
        (#"yes|no"#, "", nil),
        (#"(?i)refund"#, "", nil),
        (#"(?:ab)?cd"#, "", "cd"),
        (#"x(ab|cd)+yz"#, "", "yz"),
        (#"[abc]+def"#, "", "def"),
        (#"[[a-z]&&[^aeiou]]xyz"#, "", "xyz"),
        (#"\.com"#, "", ".com"),
        (#"\bsk-[A-Za-z0-9]{20,}"#, "", "sk-"),
        (#"\Qa.b\E"#, "", nil),
        (#"\x41BC"#, "", nil),
        (#"\1ab"#, "", nil),
        (#"^[A-Z]{2}-\d{4}$"#, "", nil),
        (#"a(?#comment)bc"#, "", nil),
        (#"a.b"#, "", nil),
        (#"😀😀+"#, "", "😀😀"),
    ]

    @Test("the required-literal prefilter is conservative", arguments: literals)
    func requiredLiteral(pattern: String, flags: String, literal: String?) {
        #expect(CompiledRegex.requiredLiteral(in: pattern, flags: flags) == literal)
    }

    @Test("the prefilter never changes a verdict", arguments: [
        (#"colou?r"#, "colr color colour"), (#"ab*cd"#, "acd"), (#"x(ab|cd)+yz"#, "xabcdyz"), (#"abc{0,2}de"#, "abde"),
        (#"[abc]+def"#, "cdef"), (#"\.com"#, "x.com"), (#"abc+"#, "abccc"), (#"\d+ days"#, "3 days"),
    ] as [(String, String)])
    func prefilterAgrees(pattern: String, text: String) throws {
        let regex = try CompiledRegex(pattern: pattern)
        #expect(regex.matches(text))
        #expect(regex.firstMatch(in: text) != nil)
    }
}
