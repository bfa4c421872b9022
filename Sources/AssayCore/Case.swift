import Foundation

/// One chat message.
public struct Message: Sendable, Hashable, Codable {
    /// `system`, `user`, `assistant` or `tool`.
    public var role: String
    /// The text content.
    public var content: String
    /// Tool calls an assistant message made.
    public var toolCalls: [ToolCall]?
    /// For a `tool` message, the id of the call it answers.
    public var toolCallID: String?

    /// Creates a message.
    public init(role: String, content: String, toolCalls: [ToolCall]? = nil, toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    enum CodingKeys: String, CodingKey {
        case role, content
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
    }
}

/// A tool (function) call made by a model, or expected of it.
public struct ToolCall: Sendable, Hashable, Codable {
    /// Provider-assigned id, when there is one.
    public var id: String?
    /// The tool's name.
    public var name: String
    /// The arguments as a JSON value (providers send them as JSON text; unparseable text is kept as a string).
    public var arguments: JSONValue

    /// Creates a tool call.
    public init(id: String? = nil, name: String, arguments: JSONValue) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// What a case expects the system to do.
public enum ExpectedOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Answer the request.
    case answer
    /// Decline the request.
    case refuse
    /// Hand the request to a human or another channel.
    case escalate
}

/// Where a case came from.
public enum CaseSource: String, Sendable, Hashable, Codable, CaseIterable {
    case hand, synthetic, adversarial, trace
}

/// One test input with its optional expectations.
public struct Case: Sendable, Hashable, Codable {
    /// Unique within its dataset.
    public var id: String
    /// The input: a string (the `input` template variable) or an object whose members become template variables.
    public var input: JSONValue
    /// A conversation to send as it is (after the template's system message, if any) instead of rendering a
    /// user message from the template.
    public var messages: [Message]?
    /// The expected answer, when there is one.
    public var expected: String?
    /// What the system should do: answer, refuse or escalate.
    public var expectedOutcome: ExpectedOutcome?
    /// Expected tool calls.
    public var expectedToolCalls: [ToolCall]?
    /// Retrieved context passages, for RAG cases.
    public var context: [String]?
    /// The route (rubric selector); `default` when the dataset gives none.
    public var route: String
    /// Free-form strata: intent, difficulty, risk tier, tenant, source and any others.
    public var tags: [String: String]
    /// Weight of the case in weighted aggregates.
    public var weight: Double

    /// Creates a case.
    public init(
        id: String,
        input: JSONValue,
        messages: [Message]? = nil,
        expected: String? = nil,
        expectedOutcome: ExpectedOutcome? = nil,
        expectedToolCalls: [ToolCall]? = nil,
        context: [String]? = nil,
        route: String = Case.defaultRoute,
        tags: [String: String] = [:],
        weight: Double = 1
    ) {
        self.id = id
        self.input = input
        self.messages = messages
        self.expected = expected
        self.expectedOutcome = expectedOutcome
        self.expectedToolCalls = expectedToolCalls
        self.context = context
        self.route = route
        self.tags = tags
        self.weight = weight
    }

    /// The route of cases that name none.
    public static let defaultRoute = "default"

    enum CodingKeys: String, CodingKey {
        case id, input, messages, expected, context, route, tags, weight
        case expectedOutcome = "expected_outcome"
        case expectedToolCalls = "expected_tool_calls"
    }

    /// The variables a prompt template sees: every member of an object input, plus (unless the input has a member
    /// of the same name) `input` (the string input, or the object's JSON), `id`, `route`, `context` (a list),
    /// `context_text` (passages joined by blank lines) and `tags`. The expected answer is deliberately absent: it
    /// must never leak into a prompt.
    public var templateVariables: [String: JSONValue] {
        var variables: [String: JSONValue] = [:]
        if case .object(let members) = input {
            variables = members
        }
        if variables["input"] == nil {
            variables["input"] = .string(input.displayText)
        }
        // An input's own members win over these (a customer's `route` or `id` is not the case's).
        func add(_ key: String, _ value: JSONValue) {
            if variables[key] == nil { variables[key] = value }
        }
        add("id", .string(id))
        add("route", .string(route))
        if let context {
            add("context", .array(context.map(JSONValue.string)))
            add("context_text", .string(context.joined(separator: "\n\n")))
        }
        add("tags", .object(tags.mapValues(JSONValue.string)))
        return variables
    }

    /// The canonical JSON of the case: the basis of the dataset hash.
    public var canonicalJSON: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "input": input, "route": .string(route),
            "tags": .object(tags.mapValues(JSONValue.string)), "weight": .number(weight),
        ]
        if let messages {
            object["messages"] = .array(messages.map { message in
                var m: [String: JSONValue] = ["role": .string(message.role), "content": .string(message.content)]
                if let id = message.toolCallID { m["tool_call_id"] = .string(id) }
                if let calls = message.toolCalls { m["tool_calls"] = .array(calls.map(\.canonicalJSON)) }
                return .object(m)
            })
        }
        if let expected { object["expected"] = .string(expected) }
        if let expectedOutcome { object["expected_outcome"] = .string(expectedOutcome.rawValue) }
        if let expectedToolCalls { object["expected_tool_calls"] = .array(expectedToolCalls.map(\.canonicalJSON)) }
        if let context { object["context"] = .array(context.map(JSONValue.string)) }
        return .object(object)
    }
}

extension ToolCall {
    /// Canonical JSON (`name` and `arguments`; the provider id is not part of a call's meaning).
    public var canonicalJSON: JSONValue {
        .object(["name": .string(name), "arguments": arguments])
    }
}
