import AssayCore

/// `contains_any`: the output contains at least one of several strings.
///
/// Options: `values` (a list; without it the case's expected answer, read as a JSON list of strings when it is
/// one) and the text normalisation options `ignore_case`, `trim`, `collapse_whitespace`, `strip_punctuation`, `nfkc`.
public struct ContainsAnyScorer: ConfigurableScorer {
    /// `contains_any`.
    public static let typeName = "contains_any"
    /// `values` and the normalisation options.
    public static let optionNames: Set<String> = normalizationOptionNames.union(["values"])

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
        source = NeedleSource(values: try options.stringList("values"), normalization: try options.normalization(), expectsList: true)
        fingerprint = options.fingerprint(source.identity)
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case; its expected answer is used when no `values` are configured.
    ///   - output: What the target produced.
    /// - Returns: Pass when any string is found; unmeasured when there is nothing to look for.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        evaluate(testCase, output.text)
    }

    func evaluate(_ testCase: Case, _ text: String) -> Score {
        guard let needles = source.needles(for: testCase) else { return .noExpectedAnswer(name) }
        guard !needles.isEmpty else { return .unmeasured(name, reason: "the case's expected list is empty") }
        let haystack = source.normalization.apply(text)
        for needle in needles where TextSearch.contains(needle.bytes, in: haystack) {
            return .scored(name, passed: true, explanation: "contains \(quoted(needle.display))")
        }
        return .scored(name, passed: false, explanation: "none of \(quotedList(needles.map(\.display))) found")
    }
}
