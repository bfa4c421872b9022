import AssayCore

/// `is_json`: the output is well-formed JSON (RFC 8259, any top-level value).
///
/// Options: `extract_fenced` (default false): when true and the output holds a Markdown code fence
/// (```` ```json ... ``` ````), the first fenced block is checked instead of the whole output.
public struct IsJSONScorer: ConfigurableScorer {
    /// `is_json`.
    public static let typeName = "is_json"
    /// `extract_fenced`.
    public static let optionNames: Set<String> = ["extract_fenced"]

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings.
    public let fingerprint: String
    private let extractFenced: Bool

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        extractFenced = try options.bool("extract_fenced", default: false)
        fingerprint = options.fingerprint(["extract_fenced": .bool(extractFenced)])
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case (not used).
    ///   - output: What the target produced.
    /// - Returns: Pass when the output (or its first fenced block) parses as JSON; the explanation gives the
    ///   parse error's line and column otherwise.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        evaluate(output.text)
    }

    func evaluate(_ text: String) -> Score {
        let candidate = JSONCandidate(text, extractFenced: extractFenced)
        do {
            let value = try JSONParser.parse(candidate.text)
            return .scored(name, passed: true, explanation: "valid JSON (\(SchemaCompiler.typeName(value)))\(candidate.origin)")
        } catch {
            return .scored(name, passed: false, explanation: "not valid JSON\(candidate.origin): \(error.description)")
        }
    }
}

/// The text a JSON scorer parses: the whole output, or its first fenced block.
struct JSONCandidate {
    /// The text to parse.
    let text: String
    /// ` in the fenced block` when extracted, else empty (for explanations).
    let origin: String

    init(_ output: String, extractFenced: Bool) {
        if extractFenced, let block = FencedBlock.firstContent(in: output) {
            text = String(block)
            origin = " in the fenced block"
        } else {
            text = output
            origin = ""
        }
    }
}
