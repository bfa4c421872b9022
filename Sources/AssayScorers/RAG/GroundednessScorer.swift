import AssayCore
import Foundation

/// `groundedness`: faithfulness of the output to the retrieved context. A judge breaks the output into atomic
/// factual claims (one call), then gives each claim a verdict (supported, unsupported or contradicted) against the
/// case's context chunks (one call). The value is the supported fraction; contradicted claims are counted in the
/// label (`5/7 supported, 1 contradicted`) and listed first in the explanation.
///
/// Options: `judge` (a name from the suite's `judges:`), `max_claims` (claims checked per output, 1–100, default
/// 20), `threshold` (default 0.8).
///
/// Unmeasured when the case has no context, when the output holds no factual claim, or when the judge fails or its
/// reply does not parse (the raw reply is in the reason).
public struct GroundednessScorer: Scorer {
    /// `groundedness`.
    public static let typeName = "groundedness"
    static let optionNames: Set<String> = ["max_claims"]
    /// The threshold when none is given: 80% of the output's claims supported by the context.
    public static let defaultThreshold = 0.8

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type, prompt version, judge, threshold and `max_claims`.
    public let fingerprint: String
    let claims: ClaimJudge
    let threshold: Double

    /// Builds the scorer.
    /// - Parameters:
    ///   - config: The scorer's configuration.
    ///   - context: The suite's judges.
    /// - Throws: `AssayError` (config) at the offending option: an unknown judge or option, a `max_claims` out of
    ///   range, a threshold outside 0...1.
    public init(config: ScorerConfig, context: ScorerContext) throws {
        let setup = try RAGOptions(config, context: context, allowed: Self.optionNames, defaultThreshold: Self.defaultThreshold)
        name = config.name
        threshold = setup.threshold
        claims = ClaimJudge(judge: setup.judge, maxClaims: try setup.maxClaims())
        fingerprint = setup.fingerprint(["max_claims": .number(Double(claims.maxClaims))])
    }

    /// Two judge calls: one to break the output into claims, one to judge them.
    public var plannedCalls: Int { 2 }

    public func score(_ testCase: Case, _ output: Output) async -> Score {
        guard let context = testCase.retrievedContext else { return .noContext(name) }
        guard !output.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .emptyText(name, "the output") }
        var spend = JudgeSpend()
        let outcome = await claims.check(
            output.text, question: testCase.question, against: RAGPrompt.chunks(context), sourceName: "the retrieved context",
            for: testCase, spend: &spend
        )
        return ClaimJudge.score(outcome, name: name, threshold: threshold, checkedText: "the output").charged(spend)
    }
}
