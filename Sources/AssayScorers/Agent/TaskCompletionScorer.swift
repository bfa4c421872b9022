import AssayCore

/// `task_completion` (deterministic form): the task reached its expected end state.
///
/// Two kinds of check, either or both:
/// - the end state: `state_path` (a dotted path such as `order.status` or `items[0].sku`; `$` is the whole value)
///   into the JSON the output holds (the whole output parsed as JSON, or else its first Markdown code fence), with
///   `equals` (the value there equals this one as JSON: numbers numerically, key order ignored) or `contains` (the
///   string there contains this text, the list there has an element equal to this value, or the object there has
///   these members, extra members allowed);
/// - the final tool call: `final_tool` (the name of the last tool call made), optionally with `final_arguments`
///   (members its arguments must have, extra members allowed).
///
/// The value is 1 when every configured check holds and 0 otherwise. For end states that are described rather than
/// structured, the judge form (`goal`, `judge`; see `TaskGoalJudgeScorer`) asks an LLM judge.
public struct TaskCompletionScorer: ConfigurableScorer {
    /// `task_completion`.
    public static let typeName = "task_completion"
    /// `state_path`, `equals`, `contains`, `final_tool` and `final_arguments`.
    public static let optionNames: Set<String> = ["state_path", "equals", "contains", "final_tool", "final_arguments"]
    /// Differences named in an explanation.
    static let shownDifferences = 3

