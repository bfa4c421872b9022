import AssayCore
import Foundation

/// `completeness`: recall of the reference answer's facts. A judge breaks the case's expected answer into atomic
/// factual claims (one call), then judges whether the output covers each one (one call: `covered`, `missing`, or
/// `contradicted` when the output says otherwise). The value is the covered fraction.
///
/// Options: `judge` (a name from the suite's `judges:`), `max_claims` (claims checked per expected answer, 1–100,
/// default 20), `threshold` (default 0.8).
///
/// Unmeasured when the case has no expected answer, when the expected answer holds no factual claim, or when the
/// judge fails or its reply does not parse (the raw reply is in the reason). An empty output is scored (it covers
/// nothing).
public struct CompletenessScorer: Scorer {
    /// `completeness`.
    public static let typeName = "completeness"
    static let optionNames: Set<String> = ["max_claims"]
    /// The threshold when none is given: 80% of the reference answer's claims covered.
    public static let defaultThreshold = 0.8
    static let wording = ClaimReport.Wording(supported: "covered", unsupported: "missing", contradicted: "contradicted")

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

    /// Two judge calls: one to break the expected answer into claims, one to judge them against the output.
    public var plannedCalls: Int { 2 }

    public func score(_ testCase: Case, _ output: Output) async -> Score {
        guard let reference = testCase.referenceAnswer else { return .noExpectedAnswer(name) }
        var spend = JudgeSpend()
        let outcome = await claims.check(
            reference, question: testCase.question, against: [RAGPrompt.Block(label: "Output", text: output.text)],
            sourceName: "the output", for: testCase, spend: &spend
        )
        return ClaimJudge.score(outcome, name: name, threshold: threshold, checkedText: "the expected answer", wording: Self.wording).charged(spend)
    }
}
