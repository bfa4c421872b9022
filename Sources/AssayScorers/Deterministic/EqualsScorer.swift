import AssayCore

/// `equals`: the output equals the expected text after normalisation, or equals it as a number.
///
/// Options: `value` (the expected text; without it the case's expected answer), the text normalisation options
/// `ignore_case` (default false), `trim` (default true), `collapse_whitespace`, `strip_punctuation`, `nfkc` (default
/// false), `numeric` (default true: when both sides, trimmed, are plain numbers such as `42`, `-3.5` or `1e3`, they
/// are compared as numbers) and `tolerance` (default 0: the largest absolute difference still equal as numbers).
public struct EqualsScorer: ConfigurableScorer {
    /// `equals`.
    public static let typeName = "equals"
    /// `value`, `numeric`, `tolerance` and the normalisation options.
    public static let optionNames: Set<String> = normalizationOptionNames.union(["value", "numeric", "tolerance"])

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings.
    public let fingerprint: String
    private let expected: Expected?
    private let normalization: TextNormalization
    private let numeric: Bool
    private let tolerance: Double

    private struct Expected: Sendable {
        let raw: String
        let normalized: String
        let number: Double?
    }

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        let normalization = try options.normalization()
        let numeric = try options.bool("numeric", default: true)
        if let toleranceNode = options.node("tolerance"), !numeric {
            throw toleranceNode.error("'tolerance' needs 'numeric: true'")
        }
        let tolerance = try options.nonNegativeDouble("tolerance") ?? 0
        let value = try options.string("value")
        self.normalization = normalization
        self.numeric = numeric
        self.tolerance = tolerance
        expected = value.map { raw in
            Expected(raw: raw, normalized: normalization.apply(raw), number: numeric ? ExpectedValues.number(raw) : nil)
        }
        fingerprint = options.fingerprint([
            "value": value.map(JSONValue.string) ?? .null, "normalization": .object(normalization.identity),
            "numeric": .bool(numeric), "tolerance": .number(tolerance),
        ])
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case; its expected answer is used when no `value` is configured.
    ///   - output: What the target produced.
    /// - Returns: Pass when equal; unmeasured when there is nothing to compare with.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        evaluate(testCase, output.text)
    }

    func evaluate(_ testCase: Case, _ text: String) -> Score {
        let target: Expected
        if let expected {
            target = expected
        } else if let raw = testCase.expected {
            target = Expected(raw: raw, normalized: normalization.apply(raw), number: numeric ? ExpectedValues.number(raw) : nil)
        } else {
            return .noExpectedAnswer(name)
        }
        if let expectedNumber = target.number, let actual = ExpectedValues.number(text) {
            let difference = abs(actual - expectedNumber)
            let tolerated = tolerance > 0 ? " (tolerance \(JSONValue.formatNumber(tolerance)))" : ""
            if difference <= tolerance {
                return .scored(name, passed: true, explanation: "equals \(JSONValue.formatNumber(expectedNumber)) as a number\(tolerated)")
            }
            return .scored(
                name, passed: false,
                explanation: "expected \(JSONValue.formatNumber(expectedNumber)), got \(JSONValue.formatNumber(actual))\(tolerated)"
            )
        }
        if normalization.apply(text) == target.normalized {
            return .scored(name, passed: true, explanation: "equals \(quoted(target.raw))")
        }
        return .scored(name, passed: false, explanation: "expected \(quoted(target.raw)), got \(quoted(text))")
    }
}
