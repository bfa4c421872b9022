import AssayCore
import Testing
@testable import AssayScorers

@Suite("tool_calls")
struct AgentToolCallScorerTests {
    /// One truth-table row: the scorer's options, the expected and actual calls (see `toolCalls`), and the verdict
    /// (nil: unmeasured) and value.
    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let options: String
        let expected: [String]?
        let actual: [String]
        let passed: Bool?
        let value: Double?

        init(_ label: String, _ options: String = "", expected: [String]?, actual: [String], passed: Bool?, value: Double? = nil) {
            self.label = label
            self.options = options
            self.expected = expected
            self.actual = actual
            self.passed = passed
            self.value = value ?? passed.map { $0 ? 1 : 0 }
        }

        var testDescription: String { label }
    }

    static let rows: [Row] = [
        // Names and the unmeasured / empty-list paths.
        Row("same call", expected: [#"search {"q":"refund"}"#], actual: [#"search {"q":"refund"}"#], passed: true),
        Row("other tool", expected: ["search"], actual: ["lookup"], passed: false),
        Row("no calls made", expected: ["search"], actual: [], passed: false),
        Row("no expected_tool_calls: unmeasured", expected: nil, actual: ["search"], passed: nil),
        Row("no expected_tool_calls and no calls: unmeasured", expected: nil, actual: [], passed: nil),
        Row("empty expected list, no calls", expected: [], actual: [], passed: true),
        Row("empty expected list, a call", expected: [], actual: ["search"], passed: false),
        Row("empty expected list, a call, extra calls allowed", "extra_calls: allow", expected: [], actual: ["search"], passed: false),
        Row("empty expected list with threshold 0", "threshold: 0", expected: [], actual: ["search"], passed: false),

        // Numbers compare numerically; key order never matters.
        Row("1 equals 1.0", expected: [#"f {"n":1}"#], actual: [#"f {"n":1.0}"#], passed: true),
        Row("1e2 equals 100", expected: [#"f {"n":[1e2]}"#], actual: [#"f {"n":[100]}"#], passed: true),
        Row("1 is not \"1\"", expected: [#"f {"n":1}"#], actual: [#"f {"n":"1"}"#], passed: false),
        Row("key order", expected: [#"f {"a":1,"b":{"c":2,"d":3}}"#], actual: [#"f {"b":{"d":3,"c":2},"a":1}"#], passed: true),

        // exact (the default) vs subset.
        Row("exact: extra key fails", expected: [#"f {"a":1}"#], actual: [#"f {"a":1,"b":2}"#], passed: false),
        Row("exact: missing key fails", expected: [#"f {"a":1,"b":2}"#], actual: [#"f {"a":1}"#], passed: false),
        Row("subset: extra key passes", "arguments: subset", expected: [#"f {"a":1}"#], actual: [#"f {"a":1,"b":2}"#], passed: true),
        Row("subset: missing key fails", "arguments: subset", expected: [#"f {"a":1,"b":2}"#], actual: [#"f {"a":1}"#], passed: false),
        Row("subset: nested extra key passes", "arguments: subset",
            expected: [#"f {"filter":{"city":"Paris"}}"#], actual: [#"f {"filter":{"city":"Paris","country":"FR"},"limit":5}"#],
            passed: true),
        Row("subset: nested value differs", "arguments: subset",
            expected: [#"f {"filter":{"city":"Paris"}}"#], actual: [#"f {"filter":{"city":"Lyon","country":"FR"}}"#], passed: false),
        Row("exact: nested extra key fails",
            expected: [#"f {"filter":{"city":"Paris"}}"#], actual: [#"f {"filter":{"city":"Paris","country":"FR"}}"#], passed: false),
        Row("subset: equal arrays", "arguments: subset", expected: [#"f {"ids":[1,2]}"#], actual: [#"f {"ids":[1.0,2]}"#], passed: true),
        Row("subset: longer array fails", "arguments: subset", expected: [#"f {"ids":[1,2]}"#], actual: [#"f {"ids":[1,2,3]}"#], passed: false),
        Row("subset: reordered array fails", "arguments: subset", expected: [#"f {"ids":[1,2]}"#], actual: [#"f {"ids":[2,1]}"#], passed: false),
        Row("subset: objects in arrays may have extra keys", "arguments: subset",
            expected: [#"f {"items":[{"sku":"A"},{"sku":"B"}]}"#], actual: [#"f {"items":[{"sku":"A","qty":1},{"sku":"B","qty":2}]}"#],
            passed: true),
        Row("exact: objects in arrays may not", expected: [#"f {"items":[{"sku":"A"}]}"#], actual: [#"f {"items":[{"sku":"A","qty":1}]}"#],
            passed: false),
        Row("subset: empty expected arguments match any", "arguments: subset", expected: ["f"], actual: [#"f {"a":1}"#], passed: true),
        Row("subset: null is a value", "arguments: subset", expected: [#"f {"a":null}"#], actual: ["f"], passed: false),

        // types.
        Row("types: same types pass", "arguments: types",
            expected: [#"f {"city":"Paris","n":1,"ok":true,"x":null}"#], actual: [#"f {"city":"Lyon","n":7.5,"ok":false,"x":null,"more":1}"#],
            passed: true),
        Row("types: number vs string fails", "arguments: types", expected: [#"f {"n":1}"#], actual: [#"f {"n":"1"}"#], passed: false),
        Row("types: missing key fails", "arguments: types", expected: [#"f {"n":1}"#], actual: [#"f {"m":1}"#], passed: false),
        Row("types: nested objects", "arguments: types",
            expected: [#"f {"filter":{"city":"Paris"}}"#], actual: [#"f {"filter":{"city":"Lyon","zip":"69001"}}"#], passed: true),
        Row("types: nested type differs", "arguments: types",
            expected: [#"f {"filter":{"city":"Paris"}}"#], actual: [#"f {"filter":{"city":69}}"#], passed: false),
        Row("types: array elements follow the first expected element", "arguments: types",
            expected: [#"f {"items":[{"sku":"A"}]}"#], actual: [#"f {"items":[{"sku":"B"},{"sku":"C","qty":2}]}"#], passed: true),
        Row("types: an array element of another type fails", "arguments: types",
            expected: [#"f {"items":[{"sku":"A"}]}"#], actual: [#"f {"items":[{"sku":"B"},{"sku":3}]}"#], passed: false),
        Row("types: empty expected array accepts any array", "arguments: types",
            expected: [#"f {"tags":[]}"#], actual: [#"f {"tags":[1,"a",null]}"#], passed: true),
        Row("types: an array is not an object", "arguments: types", expected: [#"f {"tags":[]}"#], actual: [#"f {"tags":{}}"#], passed: false),

        // ignore: names only.
        Row("ignore: arguments differ", "arguments: ignore", expected: [#"f {"a":1}"#], actual: [#"f {"b":"x"}"#], passed: true),
        Row("ignore: names still count", "arguments: ignore", expected: ["f"], actual: ["g"], passed: false),

        // Order.
        Row("any order: swapped", expected: ["a", "b"], actual: ["b", "a"], passed: true),
        Row("strict order: swapped", "order: strict", expected: ["a", "b"], actual: ["b", "a"], passed: false, value: 0.5),
        Row("strict order: in order", "order: strict", expected: ["a", "b"], actual: ["a", "b"], passed: true),
        Row("strict order: other calls in between", "order: strict", expected: ["a", "b"], actual: ["x", "a", "y", "b"], passed: true),
        Row("strict order: optimal, not greedy", "order: strict", expected: ["a", "b", "c"], actual: ["b", "c", "a"], passed: false,
            value: 2.0 / 3),
        Row("strict order: other calls in between, extra calls fail", "order: strict\nextra_calls: fail",
            expected: ["a", "b"], actual: ["a", "x", "b"], passed: false, value: 1),

        // Duplicates and optimal matching.
        Row("a duplicate expected call needs two calls", expected: ["a", "a"], actual: ["a"], passed: false, value: 0.5),
        Row("two expected, two made", expected: ["a", "a"], actual: ["a", "a"], passed: true),
        Row("a repeated call is an extra call, allowed", expected: ["a"], actual: ["a", "a"], passed: true),
        Row("a repeated call is an extra call, failing", "extra_calls: fail", expected: ["a"], actual: ["a", "a"], passed: false, value: 1),
        Row("any order: optimal, not greedy", "arguments: subset",
            expected: ["s", #"s {"q":"a"}"#], actual: [#"s {"q":"a"}"#, #"s {"q":"b"}"#], passed: true),
        Row("any order: optimal with duplicates", "arguments: subset",
            expected: [#"s {"q":"a"}"#, "s", #"s {"q":"a"}"#], actual: [#"s {"q":"a","p":1}"#, #"s {"q":"b"}"#, #"s {"q":"a"}"#],
            passed: true),
        Row("duplicates with different arguments", expected: [#"s {"q":"a"}"#, #"s {"q":"b"}"#], actual: [#"s {"q":"b"}"#, #"s {"q":"b"}"#],
            passed: false, value: 0.5),

        // Extra calls.
        Row("extra call allowed (default)", expected: ["a"], actual: ["a", "b"], passed: true),
        Row("extra call allowed", "extra_calls: allow", expected: ["a"], actual: ["b", "a"], passed: true),
        Row("extra call fails", "extra_calls: fail", expected: ["a"], actual: ["a", "b"], passed: false, value: 1),
        Row("no extra call with extra_calls: fail", "extra_calls: fail", expected: ["a", "b"], actual: ["b", "a"], passed: true),
        Row("a near miss is also an extra call", "extra_calls: fail\nthreshold: 0.5",
            expected: [#"a"#, #"b {"x":1}"#], actual: [#"a"#, #"b {"x":2}"#], passed: false, value: 0.5),

        // Threshold.
        Row("threshold 0.5, half matched", "threshold: 0.5", expected: ["a", "b"], actual: ["a"], passed: true, value: 0.5),
        Row("threshold 0.75, half matched", "threshold: 0.75", expected: ["a", "b"], actual: ["a"], passed: false, value: 0.5),
    ]

    @Test("truth table", arguments: rows)
    func truthTable(_ row: Row) async throws {
        let yaml = row.options.isEmpty ? "type: tool_calls" : "type: tool_calls\n" + row.options
        let scorer = try makeScorer(yaml)
        let result = await scoreCalls(scorer, expected: row.expected.map { toolCalls($0) }, actual: toolCalls(row.actual))
        checkInvariants(result)
        #expect(verdict(result) == row.passed, "\(result.explanation)")
        if let value = row.value {
            #expect(abs((result.value ?? -1) - value) < 1e-12, "value \(String(describing: result.value)): \(result.explanation)")
        } else {
            #expect(result.value == nil)
        }
    }

    @Test("arguments held as JSON text, null or an empty string are parsed before comparing", arguments: [
        (JSONValue.string(#"{"city": "Paris", "n": 1.0}"#), JSONValue.object(["n": .number(1), "city": .string("Paris")]), true),
        (.object(["n": .number(1), "city": .string("Paris")]), .string(#" {"city":"Paris","n":1} "#), true),
        (.object([:]), .null, true),
        (.object([:]), .string(""), true),
        (.null, .object([:]), true),
        (.string("not json"), .string("not json"), true),
        (.string("not json"), .string("not JSON"), false),
        (.object(["a": .number(1)]), .string(#"{"a": 1"#), false),
    ])
    func textArguments(expected: JSONValue, actual: JSONValue, passes: Bool) async throws {
        let scorer = try makeScorer("{type: tool_calls}")
        let result = await scoreCalls(
            scorer, expected: [ToolCall(name: "f", arguments: expected)], actual: [ToolCall(id: "call_1", name: "f", arguments: actual)]
        )
        #expect(result.passed == passes, "\(result.explanation)")
    }

    @Test("explanations name missing calls, argument pointers and unexpected calls", arguments: [
        ("{type: tool_calls}", [#"lookup {"order_id":"A-1"}"#, "notify"], [#"lookup {"order_id":"A-1"}"#],
         ["1 of 2 expected calls matched", "missing notify({})"]),
        ("{type: tool_calls}", [#"refund {"amount":30,"currency":"EUR"}"#], [#"refund {"amount":25,"currency":"EUR","note":"x"}"#],
         ["0 of 1 expected call matched", "refund (call 1) arguments differ: /amount: expected 30, got 25, /note: unexpected key (got \"x\")"]),
        ("{type: tool_calls, arguments: subset}", [#"search {"filter":{"city":"Paris"},"limit":5}"#],
         [#"search {"filter":{"city":"Lyon"}}"#],
         [#"/filter/city: expected "Paris", got "Lyon""#, "/limit: missing (expected 5)"]),
        ("{type: tool_calls}", [#"f {"items":[{"qty":1},{"qty":2}]}"#], [#"f {"items":[{"qty":1},{"qty":"2"}]}"#],
         [#"/items/1/qty: expected number 2, got string "2""#]),
        ("{type: tool_calls}", [#"f {"ids":[1,2]}"#], [#"f {"ids":[1]}"#], ["/ids: expected 2 items, got 1"]),
        ("{type: tool_calls}", [#"f {"a/b":{"c~d":1}}"#], [#"f {"a/b":{"c~d":2}}"#], ["/a~1b/c~0d: expected 1, got 2"]),
        ("{type: tool_calls, arguments: types}", [#"f {"n":1}"#], [#"f {"n":"one"}"#], [#"/n: expected number, got string "one""#]),
        ("{type: tool_calls, order: strict}", ["a", "b"], ["b", "a"], ["1 of 2 expected calls matched in order", "(call 1) out of order"]),
        ("{type: tool_calls, extra_calls: fail}", ["a"], ["a", #"b {"x":1}"#], ["the expected call made", #"unexpected: b({"x":1})"#]),
        ("{type: tool_calls}", ["a"], ["a", "b"], ["the expected call made", "extra (allowed): b({})"]),
        ("{type: tool_calls}", ["a", "b", "c"], ["c", "a", "b"], ["all 3 expected calls made"]),
        ("{type: tool_calls}", [], ["a", "b"], ["no tool calls expected, but 2 calls made: a({}), b({})"]),
        ("{type: tool_calls}", [], [], ["no tool calls expected, and none made"]),
    ] as [(String, [String], [String], [String])])
    func explanations(options: String, expected: [String], actual: [String], fragments: [String]) async throws {
        let scorer = try makeScorer(options)
        let result = await scoreCalls(scorer, expected: toolCalls(expected), actual: toolCalls(actual))
        for fragment in fragments {
            #expect(result.explanation.contains(fragment), "\(fragment) not in: \(result.explanation)")
        }
    }

    @Test("a case without expected_tool_calls is unmeasured with the reason")
    func unmeasuredReason() async throws {
        let scorer = try makeScorer("{type: tool_calls}")
        let result = await scoreCalls(scorer, expected: nil, actual: toolCalls(["a"]))
        #expect(result.status == .unmeasured(reason: "case has no expected tool calls"))
        #expect(result.value == nil && result.passed == nil)
    }

    @Test("the near miss is diagnosed against the closest call of the same name")
    func closestCandidate() async throws {
        let scorer = try makeScorer("{type: tool_calls}")
        let result = await scoreCalls(
            scorer, expected: toolCalls([#"f {"a":1,"b":2,"c":3}"#]),
            actual: toolCalls([#"f {"a":9,"b":9,"c":9}"#, #"f {"a":1,"b":2,"c":4}"#])
        )
        #expect(result.explanation.contains("f (call 2) arguments differ: /c: expected 3, got 4"), "\(result.explanation)")
        #expect(result.explanation.contains(#"extra (allowed): f({"a":9,"b":9,"c":9})"#), "\(result.explanation)")
    }

    @Test("long lists are cut in the explanation")
    func longLists() async throws {
        let scorer = try makeScorer("{type: tool_calls}")
        let expected = (0..<8).map { "tool\($0)" }
        let result = await scoreCalls(scorer, expected: toolCalls(expected), actual: [])
        #expect(result.explanation.contains("missing tool4({}); and 3 more"), "\(result.explanation)")
        #expect(!result.explanation.contains("tool5"))
    }

    @Test("large call lists are matched optimally")
    func largeLists() async throws {
        // 200 expected calls in reverse order of the 200 made: every one matches in any order, one in strict order.
        let names = (0..<200).map { #"f {"i":\#($0)}"# }
        let any = try makeScorer("{type: tool_calls}")
        let strict = try makeScorer("{type: tool_calls, order: strict}")
        let anyScore = await scoreCalls(any, expected: toolCalls(names), actual: toolCalls(names.reversed()))
        let strictScore = await scoreCalls(strict, expected: toolCalls(names), actual: toolCalls(names.reversed()))
        #expect(anyScore.value == 1)
        #expect(strictScore.value == 1.0 / 200)
    }
}

@Suite("Tool-call matching")
struct AgentToolCallMatchingTests {
    @Test("any order finds a maximum matching", arguments: [
        // compatible matrix (expected x actual), maximum size
        ([[true, true], [true, false]], 2),
        ([[true, false, false], [true, true, false], [false, true, true]], 3),
        ([[true], [true]], 1),
        ([[false, false], [false, false]], 0),
        ([[Bool]](), 0),
    ])
    func anyOrder(compatible: [[Bool]], size: Int) {
        let actualCount = compatible.first?.count ?? 0
        let pairs = ToolCallMatching.anyOrder(compatible, actualCount: actualCount)
        checkMatching(pairs, compatible)
        #expect(pairs.compactMap { $0 }.count == size)
    }

    @Test("strict order finds a longest order-preserving matching", arguments: [
        ([[true, false], [false, true]], 2),
        ([[false, true], [true, false]], 1),
        ([[false, true, false], [false, false, true], [true, false, false]], 2),
        ([[true, true, true], [true, true, true]], 2),
        ([[true, false, false]], 1),
    ])
    func inOrder(compatible: [[Bool]], size: Int) {
        let actualCount = compatible.first?.count ?? 0
        let pairs = ToolCallMatching.inOrder(compatible, actualCount: actualCount)
        checkMatching(pairs, compatible)
        let matched = pairs.compactMap { $0 }
        #expect(matched.count == size)
        #expect(matched == matched.sorted())
    }

    /// Every pair is compatible and no actual call is used twice.
    private func checkMatching(_ pairs: [Int?], _ compatible: [[Bool]], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(pairs.count == compatible.count, sourceLocation: sourceLocation)
        let used = pairs.compactMap { $0 }
        #expect(Set(used).count == used.count, sourceLocation: sourceLocation)
        for (expected, actual) in pairs.enumerated() {
            if let actual { #expect(compatible[expected][actual], sourceLocation: sourceLocation) }
        }
    }
}
