import AssayCore

/// `tool_calls`: tool-call accuracy. The tool calls the output made are matched one to one with the case's
/// `expected_tool_calls`: by name, and by arguments as `arguments` says.
///
/// Options: `arguments` (`exact`, the default: equal as JSON, numbers compared numerically, key order ignored;
/// `subset`: every expected key present with an equal value at every depth, extra keys allowed; `types`: every
/// expected key present with the same JSON type; `ignore`: names only), `order` (`any`, the default: an optimal
/// one-to-one matching in any order; `strict`: matched calls must come in the expected order, other calls allowed
/// in between), `extra_calls` (`allow`, the default, or `fail`: any call not matched to an expected one fails the
/// case) and the common `threshold` (the fraction of expected calls that must match, default 1: all).
///
/// The value is the fraction of expected calls matched. A case whose `expected_tool_calls` is an empty list expects
/// no calls at all: it passes exactly when none were made. A case without `expected_tool_calls` is unmeasured.
public struct ToolCallScorer: ConfigurableScorer {
    /// `tool_calls`.
    public static let typeName = "tool_calls"
    /// `arguments`, `order` and `extra_calls`.
    public static let optionNames: Set<String> = ["arguments", "order", "extra_calls"]
    /// Unmatched or unexpected calls named in an explanation; the rest are counted.
    static let shownCalls = 5
    /// Argument differences named per mismatched call.
    static let shownDifferences = 3

    /// Whether the matched calls must come in the expected order.
    enum Order: String, Sendable, CaseIterable {
        /// Matched calls keep the expected order; other calls may come in between.
        case strict
        /// Any order.
        case any
    }

    /// What calls beyond the expected ones do to the verdict.
    enum ExtraCalls: String, Sendable, CaseIterable {
        /// They are reported but do not fail the case.
        case allow
        /// Any of them fails the case.
        case fail
    }

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings.
    public let fingerprint: String
    private let arguments: JSONMatchMode
    private let order: Order
    private let extraCalls: ExtraCalls
    private let threshold: Double

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        arguments = try AgentOptions.choice(options, "arguments", default: JSONMatchMode.exact)
        order = try AgentOptions.choice(options, "order", default: Order.any)
        extraCalls = try AgentOptions.choice(options, "extra_calls", default: ExtraCalls.allow)
        threshold = options.threshold ?? 1
        fingerprint = options.fingerprint([
            "arguments": .string(arguments.rawValue), "order": .string(order.rawValue),
            "extra_calls": .string(extraCalls.rawValue), "threshold": .number(threshold),
        ])
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case; its `expected_tool_calls` are the reference.
    ///   - output: What the target produced; its tool calls are judged.
    /// - Returns: The fraction of expected calls matched, passing when it reaches the threshold (and, with
    ///   `extra_calls: fail`, no other call was made); unmeasured when the case has no `expected_tool_calls`.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        evaluate(expected: testCase.expectedToolCalls, actual: output.toolCalls)
    }

    func evaluate(expected: [ToolCall]?, actual: [ToolCall]) -> Score {
        guard let expected else { return .unmeasured(name, reason: "case has no expected tool calls") }
        if expected.isEmpty {
            if actual.isEmpty { return .scored(name, passed: true, explanation: "no tool calls expected, and none made") }
            return .scored(
                name, passed: false,
                explanation: "no tool calls expected, but \(Self.calls(actual.count)) made: \(Self.list(actual.map { $0.display() }))"
            )
        }
        let expectedArguments = expected.map(\.scoringArguments)
        let actualArguments = actual.map(\.scoringArguments)
        let compatible = expected.indices.map { e in
            actual.indices.map { a in
                expected[e].name == actual[a].name
                    && JSONComparison.matches(expected: expectedArguments[e], actual: actualArguments[a], mode: arguments)
            }
        }
        let pairs = order == .strict
            ? ToolCallMatching.inOrder(compatible, actualCount: actual.count)
            : ToolCallMatching.anyOrder(compatible, actualCount: actual.count)
        let matched = pairs.compactMap { $0 }.count
        var used = [Bool](repeating: false, count: actual.count)
        for case let index? in pairs { used[index] = true }
        let unmatchedActual = used.filter { !$0 }.count

        // Diagnose each unmatched expected call against the closest unused call of the same name.
        var problems: [String] = []
        for (index, pair) in pairs.enumerated() where pair == nil {
            let call = expected[index]
            var closest: (index: Int, differences: [JSONDifference])?
            for candidate in actual.indices where !used[candidate] && actual[candidate].name == call.name {
                let differences = JSONComparison.differences(
                    expected: expectedArguments[index], actual: actualArguments[candidate], mode: arguments,
                    limit: Self.shownDifferences + 1
                )
                if closest.map({ differences.count < $0.differences.count }) ?? true {
                    closest = (candidate, differences)
                }
            }
            guard let closest else {
                problems.append("missing \(call.display())")
                continue
            }
            used[closest.index] = true
            if closest.differences.isEmpty {
                problems.append("\(call.name) (call \(closest.index + 1)) out of order")
            } else {
                var shown = closest.differences.prefix(Self.shownDifferences).map(\.description).joined(separator: ", ")
                if closest.differences.count > Self.shownDifferences { shown += ", ..." }
                problems.append("\(call.name) (call \(closest.index + 1)) arguments differ: \(shown)")
            }
        }
        // Calls neither matched nor diagnosed above are unexpected.
        let unexpected = actual.indices.filter { !used[$0] }.map { actual[$0] }

        let value = Double(matched) / Double(expected.count)
        let extrasFail = extraCalls == .fail && unmatchedActual > 0
        let passed = value >= threshold && !extrasFail
        var parts: [String] = []
        let orderNote = order == .strict ? " in order" : ""
        if matched == expected.count {
            parts.append(expected.count == 1 ? "the expected call made" : "all \(expected.count) expected calls made\(orderNote)")
        } else {
            parts.append("\(matched) of \(expected.count) expected \(expected.count == 1 ? "call" : "calls") matched\(orderNote)")
        }
        if problems.count > Self.shownCalls {
            parts.append(problems.prefix(Self.shownCalls).joined(separator: "; ") + "; and \(problems.count - Self.shownCalls) more")
        } else {
            parts.append(contentsOf: problems)
        }
        if !unexpected.isEmpty {
            let verdict = extraCalls == .fail ? "unexpected" : "extra (allowed)"
            parts.append("\(verdict): \(Self.list(unexpected.map { $0.display() }))")
        }
        if extrasFail, unexpected.isEmpty {
            // Every extra call was a near miss already reported above.
            parts.append("extra calls are not allowed")
        }
        return .scored(name, passed: passed, value: value, explanation: parts.joined(separator: "; "))
    }

    private static func calls(_ count: Int) -> String { count == 1 ? "1 call" : "\(count) calls" }

    private static func list(_ items: [String]) -> String {
        var parts = Array(items.prefix(shownCalls))
        if items.count > shownCalls { parts.append("and \(items.count - shownCalls) more") }
        return parts.joined(separator: ", ")
    }
}
