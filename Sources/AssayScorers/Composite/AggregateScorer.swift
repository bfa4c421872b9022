import AssayCore
import Foundation

/// `aggregate`: several scorers combined into one verdict by `mode`: `all`, `any`, `majority` or `weighted`.
///
/// Every member scores the output. Unmeasured members are not guessed: the verdict is worked out twice, once as
/// if every unmeasured member had passed (value 1) and once as if each had failed (value 0). When both agree, that
/// is the verdict (an `all` with one failed member fails whatever the others say); when they differ, the
/// aggregate is unmeasured, naming the members it is waiting for.
///
/// - `all`: passes when every member passes.
/// - `any`: passes when at least one member passes.
/// - `majority`: passes when more than half of the members (by count, or by `weight` when given) pass.
/// - `weighted`: the weighted mean of the members' values reaches `threshold` (default 0.5).
///
/// The value is the weighted pass fraction of the scored members (`weighted`: their weighted mean value). Cost,
/// judge calls and tokens are the members' sums.
public struct AggregateScorer: Scorer {
    /// `aggregate`.
    public static let typeName = "aggregate"
    static let optionNames: Set<String> = ["mode", "scorers"]
    /// Keys a member may carry besides its own options.
    static let memberKeys: Set<String> = ["weight"]

    /// How members combine.
    public enum Mode: String, Sendable, CaseIterable {
        /// Every member passes.
        case all
        /// At least one member passes.
        case any
        /// More than half the weight passes.
        case majority
        /// The weighted mean value reaches the threshold.
        case weighted
    }

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the mode, threshold and the members' fingerprints and weights.
    public let fingerprint: String
    let mode: Mode
    let threshold: Double
    let members: [(scorer: any Scorer, weight: Double)]

