import Foundation

/// Whether a scorer could score an output.
public enum ScoreStatus: Sendable, Hashable, Codable {
    /// The scorer produced a value and a verdict.
    case scored
    /// The scorer could not score the output (the target failed, the case lacks what the scorer needs, a judge
    /// reply did not parse...). Never a zero, never a fail, never a pass.
    case unmeasured(reason: String)

    /// True for `.scored`.
    public var isScored: Bool { if case .scored = self { return true } else { return false } }
    /// The reason when unmeasured.
    public var reason: String? { if case .unmeasured(let reason) = self { return reason } else { return nil } }
}

/// One scorer's verdict on one trial.
public struct Score: Sendable, Hashable, Codable {
    /// The scorer's name within its rubric.
    public var scorer: String
    /// Scored or unmeasured (with a reason).
    public var status: ScoreStatus
    /// A value in 0...1 when scored.
    public var value: Double?
    /// An optional categorical label (e.g. `refused`, `supported`).
    public var label: String?
    /// Pass or fail against the scorer's threshold; nil exactly when unmeasured.
    public var passed: Bool?
    /// Why: a short human explanation of the verdict.
    public var explanation: String
    /// What scoring cost in US dollars (judge calls); 0 for deterministic scorers.
    public var cost: Double
    /// The values of each repeated judgement, normalised to 0...1, when a judge scored the output several times
    /// (`value` is their mean); nil otherwise. Feeds the judge part of the variance decomposition.
    public var repeatValues: [Double]?
    /// Provider calls made while scoring (judge calls; answers from the response cache are not counted).
    public var calls: Int = 0
    /// Tokens of those calls, when the provider reported them; nil when no call was made or none reported usage.
    public var usage: TokenUsage?
    /// Judge calls a cascade did not make because an earlier, cheaper scorer had already decided the verdict.
    public var savedCalls: Int = 0

    /// A scored verdict.
    /// - Parameters:
    ///   - scorer: The scorer's name.
    ///   - passed: The verdict.
    ///   - value: The value in 0...1; defaults to 1 for a pass and 0 for a fail.
    ///   - label: Optional label.
    ///   - explanation: Why.
    ///   - cost: Cost in USD.
    /// - Returns: The score.
    public static func scored(
        _ scorer: String, passed: Bool, value: Double? = nil, label: String? = nil, explanation: String, cost: Double = 0
    ) -> Score {
        Score(
            scorer: scorer, status: .scored, value: value ?? (passed ? 1 : 0), label: label, passed: passed,
            explanation: explanation, cost: cost
        )
    }

    /// An unmeasured score: no value and no verdict, with the reason.
    /// - Parameters:
    ///   - scorer: The scorer's name.
    ///   - reason: Why it could not be scored.
    ///   - cost: Any cost already spent trying.
    /// - Returns: The score.
    public static func unmeasured(_ scorer: String, reason: String, cost: Double = 0) -> Score {
        Score(scorer: scorer, status: .unmeasured(reason: reason), value: nil, label: nil, passed: nil, explanation: reason, cost: cost)
    }

    /// Memberwise initialiser.
    public init(
        scorer: String, status: ScoreStatus, value: Double?, label: String?, passed: Bool?, explanation: String, cost: Double
    ) {
        self.scorer = scorer
        self.status = status
        self.value = value
        self.label = label
        self.passed = passed
        self.explanation = explanation
        self.cost = cost
    }

    enum CodingKeys: String, CodingKey {
        case scorer, status, value, label, passed, explanation, cost, repeatValues, calls, usage, savedCalls
    }

    /// Decodes a score; the call counts, added in a later version, default to zero when absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scorer = try container.decode(String.self, forKey: .scorer)
        status = try container.decode(ScoreStatus.self, forKey: .status)
        value = try container.decodeIfPresent(Double.self, forKey: .value)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        passed = try container.decodeIfPresent(Bool.self, forKey: .passed)
        explanation = try container.decode(String.self, forKey: .explanation)
        cost = try container.decode(Double.self, forKey: .cost)
        repeatValues = try container.decodeIfPresent([Double].self, forKey: .repeatValues)
        calls = try container.decodeIfPresent(Int.self, forKey: .calls) ?? 0
        usage = try container.decodeIfPresent(TokenUsage.self, forKey: .usage)
        savedCalls = try container.decodeIfPresent(Int.self, forKey: .savedCalls) ?? 0
    }
}
