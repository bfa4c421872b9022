import AssayCore
import Foundation

/// `context_utilization`: chunk attribution. In one call a judge decides, for each chunk of the case's retrieved
/// context, whether the output states, paraphrases or relies on information from it. The value is the fraction of
/// chunks used; the label lists the used chunks (numbered from 1 in the case's order): `used 1,3 of 4`.
///
/// Options: `judge` (a name from the suite's `judges:`), `threshold` (default 0.5: the output draws on at least
/// half of what was retrieved).
///
/// Unmeasured when the case has no context, or when the judge fails or its reply does not parse (the raw reply is
/// in the reason). An empty output is scored (it uses nothing).
public struct ContextUtilizationScorer: Scorer {
    /// `context_utilization`.
    public static let typeName = "context_utilization"
    static let optionNames: Set<String> = []
    /// The threshold when none is given: the output uses at least half of the retrieved chunks.
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
        let messages = RAGPrompt.chunkUse(question: testCase.question, context: context, output: output.text)
        let judgements: [ChunkJudgement]
        switch await ChunkJudge.ask(judge, messages, key: "used", count: context.count, for: testCase, spend: &spend) {
        case .failure(let failure): return Score.unmeasured(name, reason: failure.message).charged(spend)
        case .success(let found): judgements = found
        }
        let used = judgements.indices.filter { judgements[$0].yes }.map { $0 + 1 }
        let unused = judgements.indices.filter { !judgements[$0].yes }.map { $0 + 1 }
        let value = Double(used.count) / Double(context.count)
        let passed = value >= threshold - 1e-12
        let label = "used \(used.isEmpty ? "none" : used.map(String.init).joined(separator: ",")) of \(context.count)"
        var explanation = "the output uses \(used.count) of \(context.count) context chunks"
        explanation += thresholdNote(value, threshold: threshold, passed: passed)
        if !used.isEmpty { explanation += "; used: " + ChunkJudge.describe(used, judgements) }
        if !unused.isEmpty { explanation += "; unused: " + ChunkJudge.describe(unused, judgements) }
        return Score.scored(name, passed: passed, value: value, label: label, explanation: explanation).charged(spend)
    }
}
