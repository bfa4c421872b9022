import AssayCore
import Testing
@testable import AssayScorers

@Suite("task_completion")
struct AgentTaskCompletionScorerTests {
    /// One truth-table row: the scorer's options (a flow mapping's inside), the output text and tool calls, the
    /// verdict and a fragment of the explanation.
    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let options: String
        let text: String
        let calls: [String]
        let passed: Bool
        let explanation: String

        init(_ label: String, _ options: String, text: String = "", calls: [String] = [], passed: Bool, _ explanation: String) {
            self.label = label
            self.options = options
            self.text = text
            self.calls = calls
            self.passed = passed
            self.explanation = explanation
        }

        var testDescription: String { label }
    }

    static let order = #"{"order": {"id": "A-1", "status": "shipped", "total": 42.0, "items": [{"sku": "X", "qty": 1}], "notes": "sent by DHL express"}}"#

    static let rows: [Row] = [
        // equals
        Row("equals a string", "state_path: order.status, equals: shipped", text: order, passed: true, #"order.status equals "shipped""#),
        Row("equals: another string", "state_path: order.status, equals: pending", text: order, passed: false,
            #"order.status: expected "pending", got "shipped""#),
        Row("equals a number numerically", "state_path: order.total, equals: 42", text: order, passed: true, "order.total equals 42"),
        Row("a quoted number is a string", "state_path: order.total, equals: '42'", text: order, passed: false,
            #"order.total: expected string "42", got integer 42"#),
        Row("equals an object exactly", "state_path: 'order.items[0]', equals: {qty: 1.0, sku: X}", text: order, passed: true, "equals"),
        Row("equals an object: extra member fails", "state_path: order.items.0, equals: {sku: X}", text: order, passed: false,
            "order.items.0: /qty: unexpected key (got 1)"),
        Row("equals a list", "state_path: order.items, equals: [{sku: X, qty: 1}]", text: order, passed: true, "equals"),
        Row("$ is the whole value", "state_path: $, equals: [1, 2]", text: "[1, 2.0]", passed: true, "$ equals [1,2]"),
        Row("a leading $. is allowed", "state_path: $.order.id, equals: A-1", text: order, passed: true, #"equals "A-1""#),
        Row("missing path", "state_path: order.carrier, equals: DHL", text: order, passed: false,
            "order.carrier: not found in the output's JSON"),
        Row("not JSON", "state_path: order.status, equals: shipped", text: "Your order has shipped.", passed: false,
            "no JSON in the output"),
        Row("a fenced block", "state_path: order.status, equals: shipped",
            text: "Done! Here is the order:\n```json\n" + order + "\n```\nAnything else?", passed: true, "equals"),
        Row("the whole output comes first", "state_path: status, equals: open", text: #"  {"status": "open"}  "#, passed: true,
            "equals"),

        // contains
        Row("contains in a string", "state_path: order.notes, contains: DHL", text: order, passed: true, #"order.notes contains "DHL""#),
        Row("contains in a string is case-sensitive", "state_path: order.notes, contains: dhl", text: order, passed: false,
            #"order.notes does not contain "dhl": "sent by DHL express""#),
        Row("contains an element of a list", "state_path: order.items, contains: {sku: X, qty: 1}", text: order, passed: true, "contains"),
        Row("a list element must equal exactly", "state_path: order.items, contains: {sku: X}", text: order, passed: false,
            #"order.items has no element equal to {"sku":"X"} (it has 1)"#),
        Row("contains a number in a list", "state_path: ids, contains: 2", text: #"{"ids": [1, 2.0, 3]}"#, passed: true, "ids contains 2"),
        Row("contains members of an object", "state_path: order, contains: {status: shipped, id: A-1}", text: order, passed: true,
            "contains"),
        Row("contains members of an object, nested", "state_path: $, contains: {order: {status: shipped}}", text: order, passed: true,
            "contains"),
        Row("contains: a member differs", "state_path: order, contains: {status: delivered}", text: order, passed: false,
            #"order: /status: expected "delivered", got "shipped""#),
        Row("contains: object needs a mapping", "state_path: order, contains: shipped", text: order, passed: false,
            "'contains' needs a mapping"),
        Row("contains on a number", "state_path: order.total, contains: 4", text: order, passed: false,
            "order.total is integer 42; 'contains' needs a string, a list or an object there"),

        // final tool
        Row("final tool", "final_tool: submit_order", calls: ["lookup", #"submit_order {"id":"A-1"}"#], passed: true,
            "the last tool call is submit_order"),
        Row("final tool is not last", "final_tool: submit_order", calls: ["submit_order", "lookup"], passed: false,
            "the last tool call is lookup({}), expected submit_order"),
        Row("no tool calls", "final_tool: submit_order", passed: false, "no tool calls made; expected the last to be submit_order"),
        Row("final arguments, extra allowed", "final_tool: submit_order, final_arguments: {id: A-1}",
            calls: [#"submit_order {"id":"A-1","express":true}"#], passed: true, #"the last tool call is submit_order({"express":true,"id":"A-1"})"#),
        Row("final arguments differ", "final_tool: submit_order, final_arguments: {id: A-1, qty: 2}",
            calls: [#"submit_order {"id":"A-2","qty":2.0}"#], passed: false,
            #"the last tool call submit_order has other arguments: /id: expected "A-1", got "A-2""#),

        // both
        Row("state and final tool, both hold", "state_path: order.status, equals: shipped, final_tool: notify", text: order,
            calls: ["notify"], passed: true, "order.status equals \"shipped\"; the last tool call is notify"),
        Row("state and final tool, one fails", "state_path: order.status, equals: shipped, final_tool: notify", text: order,
            calls: ["lookup"], passed: false, "the last tool call is lookup({}), expected notify"),
        Row("state and final tool, both fail", "state_path: order.status, equals: lost, final_tool: notify", text: "no",
            calls: [], passed: false, "no JSON in the output (neither the whole output nor a fenced block parses); no tool calls made"),
    ]

    @Test("truth table", arguments: rows)
    func truthTable(_ row: Row) async throws {
        let scorer = try makeScorer("{type: task_completion, \(row.options)}")
        let result = await scoreCalls(scorer, expected: nil, actual: toolCalls(row.calls), text: row.text)
        checkInvariants(result)
        #expect(result.passed == row.passed, "\(result.explanation)")
        #expect(result.explanation.contains(row.explanation), "\(row.explanation) not in: \(result.explanation)")
    }

    @Test("the case's expectations do not matter")
    func ignoresCase() async throws {
        let scorer = try makeScorer("{type: task_completion, final_tool: f}")
        let result = await scorer.score(
            Case(id: "c", input: .string("x"), expected: "something else", expectedToolCalls: [ToolCall(name: "g", arguments: .null)]),
            Output(text: "", toolCalls: toolCalls(["f"]))
        )
        #expect(result.passed == true)
    }
}
