import AssayCore
import Foundation

/// `context_relevance`: precision of retrieval. In one call a judge decides, for each chunk of the case's retrieved
/// context, whether it holds information that helps answer the question (the case's input). The value is the
/// relevant fraction; the explanation names the irrelevant chunks (numbered from 1 in the case's order).
///
/// Options: `judge` (a name from the suite's `judges:`), `threshold` (default 0.5: at least half the chunks help).
///
/// Unmeasured when the case has no context, or when the judge fails or its reply does not parse (the raw reply is
/// in the reason). The output is not read: the score is about the retrieval.
public struct ContextRelevanceScorer: Scorer {
    /// `context_relevance`.
    public static let typeName = "context_relevance"
    static let optionNames: Set<String> = []
    /// The threshold when none is given: at least half of the retrieved chunks are relevant.
    public static let defaultThreshold = 0.5

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

    /// One judge call for all the chunks.
    public var plannedCalls: Int { 1 }

    public func score(_ testCase: Case, _ output: Output) async -> Score {
        guard let context = testCase.retrievedContext else { return .noContext(name) }
        var spend = JudgeSpend()
        let messages = RAGPrompt.chunkRelevance(question: testCase.question, context: context)
        let judgements: [ChunkJudgement]
        switch await ChunkJudge.ask(judge, messages, key: "relevant", count: context.count, for: testCase, spend: &spend) {
        case .failure(let failure): return Score.unmeasured(name, reason: failure.message).charged(spend)
        case .success(let found): judgements = found
        }
        let relevant = judgements.count(where: \.yes)
        let value = Double(relevant) / Double(context.count)
        let passed = value >= threshold - 1e-12
        var explanation = "\(relevant) of \(context.count) context chunks relevant to the question"
        explanation += thresholdNote(value, threshold: threshold, passed: passed)
        let irrelevant = judgements.indices.filter { !judgements[$0].yes }.map { $0 + 1 }
        if !irrelevant.isEmpty { explanation += "; irrelevant: " + ChunkJudge.describe(irrelevant, judgements) }
        return Score.scored(name, passed: passed, value: value, label: "\(relevant)/\(context.count) relevant", explanation: explanation)
            .charged(spend)
    }
}
