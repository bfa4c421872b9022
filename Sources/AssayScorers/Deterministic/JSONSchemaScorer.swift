import AssayCore
import Foundation

/// `json_schema`: the output is JSON that satisfies a JSON Schema (see `JSONSchema` for the keywords); every
/// violation is reported with its JSON pointer, e.g. `/items/2/price: expected number, got string "12"`.
///
/// Options: `schema` (an inline schema: a YAML mapping, or a JSON object written as a string), `schema_file` (a
/// JSON or YAML file, relative to the suite file's folder), and `extract_fenced` (default false: when true, the
/// first Markdown code fence in the output is validated instead of the whole output). Without `schema` and
/// `schema_file`, each case's expected answer is the schema (a JSON object); a case without one is unmeasured.
///
/// The schema is compiled once when the suite loads; a bad keyword is a configuration error at its line. Output
/// that is not JSON fails (with the parse error), since it cannot satisfy any schema.
public struct JSONSchemaScorer: ConfigurableScorer {
    /// `json_schema`.
    public static let typeName = "json_schema"
    /// `schema`, `schema_file` and `extract_fenced`.
    public static let optionNames: Set<String> = ["schema", "schema_file", "extract_fenced"]
    /// Violations collected per output; the explanation shows the first few.
    static let maxViolations = 20
    /// Violations shown in an explanation.
    static let shownViolations = 5

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings (for `schema_file`, the file's content rather than its path).
    public let fingerprint: String
    private let schema: JSONSchema?
    private let extractFenced: Bool

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option; for a bad schema keyword,
    ///   the line of that keyword in the suite or the schema file.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        extractFenced = try options.bool("extract_fenced", default: false)
        let schemaNode = options.node("schema")
        let fileNode = options.node("schema_file")
        if schemaNode != nil, let fileNode {
            throw fileNode.error("give either 'schema' or 'schema_file', not both")
        }
        if let schemaNode {
            schema = try Self.compileInline(schemaNode)
        } else if let fileNode {
            schema = try Self.compileFile(fileNode, suiteFile: config.options.file)
        } else {
            schema = nil
        }
        fingerprint = options.fingerprint([
            "schema": schema?.source ?? .null, "extract_fenced": .bool(extractFenced),
        ])
    }

    private static func compileInline(_ node: ConfigNode) throws -> JSONSchema {
        if node.isScalar {
            // A JSON object written as a string.
            let text = try node.string()
            let value: JSONValue
            do {
                value = try JSONParser.parse(text)
            } catch {
                throw node.error("'schema' must be a mapping (a JSON Schema), or a JSON object as a string: \(error.description)")
            }
            do {
                return try JSONSchema(value)
            } catch {
                throw node.error("invalid JSON Schema at \(error.pointer): \(error.message)")
            }
        }
        guard node.isMapping else { throw node.error("'schema' must be a mapping (a JSON Schema such as {type: object})") }
        return try compile(node)
    }

    private static func compileFile(_ node: ConfigNode, suiteFile: String) throws -> JSONSchema {
        let path = try node.string()
        guard !path.isEmpty else { throw node.error("'schema_file' must not be empty") }
        let shown: String
        if path.hasPrefix("/") {
            shown = path
        } else {
            let folder = (suiteFile as NSString).deletingLastPathComponent
            shown = folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
        }
        guard let data = FileManager.default.contents(atPath: shown) else {
            throw node.error("cannot read the schema file '\(path)' (looked for '\(shown)'; paths are relative to the suite file's folder)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw node.error("the schema file '\(shown)' is not UTF-8 text")
        }
        // JSON is (nearly always) YAML, and YAML parsing keeps line numbers for errors.
        let root = try ConfigNode.parse(text, file: shown)
        guard root.isMapping else {
            throw root.error("a schema file must hold one JSON Schema object")
        }
        return try compile(root)
    }

    /// Compiles a schema held in a config node, reporting a bad keyword at its own line.
    private static func compile(_ node: ConfigNode) throws -> JSONSchema {
        do {
            return try JSONSchema(node.json)
        } catch {
            throw locate(error.schemaPath, in: node).error("invalid JSON Schema: \(error.message)")
        }
    }

    /// The deepest config node along a schema path.
    private static func locate(_ path: [String], in root: ConfigNode) -> ConfigNode {
        var current = root
        for component in path {
            if current.isMapping, let child = current[component] {
                current = child
            } else if current.isSequence, let index = Int(component), let elements = try? current.elements(),
                      elements.indices.contains(index) {
                current = elements[index]
            } else {
                break
            }
        }
        return current
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case; its expected answer is the schema when none is configured.
    ///   - output: What the target produced.
    /// - Returns: Pass when the output is JSON satisfying the schema; fail with the violations (or the JSON parse
    ///   error) otherwise; unmeasured when there is no schema for the case.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        evaluate(testCase, output.text)
    }

    func evaluate(_ testCase: Case, _ text: String) -> Score {
        let active: JSONSchema
        if let schema {
            active = schema
        } else {
            guard let expected = testCase.expected else { return .noExpectedAnswer(name) }
            guard let value = try? JSONParser.parse(expected), value.objectValue != nil else {
                return .unmeasured(name, reason: "the case's expected answer is not a JSON Schema object")
            }
            do {
                active = try JSONSchema(value)
            } catch {
                return .unmeasured(name, reason: "the case's expected answer is not a valid JSON Schema: \(error.description)")
            }
        }
        let candidate = JSONCandidate(text, extractFenced: extractFenced)
        let value: JSONValue
        do {
            value = try JSONParser.parse(candidate.text)
        } catch {
            return .scored(name, passed: false, explanation: "not valid JSON\(candidate.origin): \(error.description)")
        }
        let violations = active.validate(value, maxViolations: Self.maxViolations)
        if violations.isEmpty {
            return .scored(name, passed: true, explanation: "valid against the schema\(candidate.origin)")
        }
        var explanation = violations.count == 1 ? "1 violation" : "\(violations.count) violations"
        if violations.count >= Self.maxViolations { explanation += " (stopped counting)" }
        explanation += ": " + violations.prefix(Self.shownViolations).map(\.description).joined(separator: "; ")
        if violations.count > Self.shownViolations { explanation += "; ..." }
        return .scored(name, passed: false, explanation: explanation)
    }
}
