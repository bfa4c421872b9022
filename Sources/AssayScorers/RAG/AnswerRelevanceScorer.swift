import AssayCore
import Foundation

/// `answer_relevance`: how directly the output addresses the question (the case's input), whatever its
/// correctness. In one call a judge rates it from 1 (does not address the question) to 5 (answers exactly what was
/// asked); noncommittal answers rate 2 at most. With top log-probabilities on the judge the rating is the
/// probability-weighted mean over 1–5. The value is the rating normalised to 0...1 (`(rating - 1) / 4`).
///
/// Options: `judge` (a name from the suite's `judges:`), `threshold` (default 0.75, a rating of 4).
///
/// Unmeasured when the judge fails or its reply does not parse (the raw reply is in the reason).
public struct AnswerRelevanceScorer: Scorer {
    /// `answer_relevance`.
    public static let typeName = "answer_relevance"
    static let optionNames: Set<String> = []
    /// The threshold when none is given: a rating of 4 out of 5.
    public static let defaultThreshold = 0.75
    static let scale = 1...5

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type, prompt version, judge and threshold.
    public let fingerprint: String
    let judge: JudgeClient
    let threshold: Double

    /// Builds the scorer.
    /// - Parameters:
    ///   - config: The scorer's configuration.
    ///   - context: The suite's judges.
    /// - Throws: `AssayError` (config) at the offending option: an unknown judge or option, a threshold outside 0...1.
    public init(config: ScorerConfig, context: ScorerContext) throws {
        let setup = try RAGOptions(config, context: context, allowed: Self.optionNames, defaultThreshold: Self.defaultThreshold)
        name = config.name
        judge = setup.judge
        threshold = setup.threshold
        fingerprint = setup.fingerprint()
    }

    /// One judge call.
    public var plannedCalls: Int { 1 }

    public func score(_ testCase: Case, _ output: Output) async -> Score {
        var spend = JudgeSpend()
        let messages = RAGPrompt.answerRelevance(question: testCase.question, output: output.text)
        switch await judge.ask(messages, responseFormat: JudgePrompt.scoreSchema(Self.scale), for: testCase, spend: &spend) {
        case .failed(let reason):
            return Score.unmeasured(name, reason: reason).charged(spend)
        case .answered(let reply):
            guard let parsed = JudgeReplyParser.score(reply, scale: Self.scale) else {
                return Score.unmeasured(name, reason: "the judge's reply did not parse: \(quoted(reply.text, limit: 200))").charged(spend)
            }
            let span = Double(Self.scale.upperBound - Self.scale.lowerBound)
            let value = min(1, max(0, (parsed.score - Double(Self.scale.lowerBound)) / span))
            let passed = value >= threshold - 1e-12
            var explanation = String(format: "relevance %.2f on 1–5", parsed.score)
            explanation += thresholdNote(value, threshold: threshold, passed: passed)
            if !parsed.explanation.isEmpty { explanation += ": " + parsed.explanation }
            return Score.scored(name, passed: passed, value: value, label: String(format: "%.2f", parsed.score), explanation: explanation)
                .charged(spend)
        }
    }
}
