import AssayCore

/// `must_not_contain`: none of a list of forbidden strings or patterns appears in the output (a negative check:
/// leaked secrets, banned phrases, internal notes).
///
/// Options: `values` (forbidden strings), `patterns` (forbidden regular expressions, ICU syntax, compiled once),
/// `flags` (regular-expression flag letters for `patterns`: see `regex`), and the text normalisation options
/// `ignore_case`, `trim`, `collapse_whitespace`, `strip_punctuation`, `nfkc` for `values` (`ignore_case` also makes
/// `patterns` case-insensitive). At least one of `values` and `patterns` is required: the case's expected answer
/// is never used, since it is what the output should say, not what it must not.
public struct MustNotContainScorer: ConfigurableScorer {
    /// `must_not_contain`.
    public static let typeName = "must_not_contain"
    /// `values`, `patterns`, `flags` and the normalisation options.
    public static let optionNames: Set<String> = normalizationOptionNames.union(["values", "patterns", "flags"])

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings.
    public let fingerprint: String
    private let source: NeedleSource
    private let patterns: [CompiledRegex]

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        let normalization = try options.normalization()
        let values = try options.stringList("values")
        var flags = try options.string("flags") ?? ""
        if normalization.ignoreCase, !flags.contains("i") { flags = "i" + flags }
        var compiled: [CompiledRegex] = []
        if let patternsNode = options.node("patterns") {
            let elements = patternsNode.isSequence ? try patternsNode.elements() : [patternsNode]
            if elements.isEmpty { throw patternsNode.error("'patterns' must list at least one regular expression") }
            for element in elements {
                compiled.append(try RegexScorer.compile(element, flags: flags, flagsNode: options.node("flags")))
            }
        }
        guard values != nil || !compiled.isEmpty else {
            throw options.node.error("must_not_contain needs 'values' (forbidden strings) or 'patterns' (forbidden regular expressions)")
        }
        source = NeedleSource(values: values ?? [], normalization: normalization, expectsList: false)
        patterns = compiled
        var settings = source.identity
        settings["patterns"] = .array(compiled.map { .string($0.pattern) })
        settings["flags"] = .string(compiled.first?.flags ?? "")
        fingerprint = options.fingerprint(settings)
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case (not used: the forbidden list is configured).
    ///   - output: What the target produced.
    /// - Returns: Pass when nothing forbidden appears; the explanation names what did.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        evaluate(output.text)
    }

    func evaluate(_ text: String) -> Score {
        let needles = source.configured ?? []
        var found: [String] = []
        if !needles.isEmpty {
            let haystack = source.normalization.apply(text)
            for needle in needles where TextSearch.contains(needle.bytes, in: haystack) {
                found.append(quoted(needle.display))
            }
        }
        for pattern in patterns {
            if let match = pattern.firstMatch(in: text) {
                found.append("\(pattern.display) (\(quoted(String(match.text), limit: 40)) at \(match.offset))")
            }
        }
        if found.isEmpty {
            return .scored(name, passed: true, explanation: "none of \(needles.count + patterns.count) forbidden strings or patterns found")
        }
        let shown = found.prefix(5).joined(separator: ", ") + (found.count > 5 ? " and \(found.count - 5) more" : "")
        return .scored(name, passed: false, explanation: "contains forbidden \(shown)")
    }
}
