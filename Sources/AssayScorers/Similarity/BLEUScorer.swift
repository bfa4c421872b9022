import AssayCore
import Foundation

/// `bleu`: sentence-level BLEU-4 of the output against one reference (a weak signal: n-gram overlap, built for
/// corpus-level machine translation, is noisy on single sentences).
///
/// Tokens are those of `rouge_l` (lower-cased runs of letters and digits; punctuation is dropped). The value is
/// `BP · exp(Σ log pₙ / N)` for n = 1...N, with pₙ the clipped n-gram precision, N = min(4, output tokens) and BP
/// the brevity penalty (`1` when the output is longer than the reference, else `exp(1 - r/c)`). Smoothing is
/// Chen & Cherry (2014) method 1, "add-epsilon": an n-gram order with no match counts as 0.1 matches (ε = 0.1)
/// over its n-gram count, and an output with no unigram match scores 0. For outputs of 4 tokens or more this is
/// NLTK's `sentence_bleu(..., smoothing_function=SmoothingFunction().method1)` on the same tokens; for shorter
/// outputs, orders the output has no n-grams of are left out (sacreBLEU's "effective order"), so an identical
/// one-word answer scores 1 where NLTK gives 0.178. Two texts without tokens score 1; one without tokens scores 0.
///
/// Options: `value` (the reference; without it the case's expected answer) and `threshold` (default 0.3: pass when
/// BLEU >= threshold). A case without a reference is unmeasured.
public struct BLEUScorer: ConfigurableScorer {
    /// `bleu`.
    public static let typeName = "bleu"
    /// `value` (`threshold` is a common option).
    public static let optionNames: Set<String> = ["value"]
    /// The threshold when none is configured.
    public static let defaultThreshold = 0.3
    /// The highest n-gram order.
    static let maxOrder = 4
    /// The count given to an n-gram order without matches (Chen & Cherry method 1).
    static let epsilon = 0.1

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
    /// - Returns: BLEU in 0...1, passing at the threshold; unmeasured when there is no reference.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        guard let text = reference.reference(for: testCase) else { return .noExpectedAnswer(name) }
        let result = Self.bleu(output.text, text)
        let details: String
        if result.precisions.isEmpty {
            details = ""
        } else if result.precisions == [0] {
            details = "no unigram match"
        } else {
            let precisions = result.precisions.map(SimilarityText.format).joined(separator: "/")
            details = "precisions \(precisions), brevity penalty \(SimilarityText.format(result.brevityPenalty))"
        }
        return reference.score(name, metric: "BLEU", value: result.bleu, details: details, reference: text)
    }

    /// An n-gram of up to four token ids, hashable without allocating.
    private struct NGram: Hashable {
        var a: Int32, b: Int32, c: Int32, d: Int32

        /// The n-gram of `order` tokens starting at `start`.
        init(_ tokens: [Int32], _ start: Int, _ order: Int) {
            a = tokens[start]
            b = order > 1 ? tokens[start + 1] : -1
            c = order > 2 ? tokens[start + 2] : -1
            d = order > 3 ? tokens[start + 3] : -1
        }
    }

    /// Sentence BLEU-4 of a prediction against one reference.
    /// - Returns: BLEU, the (smoothed) n-gram precisions (empty when a text has no tokens, `[0]` when no unigram
    ///   matches) and the brevity penalty.
    static func bleu(_ prediction: String, _ reference: String) -> (bleu: Double, precisions: [Double], brevityPenalty: Double) {
        let (hypothesis, expected, vocabulary) = SimilarityText.interned(
            SimilarityText.wordTokens(prediction), SimilarityText.wordTokens(reference))
        if hypothesis.isEmpty || expected.isEmpty {
            let same: Double = hypothesis.isEmpty && expected.isEmpty ? 1 : 0
            return (same, [], hypothesis.isEmpty ? 0 : 1)
        }
        let c = Double(hypothesis.count), r = Double(expected.count)
        let brevityPenalty = c > r ? 1 : exp(1 - r / c)
        var precisions: [Double] = []
        var logSum = 0.0
        // Effective order: an output of k < 4 tokens has no n-grams above k, and those orders are left out.
        let effectiveOrder = min(maxOrder, hypothesis.count)
        for order in 1...effectiveOrder {
            let matches = vocabulary < 0xFFFF
                ? sortedMatches(hypothesis, expected, order: order)
                : hashedMatches(hypothesis, expected, order: order)
            let total = hypothesis.count - order + 1
            if order == 1, matches == 0 { return (0, [0], brevityPenalty) }
            let precision = matches == 0 ? epsilon / Double(total) : Double(matches) / Double(total)
            precisions.append(precision)
            logSum += log(precision) / Double(effectiveOrder)
        }
        return (brevityPenalty * exp(logSum), precisions, brevityPenalty)
    }

    /// Clipped n-gram matches (each reference n-gram matches at most as often as it occurs) by sorting: every
    /// n-gram is packed into a 64-bit key, 16 bits per token, and the two sorted key lists are merged.
    /// Needs fewer than 65535 distinct tokens.
    private static func sortedMatches(_ hypothesis: [Int32], _ reference: [Int32], order: Int) -> Int {
        func keys(_ tokens: [Int32]) -> [UInt64] {
            guard tokens.count >= order else { return [] }
            var keys = [UInt64](repeating: 0, count: tokens.count - order + 1)
            for start in keys.indices {
                var key: UInt64 = 0
                for offset in 0..<order { key = key << 16 | UInt64(tokens[start + offset] + 1) }
                keys[start] = key
            }
            keys.sort()
            return keys
        }
        let hypothesisKeys = keys(hypothesis), referenceKeys = keys(reference)
        var matches = 0, i = 0, j = 0
        while i < hypothesisKeys.count, j < referenceKeys.count {
            if hypothesisKeys[i] == referenceKeys[j] {
                matches += 1
                i += 1
                j += 1
            } else if hypothesisKeys[i] < referenceKeys[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return matches
    }

    /// Clipped n-gram matches through a dictionary of reference n-gram counts (any vocabulary size).
    private static func hashedMatches(_ hypothesis: [Int32], _ reference: [Int32], order: Int) -> Int {
        guard hypothesis.count >= order else { return 0 }
        var available: [NGram: Int] = [:]
        if reference.count >= order {
            for start in 0...(reference.count - order) {
                available[NGram(reference, start, order), default: 0] += 1
            }
        }
        var matches = 0
        for start in 0...(hypothesis.count - order) {
            let gram = NGram(hypothesis, start, order)
            if let count = available[gram], count > 0 {
                available[gram] = count - 1
                matches += 1
            }
        }
        return matches
    }
}
