import AssayCore

/// `contains_all`: the output contains every one of several strings.
///
/// Options: `values` (a list; without it the case's expected answer, read as a JSON list of strings when it is
/// one), `threshold` (the fraction of strings that must be found to pass, default 1: all), and the text
/// normalisation options `ignore_case`, `trim`, `collapse_whitespace`, `strip_punctuation`, `nfkc`.
///
/// The value is the fraction found, so a rubric can also track partial coverage.
public struct ContainsAllScorer: ConfigurableScorer {
    /// `contains_all`.
    public static let typeName = "contains_all"
    /// `values` and the normalisation options.
    public static let optionNames: Set<String> = normalizationOptionNames.union(["values"])

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings.
    public let fingerprint: String
    private let source: NeedleSource
    private let threshold: Double

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        source = NeedleSource(values: try options.stringList("values"), normalization: try options.normalization(), expectsList: true)
        threshold = options.threshold ?? 1
        var settings = source.identity
        settings["threshold"] = .number(threshold)
        fingerprint = options.fingerprint(settings)
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case; its expected answer is used when no `values` are configured.
    ///   - output: What the target produced.
    /// - Returns: The fraction of strings found, passing at the threshold; unmeasured when there is nothing to
    ///   look for.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        evaluate(testCase, output.text)
    }

    func evaluate(_ testCase: Case, _ text: String) -> Score {
        guard let needles = source.needles(for: testCase) else { return .noExpectedAnswer(name) }
        guard !needles.isEmpty else { return .unmeasured(name, reason: "the case's expected list is empty") }
        let haystack = source.normalization.apply(text)
        var missing: [String] = []
        for needle in needles where !TextSearch.contains(needle.bytes, in: haystack) {
            missing.append(needle.display)
        }
        let found = needles.count - missing.count
        let value = Double(found) / Double(needles.count)
        let passed = value >= threshold
        if missing.isEmpty {
            return .scored(name, passed: passed, value: value, explanation: "contains all \(needles.count): \(quotedList(needles.map(\.display)))")
        }
        return .scored(
            name, passed: passed, value: value,
            explanation: "missing \(quotedList(missing)) (\(found) of \(needles.count) found)"
        )
    }
}
