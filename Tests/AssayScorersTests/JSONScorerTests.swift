import AssayCore
import Foundation
import Testing
@testable import AssayScorers

@Suite("is_json, json_schema")
struct JSONScorerTests {
    static let orderSchema = """
    name: order-shape
    type: json_schema
    schema:
      type: object
      required: [order_id, total]
      additionalProperties: false
      properties:
        order_id: {type: string, pattern: '^[A-Z]{2}-\\d{4}$'}
        total: {type: number, minimum: 0}
        items:
          type: array
          items:
            type: object
            required: [price]
            properties:
              price: {type: number}
    """

    /// (config, output, case's expected answer, verdict)
    static let table: [(String, String, String?, Bool?)] = [
        ("{type: is_json}", #"{"a": 1}"#, nil, true),
        ("{type: is_json}", "[1, 2]", nil, true),
        ("{type: is_json}", "  \"text\"\n", nil, true),
        ("{type: is_json}", "{'a': 1}", nil, false),
        ("{type: is_json}", "Sure! {\"a\": 1}", nil, false),
        ("{type: is_json}", "```json\n{\"a\": 1}\n```", nil, false),
        ("{type: is_json, extract_fenced: true}", "Here you go:\n```json\n{\"a\": 1}\n```", nil, true),
        ("{type: is_json, extract_fenced: true}", "{\"a\": 1}", nil, true),
        ("{type: is_json, extract_fenced: true}", "```json\n{\"a\": \n```", nil, false),
        ("{type: is_json}", "", "{}", false),
        (orderSchema, #"{"order_id": "AB-1234", "total": 12.5}"#, nil, true),
        (orderSchema, #"{"order_id": "ab-1234", "total": 12.5}"#, nil, false),
        (orderSchema, #"{"order_id": "AB-1234"}"#, nil, false),
        (orderSchema, #"{"order_id": "AB-1234", "total": 1, "extra": true}"#, nil, false),
        (orderSchema, "not json", nil, false),
        (orderSchema, "```json\n{\"order_id\": \"AB-1234\", \"total\": 1}\n```", nil, false),
        (orderSchema + "\nextract_fenced: true", "```json\n{\"order_id\": \"AB-1234\", \"total\": 1}\n```", nil, true),
        ("{type: json_schema}", #"{"a": 1}"#, #"{"type": "object", "required": ["a"]}"#, true),
        ("{type: json_schema}", #"{"b": 1}"#, #"{"type": "object", "required": ["a"]}"#, false),
        ("{type: json_schema}", #"{"a": 1}"#, nil, nil),
        ("{type: json_schema}", #"{"a": 1}"#, "Paris", nil),
        ("{type: json_schema}", #"{"a": 1}"#, #"{"type": "nummber"}"#, nil),
        (#"{type: json_schema, schema: '{"type": "array", "maxItems": 1}'}"#, "[1, 2]", nil, false),
    ]

    @Test("truth table", arguments: table)
    func truthTable(config: String, output: String, expected: String?, wanted: Bool?) async throws {
        let scorer = try makeScorer(config)
        let result = await score(scorer, output, expected: expected)
        checkInvariants(result)
        #expect(verdict(result) == wanted, "\(config) on \(output.debugDescription): \(result.explanation)")
    }

    @Test("json_schema explains every violation with its pointer")
    func explanations() async throws {
        let scorer = try makeScorer(Self.orderSchema)
        let result = await score(scorer, #"{"order_id": "AB-1234", "total": -1, "items": [{"price": 1}, {"price": "2"}], "x": 1}"#)
        #expect(result.passed == false)
        #expect(result.value == 0)
        #expect(result.explanation == """
            3 violations: /items/1/price: expected number, got string "2"; /total: expected >= 0, got -1; \
            /x: property "x" is not allowed (additionalProperties is false)
            """)
        let valid = await score(scorer, #"{"order_id": "AB-1234", "total": 0}"#)
        #expect(valid.explanation == "valid against the schema")
        #expect(valid.value == 1)
        let notJSON = await score(scorer, "{\"order_id\": ")
        #expect(notJSON.explanation == "not valid JSON: unexpected end of text, expected a value at line 1, column 14")
        let isJSON = try makeScorer("{type: is_json, extract_fenced: true}")
        #expect(await score(isJSON, "```json\n[1]\n```").explanation == "valid JSON (array) in the fenced block")
    }

    @Test("the case's expected answer is the schema when none is configured")
    func schemaFromCase() async throws {
        let scorer = try makeScorer("{type: json_schema}")
        let missing = await score(scorer, "{}")
        #expect(missing.status == .unmeasured(reason: "case has no expected answer"))
        let notSchema = await score(scorer, "{}", expected: "Paris")
        #expect(notSchema.status == .unmeasured(reason: "the case's expected answer is not a JSON Schema object"))
    }

    @Test("a bad inline schema keyword is a config error at its own line")
    func inlineSchemaErrors() throws {
        let yaml = Self.orderSchema.replacingOccurrences(of: "price: {type: number}", with: "price: {type: nummber}")
        let error = try #require(configError(yaml))
        #expect(error.location?.line == 17)
        #expect(error.field == "rubric[0].schema.properties.items.items.properties.price.type")
        #expect(error.message.contains("did you mean 'number'"))
        let both = try #require(configError("{type: json_schema, schema: {type: object}, schema_file: s.json}"))
        #expect(both.field == "rubric[0].schema_file")
        let list = try #require(configError("{type: json_schema, schema: [1]}"))
        #expect(list.field == "rubric[0].schema")
    }

    @Test("schema_file resolves against the suite's folder and reports errors in the file")
    func schemaFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-scorers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("schemas"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let suite = folder.appendingPathComponent("suite.yaml").path
        try #"{"type": "object", "required": ["answer"]}"#.write(
            to: folder.appendingPathComponent("schemas/answer.json"), atomically: true, encoding: .utf8)
        try "{\n  \"type\": \"object\",\n  \"properties\": {\"a\": {\"minLength\": \"2\"}}\n}\n".write(
            to: folder.appendingPathComponent("schemas/bad.json"), atomically: true, encoding: .utf8)

        let scorer = try makeScorer("{type: json_schema, schema_file: schemas/answer.json}", file: suite)
        #expect(await score(scorer, #"{"answer": 1}"#).passed == true)
        #expect(await score(scorer, "{}").explanation == #"1 violation: /: missing required property "answer""#)

        let bad = try #require(configError("{type: json_schema, schema_file: schemas/bad.json}", file: suite))
        #expect(bad.location?.file == folder.appendingPathComponent("schemas/bad.json").path)
        #expect(bad.location?.line == 3)
        #expect(bad.field == "properties.a.minLength")

        let missing = try #require(configError("{type: json_schema, schema_file: schemas/nope.json}", file: suite))
        #expect(missing.field == "rubric[0].schema_file")
        #expect(missing.location?.file == suite)
        #expect(missing.message.contains("cannot read the schema file"))
    }

    @Test("schema_file content, not its path, goes into the fingerprint")
    func schemaFileFingerprint() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-scorers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let suite = folder.appendingPathComponent("suite.yaml").path
        let file = folder.appendingPathComponent("s.json")
        try #"{"type": "object"}"#.write(to: file, atomically: true, encoding: .utf8)
        let first = try makeScorer("{type: json_schema, schema_file: s.json}", file: suite).fingerprint
        let inline = try makeScorer("{type: json_schema, schema: {type: object}}", file: suite).fingerprint
        #expect(first == inline)
        try #"{"type": "array"}"#.write(to: file, atomically: true, encoding: .utf8)
        #expect(try makeScorer("{type: json_schema, schema_file: s.json}", file: suite).fingerprint != first)
    }
}
