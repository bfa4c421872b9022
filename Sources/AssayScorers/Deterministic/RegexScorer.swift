import AssayCore

/// `regex`: the output matches (or, with `must_match: false`, does not match) a regular expression.
///
/// Options: `pattern` (required; ICU regular-expression syntax, as `NSRegularExpression`; compiled once when the
/// suite loads, so an invalid pattern is a configuration error at its line), `must_match` (default true) and
/// `flags` (letters: `i` ignore case, `m` `^`/`$` match at line breaks, `s` `.` matches line breaks, `x` ignore
/// whitespace and `#` comments in the pattern, `w` Unicode word boundaries). The pattern is searched anywhere in the
/// output; anchor it with `^...$` to match the whole output.
public struct RegexScorer: ConfigurableScorer {
    /// `regex`.
    public static let typeName = "regex"
    /// `pattern`, `must_match` and `flags`.
    public static let optionNames: Set<String> = ["pattern", "must_match", "flags"]

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings.
    public let fingerprint: String
    private let regex: CompiledRegex
    private let mustMatch: Bool

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option, including an invalid
    ///   pattern or flag.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        guard let patternNode = options.node("pattern") else {
            throw options.node.error("regex needs 'pattern' (a regular expression, e.g. '\\d+ days')")
        }
        regex = try Self.compile(patternNode, flags: try options.string("flags") ?? "", flagsNode: options.node("flags"))
        mustMatch = try options.bool("must_match", default: true)
        fingerprint = options.fingerprint([
            "pattern": .string(regex.pattern), "flags": .string(regex.flags), "must_match": .bool(mustMatch),
        ])
    }

    /// Compiles a pattern option, reporting errors at the pattern's or the flags' line.
    static func compile(_ patternNode: ConfigNode, flags: String, flagsNode: ConfigNode?) throws -> CompiledRegex {
        let pattern = try patternNode.string()
        guard !pattern.isEmpty else { throw patternNode.error("the pattern must not be empty") }
        do throws(CompiledRegex.Failure) {
            return try CompiledRegex(pattern: pattern, flags: flags)
        } catch .unknownFlag(let letter) {
            let known = CompiledRegex.flagLetters.keys.sorted().map { "\($0) (\(CompiledRegex.flagLetters[$0]?.1 ?? ""))" }
            throw (flagsNode ?? patternNode).error("unknown regular-expression flag '\(letter)'; known flags: \(known.joined(separator: ", "))")
        } catch .invalidPattern {
            throw patternNode.error("invalid regular expression /\(pattern)/ (ICU syntax: check brackets, parentheses and escapes)")
        }
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case (not used: the pattern is configured).
    ///   - output: What the target produced.
    /// - Returns: Pass when the output matches (or, with `must_match: false`, does not); the explanation gives the
    ///   match and its character offset.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        evaluate(output.text)
    }

    func evaluate(_ text: String) -> Score {
        if let match = regex.firstMatch(in: text) {
            let found = "matched \(regex.display) at \(match.offset): \(quoted(String(match.text), limit: 40))"
            return .scored(name, passed: mustMatch, explanation: mustMatch ? found : "\(found), which must not match")
        }
        return .scored(name, passed: !mustMatch, explanation: mustMatch ? "no match for \(regex.display)" : "no match for \(regex.display), as required")
    }
}