    /// Builds the scorer and its members.
    /// - Parameters:
    ///   - config: The scorer's configuration.
    ///   - context: The suite's judges, for judge members.
    /// - Throws: `AssayError` (config) at the offending option or member.
    public init(config: ScorerConfig, context: ScorerContext) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        guard let modeNode = options.node("mode") else {
            throw config.options.error("aggregate needs 'mode': one of \(Mode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let modeName = try modeNode.string()
        guard let mode = Mode(rawValue: modeName) else {
            let hint = ConfigNode.closest(to: modeName, in: Mode.allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
            throw modeNode.error("unknown mode '\(modeName)'\(hint) (one of \(Mode.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.mode = mode
        threshold = options.threshold ?? 0.5
        var members: [(scorer: any Scorer, weight: Double)] = []
        for (member, node) in try CompositeMembers.configs(options, what: "aggregate", minimum: 2) {
            var weight = 1.0
            if let weightNode = node["weight"] {
                weight = try weightNode.double()
                guard weight > 0, weight.isFinite else { throw weightNode.error("a weight is a positive number, got \(JSONValue.formatNumber(weight))") }
            }
            let child = ScorerConfig(
                name: member.name, type: member.type, options: node.removing(Self.memberKeys), gate: nil, location: member.location
            )
            members.append((try ScorerFactory.make(child, context: context), weight))
        }
        self.members = members
        fingerprint = Fingerprint.sha256(JSONValue.object([
            "type": .string(Self.typeName), "mode": .string(mode.rawValue), "threshold": .number(threshold),
            "members": .array(members.map { .array([.string($0.scorer.name), .string($0.scorer.fingerprint), .number($0.weight)]) }),
        ]))
    }

    /// Every member may call its judge.
    public var plannedCalls: Int { members.reduce(0) { $0 + $1.scorer.plannedCalls } }

    public func score(_ testCase: Case, _ output: Output) async -> Score {
        var scores: [Score] = []
        for member in members { scores.append(await member.scorer.score(testCase, output)) }
        let weights = members.map(\.weight)
        let optimistic = verdict(scores, weights: weights, unmeasuredAs: true)
        let pessimistic = verdict(scores, weights: weights, unmeasuredAs: false)
        let parts = zip(members, scores).map { member, score in "\(member.scorer.name) \(CompositeMembers.describe(score))" }
        let detail = parts.joined(separator: "; ")
        var result: Score
        if !scores.contains(where: { $0.status.isScored }) {
            result = .unmeasured(name, reason: "no member could score: \(detail)")
        } else if optimistic.passed == pessimistic.passed {
            result = .scored(
                name, passed: pessimistic.passed, value: pessimistic.value,
                label: "\(mode.rawValue): \(scores.filter { $0.passed == true }.count)/\(scores.count) passed",
                explanation: "\(mode.rawValue) \(pessimistic.passed ? "passes" : "fails"): \(detail)"
            )
        } else {
            let waiting = zip(members, scores).filter { !$1.status.isScored }.map(\.0.scorer.name)
            result = .unmeasured(name, reason: "\(mode.rawValue) depends on unmeasured \(waiting.joined(separator: ", ")): \(detail)")
        }
        return CompositeMembers.sumSpending(of: scores, into: result)
    }

    /// The verdict and value with unmeasured members counted as passes (value 1) or fails (value 0).
    func verdict(_ scores: [Score], weights: [Double], unmeasuredAs pass: Bool) -> (passed: Bool, value: Double) {
        var passedWeight = 0.0, totalWeight = 0.0, valueSum = 0.0
        var scoredPassed = 0.0, scoredWeight = 0.0, scoredValue = 0.0
        for (score, weight) in zip(scores, weights) {
            let passed = score.passed ?? pass
            let value = score.status.isScored ? (score.value ?? (passed ? 1 : 0)) : (pass ? 1 : 0)
            totalWeight += weight
            if passed { passedWeight += weight }
            valueSum += weight * value
            if score.status.isScored {
                scoredWeight += weight
                if passed { scoredPassed += weight }
                scoredValue += weight * value
            }
        }
        let passed: Bool
        switch mode {
        case .all: passed = passedWeight >= totalWeight - 1e-12
        case .any: passed = passedWeight > 0
        case .majority: passed = passedWeight > totalWeight / 2 + 1e-12
        case .weighted: passed = valueSum / totalWeight >= threshold - 1e-12
        }
        let value: Double
        if scoredWeight > 0 {
            value = mode == .weighted ? scoredValue / scoredWeight : scoredPassed / scoredWeight
        } else {
            value = passed ? 1 : 0
        }
        return (passed, min(1, max(0, value)))
    }
}

/// What the composite scorers share: reading their members, describing member scores, summing spending.
enum CompositeMembers {
    /// The member configurations under `scorers:`, with their nodes.
    static func configs(_ options: ScorerOptions, what: String, minimum: Int) throws -> [(ScorerConfig, ConfigNode)] {
        guard let list = options.node("scorers") else {
            throw options.node.error("\(what) needs 'scorers': a list of scorers, each a mapping with 'type'")
        }
        let members = try ScorerConfig.list(from: list)
        guard members.count >= minimum else {
            throw list.error("\(what) needs at least \(minimum) scorers, got \(members.count)")
        }
        if let gated = members.first(where: { $0.gate != nil }) {
            throw AssayError.config("a scorer inside \(what) cannot have its own gate; put the gate on the \(what)", at: gated.location, field: "gate")
        }
        return zip(members, try list.elements()).map { ($0, $1) }
    }

    /// `passed`, `failed (0.40)` or `unmeasured (reason)`, for explanations.
    static func describe(_ score: Score) -> String {
        switch score.status {
        case .unmeasured(let reason): return "unmeasured (\(quoted(reason, limit: 80)))"
        case .scored:
            let verdict = score.passed == true ? "passed" : "failed"
            if let value = score.value, value != 0, value != 1 { return "\(verdict) (\(JSONValue.formatNumber((value * 100).rounded() / 100)))" }
            return verdict
        }
    }

    /// `result` carrying the summed cost, judge calls, tokens and saved calls of the member scores.
    static func sumSpending(of scores: [Score], into result: Score) -> Score {
        var result = result
        result.cost = scores.reduce(0) { $0 + $1.cost }
        result.calls = scores.reduce(0) { $0 + $1.calls }
        result.savedCalls += scores.reduce(0) { $0 + $1.savedCalls }
        result.usage = TokenUsage.sum(scores.compactMap(\.usage))
        return result
    }
}
