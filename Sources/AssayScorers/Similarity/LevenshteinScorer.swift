import AssayCore

/// `levenshtein`: normalised edit similarity between the output and a reference, by characters (a weak signal:
/// it measures spelling closeness, not meaning).
///
/// The value is `1 - d / max(len(output), len(reference))`, where `d` is the Levenshtein distance (insertions,
/// deletions and substitutions, each cost 1) and lengths count characters as a reader does (extended grapheme
/// clusters, as `length` does: an emoji or an accented letter is one). Two empty texts score 1.
///
/// Options: `value` (the reference; without it the case's expected answer), `threshold` (default 0.8: pass when
/// the similarity >= threshold) and the text normalisation options `ignore_case`, `trim` (default true),
/// `collapse_whitespace`, `strip_punctuation`, `nfkc`, applied to both sides first. A case without a reference is
/// unmeasured.
public struct LevenshteinScorer: ConfigurableScorer {
    /// `levenshtein`.
    public static let typeName = "levenshtein"
    /// `value` and the normalisation options (`threshold` is a common option).
    public static let optionNames: Set<String> = normalizationOptionNames.union(["value"])
    /// The threshold when none is configured.
    public static let defaultThreshold = 0.8

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings.
    public let fingerprint: String
    private let reference: SimilarityReference
    private let normalization: TextNormalization
    private let normalizedConfigured: String?

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        reference = try SimilarityReference(options, defaultThreshold: Self.defaultThreshold)
        normalization = try options.normalization()
        normalizedConfigured = reference.configured.map(normalization.apply)
        var settings = reference.identity
        settings["normalization"] = .object(normalization.identity)
        fingerprint = options.fingerprint(settings)
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case; its expected answer is the reference when no `value` is configured.
    ///   - output: What the target produced.
    /// - Returns: The similarity in 0...1, passing at the threshold; unmeasured when there is no reference.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        guard let text = reference.reference(for: testCase) else { return .noExpectedAnswer(name) }
        let target = normalizedConfigured ?? normalization.apply(text)
        let (similarity, distance) = Self.similarity(normalization.apply(output.text), target)
        return reference.score(name, metric: "edit similarity", value: similarity, details: "distance \(distance)", reference: text)
    }

    /// Normalised Levenshtein similarity of two texts, by grapheme clusters.
    /// - Returns: The similarity in 0...1 and the edit distance.
    static func similarity(_ a: String, _ b: String) -> (similarity: Double, distance: Int) {
        if a == b { return (1, 0) }
        let symbolsA: [Int32], symbolsB: [Int32], alphabetSize: Int
        if let bytesA = asciiSymbols(a), let bytesB = asciiSymbols(b) {
            (symbolsA, symbolsB, alphabetSize) = (bytesA, bytesB, 128)
        } else {
            // Characters are numbered in order of appearance (equal characters, equal numbers).
            var numbers: [Character: Int32] = [:]
            func number(_ character: Character) -> Int32 {
                if let known = numbers[character] { return known }
                let next = Int32(numbers.count)
                numbers[character] = next
                return next
            }
            symbolsA = a.map(number)
            symbolsB = b.map(number)
            alphabetSize = numbers.count
        }
        let length = max(symbolsA.count, symbolsB.count)
        guard length > 0 else { return (1, 0) }
        let distance = SimilarityText.editDistance(symbolsA, symbolsB, alphabetSize: alphabetSize)
        return (1 - Double(distance) / Double(length), distance)
    }

    /// The bytes of text in which every byte is one character: ASCII without carriage returns (`\r\n` is a single
    /// grapheme cluster); nil otherwise.
    private static func asciiSymbols(_ text: String) -> [Int32]? {
        var symbols: [Int32] = []
        symbols.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte >= 0x80 || byte == 0x0D { return nil }
            symbols.append(Int32(byte))
        }
        return symbols
    }
}
