import AssayCore
import Testing
@testable import AssayScorers

@Suite("trajectory")
struct AgentTrajectoryScorerTests {
    /// One truth-table row: options, the case's expected calls (nil: none given), the calls made, and the value
    /// (nil: unmeasured) and verdict.
    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let options: String
        let expected: [String]?
        let actual: [String]
        let value: Double?
        let passed: Bool?

        init(_ label: String, _ options: String = "", expected: [String]?, actual: [String], value: Double?, passed: Bool? = nil) {
            self.label = label
            self.options = options
            self.expected = expected
            self.actual = actual
            self.value = value
            self.passed = passed ?? value.map { $0 >= 1 }
        }

        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row("no expected step count: unmeasured", expected: nil, actual: ["a", "b"], value: nil),
        Row("no expected step count and no calls: unmeasured", expected: nil, actual: [], value: nil),
        Row("exactly the expected calls", expected: ["a", "b", "c"], actual: ["a", "b", "c"], value: 1),
        Row("fewer calls than expected is no waste", expected: ["a", "b", "c"], actual: ["a"], value: 1),
        Row("no calls at all", expected: ["a", "b"], actual: [], value: 1),
        Row("the calls' arguments do not matter", expected: [#"a {"x":1}"#], actual: [#"a {"x":2}"#], value: 1),
        Row("one over", expected: ["a", "b"], actual: ["a", "b", "c"], value: 2.0 / 3),
        Row("twice the steps", expected: ["a", "b"], actual: ["a", "b", "c", "d"], value: 0.5),
        Row("none expected, one made", expected: [], actual: ["a"], value: 0),
        Row("none expected, none made", expected: [], actual: [], value: 1),
        Row("max_steps instead of the case's count", "max_steps: 4", expected: ["a"], actual: ["a", "b", "c"], value: 1),
        Row("max_steps without expected calls", "max_steps: 2", expected: nil, actual: ["a", "b", "c", "d"], value: 0.5),
        Row("max_steps: 0", "max_steps: 0", expected: nil, actual: [], value: 1),

        // Repeats: the same tool with the same canonical arguments as any earlier call.
        Row("a repeated call", expected: ["a", "b", "c"], actual: [#"a {"q":1}"#, "b", #"a {"q":1}"#], value: 0.75),
        Row("1 and 1.0 are the same call", "max_steps: 3", expected: nil, actual: [#"a {"q":1}"#, "b", #"a {"q":1.0}"#], value: 0.75),
        Row("key order does not make a new call", "max_steps: 3", expected: nil,
            actual: [#"a {"x":1,"y":2}"#, "b", #"a {"y":2,"x":1}"#], value: 0.75),
        Row("same tool, other arguments, not consecutive", "max_steps: 3", expected: nil,
            actual: [#"a {"q":1}"#, "b", #"a {"q":2}"#], value: 1),
        Row("a loop: repeats and steps over", "max_steps: 2", expected: nil,
            actual: [#"s {"q":"x"}"#, #"s {"q":"x"}"#, #"s {"q":"x"}"#, "t"], value: 0),
        Row("a repeat within budget", "max_steps: 10", expected: nil, actual: ["a", "b", "a", "b"], value: 0.5),

        // Consecutive calls to the same tool with other arguments.
        Row("consecutive calls to one tool", "max_steps: 2", expected: nil, actual: [#"a {"q":1}"#, #"a {"q":2}"#], value: 0.75),
        Row("consecutive calls not counted", "max_steps: 2\ncount_consecutive: false", expected: nil,
            actual: [#"a {"q":1}"#, #"a {"q":2}"#], value: 1),
        Row("an identical consecutive call counts once, as a repeat", "max_steps: 2\ncount_consecutive: true", expected: nil,
            actual: ["a", "a"], value: 0.75),
        Row("repeats still count without consecutive", "max_steps: 2\ncount_consecutive: false", expected: nil,
            actual: ["a", "a"], value: 0.75),

        // Penalty and threshold.
        Row("penalty 0: only the step count", "max_steps: 3\npenalty: 0", expected: nil, actual: ["a", "a", "a"], value: 1),
        Row("penalty 1: any waste is 0", "max_steps: 3\npenalty: 1", expected: nil, actual: ["a", "b", "a"], value: 0),
        Row("penalty 0.1", "max_steps: 4\npenalty: 0.1", expected: nil, actual: ["a", "b", "a", "b"], value: 0.8),
        Row("threshold 0.7 passes 0.75", "threshold: 0.7", expected: ["a", "b", "c"], actual: ["a", "b", "a"], value: 0.75, passed: true),
        Row("threshold 0.8 fails 0.75", "threshold: 0.8", expected: ["a", "b", "c"], actual: ["a", "b", "a"], value: 0.75, passed: false),
        Row("threshold 0 passes 0", "threshold: 0", expected: [], actual: ["a"], value: 0, passed: true),
    ]

    @Test("truth table", arguments: rows)
    func truthTable(_ row: Row) async throws {
        let yaml = row.options.isEmpty ? "type: trajectory" : "type: trajectory\n" + row.options
        let scorer = try makeScorer(yaml)
        let result = await scoreCalls(scorer, expected: row.expected.map { toolCalls($0) }, actual: toolCalls(row.actual))
        checkInvariants(result)
        #expect(verdict(result) == row.passed, "\(result.explanation)")
        if let value = row.value {
            #expect(abs((result.value ?? -1) - value) < 1e-9, "value \(String(describing: result.value)): \(result.explanation)")
        } else {
            #expect(result.value == nil)
            #expect(result.explanation.contains("max_steps"))
        }
    }

    @Test("explanations count the steps and name the waste", arguments: [
        ("{type: trajectory}", ["a", "b"], ["a", "b"], ["2 calls for 2 expected", "no waste"]),
        ("{type: trajectory}", ["a", "b"], ["a"], ["1 call for 2 expected", "no waste"]),
        ("{type: trajectory}", ["a"], ["a", "b", "c"], ["3 calls for 1 expected (2 over)", "efficiency 0.33"]),
        ("{type: trajectory, max_steps: 5}", [], [#"s {"q":"x"}"#, "t", #"s {"q":"x"}"#],
         [#"1 repeated: s({"q":"x"}) at call 3 (as call 1)"#, "efficiency 0.75"]),
        ("{type: trajectory, max_steps: 5}", [], [#"s {"q":"x"}"#, #"s {"q":"y"}"#], ["1 consecutive to the same tool: s at call 2"]),
        ("{type: trajectory, max_steps: 9}", [], ["a", "a", "a", "a", "a"], ["4 repeated: ", "and 1 more"]),
    ] as [(String, [String], [String], [String])])
    func explanations(options: String, expected: [String], actual: [String], fragments: [String]) async throws {
        let scorer = try makeScorer(options)
        let result = await scoreCalls(scorer, expected: toolCalls(expected), actual: toolCalls(actual))
        for fragment in fragments {
            #expect(result.explanation.contains(fragment), "\(fragment) not in: \(result.explanation)")
        }
    }
}
