import AssayCore

/// `token_f1`: SQuAD-style token overlap F1 between the output and a reference answer (a weak signal: it rewards
/// shared words, not correctness).
///
/// Both texts are normalised as SQuAD's evaluation script does (lower-case, punctuation deleted, articles `a`, `an`,
/// `the` dropped, split on whitespace; see `SimilarityText.squadTokens`), then compared as multisets of tokens:
/// precision is the shared count over the output's tokens, recall the shared count over the reference's, and the
/// value is their harmonic mean. Two texts without tokens score 1; one without tokens scores 0 (as SQuAD v2.0).
///
/// Options: `value` (the reference; without it the case's expected answer) and `threshold` (default 0.5: pass when
/// F1 >= threshold). A case without a reference is unmeasured.
public struct TokenF1Scorer: ConfigurableScorer {
    /// `token_f1`.
    public static let typeName = "token_f1"
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
    /// - Returns: The F1 in 0...1, passing at the threshold; unmeasured when there is no reference.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        guard let text = reference.reference(for: testCase) else { return .noExpectedAnswer(name) }
        let (f1, precision, recall) = Self.f1(output.text, text)
        return reference.score(
            name, metric: "token F1", value: f1,
            details: "precision \(SimilarityText.format(precision)), recall \(SimilarityText.format(recall))", reference: text
        )
    }

    /// SQuAD token F1 of a prediction against a reference.
    /// - Returns: F1, precision and recall, each in 0...1.
    static func f1(_ prediction: String, _ reference: String) -> (f1: Double, precision: Double, recall: Double) {
        let predicted = SimilarityText.squadTokens(prediction)
        let expected = SimilarityText.squadTokens(reference)
        if predicted.isEmpty || expected.isEmpty {
            let same: Double = predicted.isEmpty && expected.isEmpty ? 1 : 0
            return (same, same, same)
        }
        var counts: [String: Int] = [:]
        counts.reserveCapacity(expected.count)
        for token in expected { counts[token, default: 0] += 1 }
        var shared = 0
        for token in predicted {
            if let count = counts[token], count > 0 {
                counts[token] = count - 1
                shared += 1
            }
        }
        guard shared > 0 else { return (0, 0, 0) }
        let precision = Double(shared) / Double(predicted.count)
        let recall = Double(shared) / Double(expected.count)
        return (2 * precision * recall / (precision + recall), precision, recall)
    }
}
