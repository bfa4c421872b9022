import AssayCore
import Testing
@testable import AssayScorers

@Suite("ScorerFactory")
struct ScorerFactoryTests {
    @Test("every deterministic scorer is registered")
    func knownTypes() {
        let expected = [
            "contains", "contains_all", "contains_any", "ends_with", "equals", "is_json", "json_schema", "length",
            "must_not_contain", "regex", "starts_with",
        ]
        #expect(Set(expected).isSubset(of: Set(ScorerFactory.knownTypes)))
        #expect(ScorerFactory.knownTypes == ScorerFactory.knownTypes.sorted())
    }

    @Test("the scorer takes its name from the configuration")
    func names() throws {
        #expect(try makeScorer("{name: mentions-refund, type: contains, value: refund}").name == "mentions-refund")
        #expect(try makeScorer("{type: contains, value: refund}").name == "contains")
        #expect(try makeScorer("{type: regex, pattern: a}") is RegexScorer)
    }

    @Test("an unknown type suggests the closest known one, at the type's line")
    func unknownType() throws {
        let error = try #require(configError("name: x\ntype: contians\nvalue: refund"))
        #expect(error.category == .config)
        #expect(error.location?.file == "suite.yaml")
        #expect(error.location?.line == 3)
        #expect(error.field == "rubric[0].type")
        #expect(error.message.hasPrefix("unknown scorer type 'contians'; did you mean 'contains'?"))
        // Other tests may register more types concurrently, so check a sample of the list.
        #expect(error.message.contains("known types: "))
        #expect(error.message.contains("json_schema, length"))
        #expect(error.message.contains("regex"))
        let far = try #require(configError("{type: sentiment}"))
        #expect(!far.message.contains("did you mean"))
    }

    @Test("an unknown option names the line and suggests the closest option")
    func unknownOption() throws {
        let error = try #require(configError("name: x\ntype: regex\npattern: a\nmust_mach: false"))
        #expect(error.location?.line == 5)
        #expect(error.field == "rubric[0].must_mach")
        #expect(error.message == "unknown field 'must_mach'; did you mean 'must_match'?")
        // Options of other scorers are not accepted either.
        let foreign = try #require(configError("{type: length, max: 3, pattern: a}"))
        #expect(foreign.field == "rubric[0].pattern")
    }

    @Test("every scorer accepts the common keys", arguments: [
        "type: equals, value: a", "type: contains, value: a", "type: contains_all, values: [a]",
        "type: contains_any, values: [a]", "type: must_not_contain, values: [a]", "type: regex, pattern: a",
        "type: is_json", "type: json_schema, schema: {type: object}", "type: length, max: 3",
        "type: starts_with, value: a", "type: ends_with, value: a",
    ])
    func commonKeys(options: String) throws {
        let scorer = try makeScorer("{\(options), name: n, gate: 0.9, role: monitor, threshold: 0.5}")
        #expect(scorer.name == "n")
    }

    @Test("common keys are validated")
    func commonKeyValidation() throws {
        let threshold = try #require(configError("{type: is_json, threshold: 1.5}"))
        #expect(threshold.field == "rubric[0].threshold")
        let role = try #require(configError("{type: is_json, role: gaet}"))
        #expect(role.message == "unknown role 'gaet'; did you mean 'gate'? (one of gate, monitor)")
    }

    @Test("builders can be registered without editing the factory")
    func registration() async throws {
        ScorerFactory.register(AlwaysPass.self)
        #expect(ScorerFactory.knownTypes.contains("always_pass_test"))
        let scorer = try makeScorer("{name: yes, type: always_pass_test, note: hi}")
        #expect(await score(scorer, "anything").passed == true)
        let error = try #require(configError("{type: always_pass_test, nope: 1}"))
        #expect(error.message.contains("unknown field 'nope'"))
        let threshold = try #require(configError("{type: always_pass_test, threshold: 2}"))
        #expect(threshold.field == "rubric[0].threshold")
        #expect(ScorerFactory.commonOptionNames == ["name", "type", "gate", "role", "threshold"])
    }

    @Test("fingerprints ignore key order, names and gates, but not settings")
    func fingerprints() throws {
        let a = try makeScorer("{name: a, type: contains, value: refund, ignore_case: true}").fingerprint
        let reordered = try makeScorer("{ignore_case: true, value: refund, type: contains, name: b, gate: 0.9}").fingerprint
        let block = try makeScorer("type: contains\nignore_case: true\nvalue: refund").fingerprint
        #expect(a == reordered)
        #expect(a == block)
        #expect(a.count == 64)
        #expect(a.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let differentValue = try makeScorer("{type: contains, value: refunds, ignore_case: true}").fingerprint
        let differentOption = try makeScorer("{type: contains, value: refund}").fingerprint
        let differentType = try makeScorer("{type: starts_with, value: refund, ignore_case: true}").fingerprint
        #expect(Set([a, differentValue, differentOption, differentType]).count == 4)
    }

    @Test("writing a default out does not change the fingerprint")
    func defaultsSpelledOut() throws {
        #expect(try makeScorer("{type: regex, pattern: a}").fingerprint == (try makeScorer("{type: regex, pattern: a, must_match: true, flags: ''}").fingerprint))
        #expect(try makeScorer("{type: equals, value: a}").fingerprint == (try makeScorer("{type: equals, value: a, trim: true, numeric: true}").fingerprint))
        #expect(try makeScorer("{type: regex, pattern: a}").fingerprint != (try makeScorer("{type: regex, pattern: a, must_match: false}").fingerprint))
    }

    @Test("fingerprints are stable across runs")
    func stableAcrossRuns() throws {
        // Pinned: a change here means cached scores stop matching; bump `deterministicVersion` on purpose only.
        let fingerprint = try makeScorer("{type: contains, value: refund}").fingerprint
        #expect(fingerprint == Fingerprint.sha256(JSONValue.object([
            "type": .string("contains"),
            "version": .number(1),
            "settings": .object([
                "values": .array([.string("refund")]),
                "normalization": .object([
                    "ignore_case": .bool(false), "trim": .bool(true), "collapse_whitespace": .bool(false),
                    "strip_punctuation": .bool(false), "nfkc": .bool(false),
                ]),
            ]),
        ])))
    }

    @Test("json_schema fingerprints follow the schema's content, not its key order")
    func schemaFingerprint() throws {
        let a = try makeScorer("{type: json_schema, schema: {type: object, required: [a]}}").fingerprint
        let b = try makeScorer("{type: json_schema, schema: {required: [a], type: object}}").fingerprint
        let c = try makeScorer("{type: json_schema, schema: {type: object, required: [b]}}").fingerprint
        #expect(a == b)
        #expect(a != c)
    }
}

/// A scorer registered by a test, standing in for a later family such as judges.
struct AlwaysPass: ConfigurableScorer {
    static let typeName = "always_pass_test"
    static let optionNames: Set<String> = ["note"]
    let name: String
    let fingerprint = "test"

    init(config: ScorerConfig) throws {
        // No validation here: the factory checks the keys before calling.
        name = config.name
    }

    func score(_ testCase: Case, _ output: Output) async -> Score {
        .scored(name, passed: true, explanation: "always")
    }
}