    /// How the value at `state_path` is checked.
    private enum StateCheck: Sendable {
        case equals(JSONValue)
        case contains(JSONValue)
    }

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings.
    public let fingerprint: String
    private let statePath: String?
    private let stateCheck: StateCheck?
    private let finalTool: String?
    private let finalArguments: JSONValue?

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option: no check at all, a
    ///   `state_path` without `equals` or `contains` (or with both), `equals` or `contains` without `state_path`,
    ///   `final_arguments` without `final_tool` or not a mapping.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        let pathNode = options.node("state_path")
        let equalsNode = options.node("equals")
        let containsNode = options.node("contains")
        statePath = try options.nonEmptyString("state_path")
        if equalsNode != nil, let containsNode {
            throw containsNode.error("give either 'equals' or 'contains', not both")
        }
        if let equalsNode {
            guard pathNode != nil else { throw equalsNode.error("'equals' needs 'state_path' (where to look in the output's JSON)") }
            stateCheck = .equals(equalsNode.json)
        } else if let containsNode {
            guard pathNode != nil else { throw containsNode.error("'contains' needs 'state_path' (where to look in the output's JSON)") }
            stateCheck = .contains(containsNode.json)
        } else {
            if let pathNode { throw pathNode.error("'state_path' needs 'equals' or 'contains' (what to expect there)") }
            stateCheck = nil
        }
        finalTool = try options.nonEmptyString("final_tool")
        if let argumentsNode = options.node("final_arguments") {
            guard finalTool != nil else { throw argumentsNode.error("'final_arguments' needs 'final_tool'") }
            guard argumentsNode.isMapping else {
                throw argumentsNode.error("'final_arguments' must be a mapping of argument names to values")
            }
            finalArguments = argumentsNode.json
        } else {
            finalArguments = nil
        }
        guard stateCheck != nil || finalTool != nil else {
            throw options.node.error("task_completion needs an end state ('state_path' with 'equals' or 'contains') or 'final_tool' (or both)")
        }
        var settings: [String: JSONValue] = [
            "state_path": statePath.map(JSONValue.string) ?? .null,
            "final_tool": finalTool.map(JSONValue.string) ?? .null,
            "final_arguments": finalArguments ?? .null,
        ]
        switch stateCheck {
        case .equals(let value)?: settings["equals"] = value
        case .contains(let value)?: settings["contains"] = value
        case nil: break
        }
        fingerprint = options.fingerprint(settings)
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case (not used).
    ///   - output: What the target produced: its text holds the end state, its last tool call is the final one.
    /// - Returns: Pass when every configured check holds; the explanation says which failed and why.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        evaluate(text: output.text, toolCalls: output.toolCalls)
    }

    func evaluate(text: String, toolCalls: [ToolCall]) -> Score {
        var passes: [String] = []
        var failures: [String] = []
        if let statePath, let stateCheck {
            switch checkState(statePath, stateCheck, in: text) {
            case .success(let note): passes.append(note)
            case .failure(let problem): failures.append(problem.message)
            }
        }
        if let finalTool {
            switch checkFinalTool(finalTool, toolCalls) {
            case .success(let note): passes.append(note)
            case .failure(let problem): failures.append(problem.message)
            }
        }
        if failures.isEmpty {
            return .scored(name, passed: true, explanation: passes.joined(separator: "; "))
        }
        return .scored(name, passed: false, explanation: failures.joined(separator: "; "))
    }

    /// A failed check's explanation.
    private struct Problem: Error {
        let message: String
    }

    private func checkState(_ path: String, _ check: StateCheck, in text: String) -> Result<String, Problem> {
        guard let document = Self.document(in: text) else {
            return .failure(Problem(message: "no JSON in the output (neither the whole output nor a fenced block parses)"))
        }
        guard let value = document.value(atPath: path) else {
            return .failure(Problem(message: "\(path): not found in the output's JSON"))
        }
        switch check {
        case .equals(let expected):
            let differences = JSONComparison.differences(
                expected: expected, actual: value, mode: .exact, limit: Self.shownDifferences + 1
            )
            if differences.isEmpty { return .success("\(path) equals \(SchemaValidator.literal(expected))") }
            return .failure(Problem(message: "\(path): \(Self.describe(differences))"))
        case .contains(let expected):
            return contains(expected, in: value, at: path)
        }
    }

    private func contains(_ expected: JSONValue, in value: JSONValue, at path: String) -> Result<String, Problem> {
        switch value {
        case .string(let text):
            let needle = expected.stringValue ?? expected.canonicalText
            if TextSearch.contains(Array(needle.utf8), in: text) { return .success("\(path) contains \(quoted(needle))") }
            return .failure(Problem(message: "\(path) does not contain \(quoted(needle)): \(quoted(text))"))
        case .array(let elements):
            if elements.contains(where: { JSONComparison.matches(expected: expected, actual: $0, mode: .exact) }) {
                return .success("\(path) contains \(SchemaValidator.literal(expected))")
            }
            return .failure(Problem(message: "\(path) has no element equal to \(SchemaValidator.literal(expected)) (it has \(elements.count))"))
        case .object:
            guard expected.objectValue != nil else {
                return .failure(Problem(message: "\(path) is an object; 'contains' needs a mapping of members to look for there"))
            }
            let differences = JSONComparison.differences(
                expected: expected, actual: value, mode: .subset, limit: Self.shownDifferences + 1
            )
            if differences.isEmpty { return .success("\(path) contains \(SchemaValidator.literal(expected))") }
            return .failure(Problem(message: "\(path): \(Self.describe(differences))"))
        default:
            return .failure(Problem(
                message: "\(path) is \(SchemaValidator.describe(value)); 'contains' needs a string, a list or an object there"
            ))
        }
    }

    private func checkFinalTool(_ tool: String, _ calls: [ToolCall]) -> Result<String, Problem> {
        guard let last = calls.last else {
            return .failure(Problem(message: "no tool calls made; expected the last to be \(tool)"))
        }
        guard last.name == tool else {
            return .failure(Problem(message: "the last tool call is \(last.display(limit: 40)), expected \(tool)"))
        }
        guard let finalArguments else { return .success("the last tool call is \(tool)") }
        let differences = JSONComparison.differences(
            expected: finalArguments, actual: last.scoringArguments, mode: .subset, limit: Self.shownDifferences + 1
        )
        if differences.isEmpty { return .success("the last tool call is \(last.display(limit: 40))") }
        return .failure(Problem(message: "the last tool call \(tool) has other arguments: \(Self.describe(differences))"))
    }

    private static func describe(_ differences: [JSONDifference]) -> String {
        // A difference at the root of the compared value is the whole value: no pointer needed.
        var shown = differences.prefix(shownDifferences).map { $0.pointer == "/" ? $0.message : $0.description }
            .joined(separator: ", ")
        if differences.count > shownDifferences { shown += ", ..." }
        return shown
    }

    /// The JSON the output holds: the whole output, or else its first Markdown code fence.
    static func document(in text: String) -> JSONValue? {
        if let value = try? JSONParser.parse(text) { return value }
        if let block = FencedBlock.firstContent(in: text), let value = try? JSONParser.parse(String(block)) { return value }
        return nil
    }
}
