import AssayCore

/// `trajectory`: trajectory efficiency. Reads the output's tool calls in order and counts the waste: calls beyond
/// the expected number of steps, repeated calls (the same tool with the same arguments as an earlier call, compared
/// canonically) and redundant consecutive calls (the same tool as the call just before, with other arguments).
///
/// value = max(0, min(1, expected steps / actual steps) − `penalty` × (repeated + consecutive calls)), and 1 when no
/// call was made. It passes at `threshold` (default 1: no waste at all).
///
/// Options: `max_steps` (the expected number of steps; without it, the number of the case's
/// `expected_tool_calls`), `penalty` (default 0.25, in 0...1: subtracted per repeated or redundant consecutive
/// call), `count_consecutive` (default true; false counts only exact repeats) and the common `threshold`. A case
/// is unmeasured when there is neither `max_steps` nor `expected_tool_calls`. It measures waste only: whether the
/// right calls were made is `tool_calls`' job.
public struct TrajectoryScorer: ConfigurableScorer {
    /// `trajectory`.
    public static let typeName = "trajectory"
    /// `max_steps`, `penalty` and `count_consecutive`.
    public static let optionNames: Set<String> = ["max_steps", "penalty", "count_consecutive"]
    /// The default penalty per repeated or redundant call.
    static let defaultPenalty = 0.25
    /// Wasted calls named in an explanation; the rest are counted.
    static let shownCalls = 3

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings.
    public let fingerprint: String
    private let maxSteps: Int?
    private let penalty: Double
    private let countConsecutive: Bool
    private let threshold: Double

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        maxSteps = try options.nonNegativeInt("max_steps")
        if let node = options.node("penalty") {
            let value = try node.double()
            guard value.isFinite, (0...1).contains(value) else {
                throw node.error("'penalty' is a value between 0 and 1 (e.g. 0.25), got \(JSONValue.formatNumber(value))")
            }
            penalty = value
        } else {
            penalty = Self.defaultPenalty
        }
        countConsecutive = try options.bool("count_consecutive", default: true)
        threshold = options.threshold ?? 1
        fingerprint = options.fingerprint([
            "max_steps": maxSteps.map { .number(Double($0)) } ?? .null, "penalty": .number(penalty),
            "count_consecutive": .bool(countConsecutive), "threshold": .number(threshold),
        ])
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case; the number of its `expected_tool_calls` is the expected step count when no
    ///     `max_steps` is configured.
    ///   - output: What the target produced; its tool calls, in order, are the trajectory.
    /// - Returns: The efficiency, passing at the threshold; unmeasured without an expected step count.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        evaluate(expected: testCase.expectedToolCalls, actual: output.toolCalls)
    }

    func evaluate(expected: [ToolCall]?, actual: [ToolCall]) -> Score {
        guard let budget = maxSteps ?? expected?.count else {
            return .unmeasured(name, reason: "no expected step count: set 'max_steps' or give the case expected_tool_calls")
        }
        var seen: [String: Int] = [:]
        var repeats: [String] = []
        var consecutive: [String] = []
        for (index, call) in actual.enumerated() {
            let key = call.identityKey
            if let first = seen[key] {
                repeats.append("\(call.display(limit: 40)) at call \(index + 1) (as call \(first + 1))")
            } else {
                seen[key] = index
                if countConsecutive, index > 0, actual[index - 1].name == call.name {
                    consecutive.append("\(call.name) at call \(index + 1)")
                }
            }
        }
        let steps = actual.count
        let efficiency = steps == 0 ? 1 : min(1, Double(budget) / Double(steps))
        let wasted = repeats.count + consecutive.count
        let value = min(1, max(0, efficiency - penalty * Double(wasted)))
        let passed = value >= threshold

        var parts = ["\(Self.calls(steps)) for \(budget) expected"]
        if steps > budget { parts[0] += " (\(steps - budget) over)" }
        if !repeats.isEmpty {
            parts.append("\(repeats.count) repeated: \(Self.list(repeats))")
        }
        if !consecutive.isEmpty {
            parts.append("\(consecutive.count) consecutive to the same tool: \(Self.list(consecutive))")
        }
        if steps <= budget, wasted == 0 { parts.append("no waste") }
        if value < 1 { parts.append("efficiency \(Self.format(value))") }
        return .scored(name, passed: passed, value: value, explanation: parts.joined(separator: "; "))
    }

    private static func calls(_ count: Int) -> String { count == 1 ? "1 call" : "\(count) calls" }

    private static func list(_ items: [String]) -> String {
        var parts = Array(items.prefix(shownCalls))
        if items.count > shownCalls { parts.append("and \(items.count - shownCalls) more") }
        return parts.joined(separator: ", ")
    }

    /// A value with at most two decimals: `0.5`, `0.33`.
    private static func format(_ value: Double) -> String {
        JSONValue.formatNumber((value * 100).rounded() / 100)
    }
}
