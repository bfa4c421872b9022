import AssayCore

/// `ends_with`: the output ends with a string.
///
/// Options: `value` (the suffix; without it the case's expected answer) and the text normalisation options
/// `ignore_case`, `trim` (default true, so trailing whitespace or a trailing newline in the output does not matter),
/// `collapse_whitespace`, `strip_punctuation`, `nfkc`.
public struct EndsWithScorer: ConfigurableScorer {
    /// `ends_with`.
    public static let typeName = "ends_with"
    /// `value` and the normalisation options.
    public static let optionNames: Set<String> = normalizationOptionNames.union(["value"])

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings.
    public let fingerprint: String
    private let source: NeedleSource

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        let value = try options.nonEmptyString("value")
        source = NeedleSource(values: value.map { [$0] }, normalization: try options.normalization(), expectsList: false)
        fingerprint = options.fingerprint(source.identity)
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case; its expected answer is used when no `value` is configured.
    ///   - output: What the target produced.
    /// - Returns: Pass when the output ends with the string; unmeasured when there is nothing to compare with.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        evaluate(testCase, output.text)
    }

    func evaluate(_ testCase: Case, _ text: String) -> Score {
        guard let needle = source.needles(for: testCase)?.first else { return .noExpectedAnswer(name) }
        let normalized = source.normalization.apply(text)
        if TextSearch.hasSuffix(needle.bytes, normalized) {
            return .scored(name, passed: true, explanation: "ends with \(quoted(needle.display))")
        }
        return .scored(name, passed: false, explanation: "does not end with \(quoted(needle.display)); ends with \(quoted(String(normalized.suffix(30))))")
    }
}
