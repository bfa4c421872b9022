import AssayCore

/// `rouge_l`: ROUGE-L F-measure between the output and a reference: the longest common subsequence of their word
/// tokens (a weak signal: it rewards shared words in the same order, not correctness).
///
/// Tokens are lower-cased runs of letters and digits (`SimilarityText.wordTokens`: on ASCII text, the default
/// tokenizer of Google's `rouge-score`, without stemming). With `lcs` the LCS length, precision is
/// `lcs / len(output)`, recall `lcs / len(reference)`, and the value is their harmonic mean (β = 1), as
/// `rouge_score.rouge_scorer` computes `rougeL`. Two texts without tokens score 1; one without tokens scores 0.
///
/// Options: `value` (the reference; without it the case's expected answer) and `threshold` (default 0.5: pass when
/// the F-measure >= threshold). A case without a reference is unmeasured.
public struct RougeLScorer: ConfigurableScorer {
    /// `rouge_l`.
    public static let typeName = "rouge_l"
    /// `value` (`threshold` is a common option).
    public static let optionNames: Set<String> = ["value"]
    /// The threshold when none is configured.
    public static let defaultThreshold = 0.5

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings.
    public let fingerprint: String
    private let reference: SimilarityReference

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        reference = try SimilarityReference(options, defaultThreshold: Self.defaultThreshold)
        fingerprint = options.fingerprint(reference.identity)
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case; its expected answer is the reference when no `value` is configured.
    ///   - output: What the target produced.
    /// - Returns: The F-measure in 0...1, passing at the threshold; unmeasured when there is no reference.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        guard let text = reference.reference(for: testCase) else { return .noExpectedAnswer(name) }
        let result = Self.rougeL(output.text, text)
        return reference.score(
            name, metric: "ROUGE-L", value: result.f,
            details: "precision \(SimilarityText.format(result.precision)), recall \(SimilarityText.format(result.recall))",
            reference: text
        )
    }

    /// ROUGE-L of a prediction against a reference.
    /// - Returns: F-measure, precision and recall, each in 0...1.
    static func rougeL(_ prediction: String, _ reference: String) -> (f: Double, precision: Double, recall: Double) {
        let (predicted, expected, _) = SimilarityText.interned(
            SimilarityText.wordTokens(prediction), SimilarityText.wordTokens(reference))
        if predicted.isEmpty || expected.isEmpty {
            let same: Double = predicted.isEmpty && expected.isEmpty ? 1 : 0
            return (same, same, same)
        }
        let lcs = Double(SimilarityText.longestCommonSubsequence(predicted, expected))
        let precision = lcs / Double(predicted.count)
        let recall = lcs / Double(expected.count)
        guard precision + recall > 0 else { return (0, 0, 0) }
        return (2 * precision * recall / (precision + recall), precision, recall)
    }
}
