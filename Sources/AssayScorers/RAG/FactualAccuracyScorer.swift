import AssayCore
import Foundation

/// `factual_accuracy`: FActScore-style precision of the output's facts. A judge breaks the output into atomic
/// factual claims (one call), then gives each claim a verdict (supported, unsupported or contradicted) against the
/// case's reference answer, its retrieved context, or both (one call). The value is the supported fraction.
///
/// Options: `judge` (a name from the suite's `judges:`), `against` (`expected`, `context` or `both`; default: the
/// expected answer when the case has one, else the context), `max_claims` (claims checked per output, 1–100,
/// default 20), `threshold` (default 0.8).
///
/// Unmeasured when the case has nothing to check against, when the output holds no factual claim, or when the
/// judge fails or its reply does not parse (the raw reply is in the reason).
public struct FactualAccuracyScorer: Scorer {
    /// `factual_accuracy`.
    public static let typeName = "factual_accuracy"
    static let optionNames: Set<String> = ["against", "max_claims"]
    /// The threshold when none is given: 80% of the output's claims supported.
    public static let defaultThreshold = 0.8

    /// What the output's claims are checked against.
    enum Against: String, CaseIterable, Sendable {
        /// The case's expected answer.
        case expected
        /// The case's retrieved context.
        case context
        /// The expected answer and the context together (the case needs both).
        case both
    }

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type, prompt version, judge, threshold, `against` and `max_claims`.
    public let fingerprint: String
    let claims: ClaimJudge
    /// Nil: the expected answer when the case has one, else the context.
    let against: Against?
    let threshold: Double

    /// Builds the scorer.
    /// - Parameters:
    ///   - config: The scorer's configuration.
    ///   - context: The suite's judges.
    /// - Throws: `AssayError` (config) at the offending option: an unknown judge or option, a bad `against`, a
    ///   `max_claims` out of range, a threshold outside 0...1.
    public init(config: ScorerConfig, context: ScorerContext) throws {
        let setup = try RAGOptions(config, context: context, allowed: Self.optionNames, defaultThreshold: Self.defaultThreshold)
        name = config.name
        threshold = setup.threshold
        claims = ClaimJudge(judge: setup.judge, maxClaims: try setup.maxClaims())
        if let node = setup.options.node("against") {
            let word = try node.string()
            guard let value = Against(rawValue: word) else {
                let known = Against.allCases.map(\.rawValue)
                let hint = ConfigNode.closest(to: word, in: known).map { "; did you mean '\($0)'?" } ?? ""
                throw node.error("unknown value '\(word)' for against\(hint) (one of \(known.joined(separator: ", ")); leave it out to use the expected answer when the case has one, else the context)")
            }
            against = value
        } else {
            against = nil
        }
        fingerprint = setup.fingerprint([
            "against": .string(against?.rawValue ?? "auto"), "max_claims": .number(Double(claims.maxClaims)),
        ])
    }

    /// Two judge calls: one to break the output into claims, one to judge them.
    public var plannedCalls: Int { 2 }

    public func score(_ testCase: Case, _ output: Output) async -> Score {
        let reference = testCase.referenceAnswer
        let context = testCase.retrievedContext
        let sources: [RAGPrompt.Block]
        let sourceName: String
        switch against ?? (reference != nil ? .expected : .context) {
        case .expected:
            guard let reference else {
                return against == nil
                    ? .unmeasured(name, reason: "case has no expected answer or retrieved context to check the output's claims against")
                    : .noExpectedAnswer(name)
            }
            sources = [RAGPrompt.Block(label: "Reference answer", text: reference)]
            sourceName = "the reference answer"
        case .context:
            guard let context else {
                return against == nil
                    ? .unmeasured(name, reason: "case has no expected answer or retrieved context to check the output's claims against")
                    : .noContext(name)
            }
            sources = RAGPrompt.chunks(context)
            sourceName = "the retrieved context"
        case .both:
            guard let reference else { return .unmeasured(name, reason: "case has no expected answer (against: both needs it and the retrieved context)") }
            guard let context else { return .unmeasured(name, reason: "case has no retrieved context (against: both needs it and the expected answer)") }
            sources = [RAGPrompt.Block(label: "Reference answer", text: reference)] + RAGPrompt.chunks(context)
            sourceName = "the reference answer and the retrieved context"
        }
        guard !output.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .emptyText(name, "the output") }
        var spend = JudgeSpend()
        let outcome = await claims.check(
            output.text, question: testCase.question, against: sources, sourceName: sourceName, for: testCase, spend: &spend
        )
        return ClaimJudge.score(outcome, name: name, threshold: threshold, checkedText: "the output").charged(spend)
    }
}
