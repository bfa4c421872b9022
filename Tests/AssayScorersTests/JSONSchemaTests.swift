import AssayCore
import Testing
@testable import AssayScorers

@Suite("JSON Schema validator")
struct JSONSchemaTests {
    static func violations(_ schema: String, _ instance: String) throws -> [String] {
        let compiled = try JSONSchema(try JSONParser.parse(schema))
        return compiled.validate(try JSONParser.parse(instance)).map(\.description)
    }

    /// (schema, instance, the violations expected, as `pointer: message`)
    static let keywordTable: [(String, String, [String])] = [
        // type
        (#"{"type": "string"}"#, #""a""#, []),
        (#"{"type": "string"}"#, "1", ["/: expected string, got integer 1"]),
        (#"{"type": "integer"}"#, "3", []),
        (#"{"type": "integer"}"#, "3.0", []),
        (#"{"type": "integer"}"#, "3.5", ["/: expected integer, got number 3.5"]),
        (#"{"type": "number"}"#, "3", []),
        (#"{"type": "null"}"#, "null", []),
        (#"{"type": ["string", "null"]}"#, "null", []),
        (#"{"type": ["string", "null"]}"#, "true", ["/: expected null or string, got boolean true"]),
        (#"{"type": "array"}"#, "{}", ["/: expected array, got object"]),
        (#"{"type": "object"}"#, "[1]", ["/: expected object, got array of 1 items"]),
        (#"{"type": "string", "nullable": true}"#, "null", []),
        // enum, const
        (#"{"enum": ["open", "paid", 3]}"#, #""paid""#, []),
        (#"{"enum": ["open", "paid", 3]}"#, "3", []),
        (#"{"enum": ["open", "paid"]}"#, #""lost""#, [#"/: expected one of "open", "paid", got "lost""#]),
        (#"{"const": {"a": [1]}}"#, #"{"a": [1]}"#, []),
        (#"{"const": 5}"#, "6", ["/: expected 5, got 6"]),
        (#"{"const": null}"#, "0", ["/: expected null, got 0"]),
        // numbers
        (#"{"minimum": 0}"#, "0", []),
        (#"{"minimum": 0}"#, "-1", ["/: expected >= 0, got -1"]),
        (#"{"maximum": 10}"#, "10.5", ["/: expected <= 10, got 10.5"]),
        (#"{"exclusiveMinimum": 0}"#, "0", ["/: expected > 0, got 0"]),
        (#"{"exclusiveMaximum": 1}"#, "1", ["/: expected < 1, got 1"]),
        (#"{"minimum": 0, "exclusiveMinimum": true}"#, "0", ["/: expected > 0, got 0"]),
        (#"{"maximum": 5, "exclusiveMaximum": false}"#, "5", []),
        (#"{"multipleOf": 0.1}"#, "0.3", []),
        (#"{"multipleOf": 2}"#, "7", ["/: expected a multiple of 2, got 7"]),
        (#"{"minimum": 0}"#, #""not a number""#, []),
        // strings
        (#"{"minLength": 2}"#, #""é""#, ["/: expected at least 2 characters, got 1"]),
        (#"{"maxLength": 3}"#, #""abcd""#, ["/: expected at most 3 characters, got 4"]),
        (#"{"maxLength": 1}"#, #""😀""#, []),
        (#"{"pattern": "^[A-Z]{2}-\\d{4}$"}"#, #""AB-1234""#, []),
        (#"{"pattern": "^[A-Z]{2}-\\d{4}$"}"#, #""ab-1234""#, [#"/: "ab-1234" does not match pattern /^[A-Z]{2}-\d{4}$/"#]),
        (#"{"pattern": "\\d"}"#, #""a1b""#, []),
        // arrays
        (#"{"items": {"type": "number"}}"#, #"[1, 2, "3"]"#, [#"/2: expected number, got string "3""#]),
        (#"{"minItems": 2}"#, "[1]", ["/: expected at least 2 items, got 1"]),
        (#"{"maxItems": 1}"#, "[1, 2]", ["/: expected at most 1 items, got 2"]),
        (#"{"uniqueItems": true}"#, "[1, 2, 1]", ["/: items 0 and 2 are equal; expected unique items"]),
        (#"{"uniqueItems": true}"#, #"[{"a": 1}, {"a": 2}]"#, []),
        (#"{"prefixItems": [{"type": "string"}, {"type": "number"}], "items": false}"#, #"["a", 1, 2]"#, ["/2: not allowed here (the schema is false)"]),
        (#"{"items": [{"type": "string"}], "additionalItems": {"type": "number"}}"#, #"["a", "b"]"#, [#"/1: expected number, got string "b""#]),
        (#"{"contains": {"const": 3}}"#, "[1, 2]", ["/: no item matches the schema in 'contains'"]),
        (#"{"contains": {"const": 3}, "maxContains": 1}"#, "[3, 3]", ["/: expected at most 1 items matching 'contains', got 2"]),
        // objects
        (#"{"required": ["a", "b"]}"#, #"{"a": 1}"#, [#"/: missing required property "b""#]),
        (#"{"properties": {"a": {"type": "string"}}}"#, #"{"a": 1, "b": 2}"#, ["/a: expected string, got integer 1"]),
        (#"{"properties": {"a": {}}, "additionalProperties": false}"#, #"{"a": 1, "b": 2}"#, [#"/b: property "b" is not allowed (additionalProperties is false)"#]),
        (#"{"additionalProperties": {"type": "number"}}"#, #"{"x": 1, "y": "2"}"#, [#"/y: expected number, got string "2""#]),
        (#"{"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}"#, #"{"x-a": "ok", "y": 1}"#, [#"/y: property "y" is not allowed (additionalProperties is false)"#]),
        (#"{"minProperties": 1}"#, "{}", ["/: expected at least 1 properties, got 0"]),
        (#"{"maxProperties": 1}"#, #"{"a": 1, "b": 2}"#, ["/: expected at most 1 properties, got 2"]),
        (#"{"propertyNames": {"pattern": "^[a-z]+$"}}"#, #"{"ok": 1, "Bad": 2}"#, [#"/: property name "Bad" is invalid: "Bad" does not match pattern /^[a-z]+$/"#]),
        (#"{"dependentRequired": {"card": ["cvv"]}}"#, #"{"card": "4111"}"#, [#"/: property "card" requires property "cvv""#]),
        (#"{"dependencies": {"card": {"required": ["zip"]}}}"#, #"{"card": "4111"}"#, [#"/: missing required property "zip""#]),
        // combinators
        (#"{"allOf": [{"minimum": 0}, {"maximum": 1}]}"#, "2", ["/: expected <= 1, got 2"]),
        (#"{"anyOf": [{"type": "string"}, {"type": "null"}]}"#, "null", []),
        (#"{"anyOf": [{"type": "string"}, {"type": "null"}]}"#, "1", ["/: matches none of the 2 schemas in anyOf"]),
        (#"{"oneOf": [{"type": "integer"}, {"type": "number"}]}"#, "1.5", []),
        (#"{"oneOf": [{"type": "integer"}, {"type": "number"}]}"#, "1", ["/: matches 2 schemas in oneOf (#0, #1), expected exactly one"]),
        (#"{"not": {"type": "string"}}"#, #""a""#, ["/: must not match the schema in 'not'"]),
        (#"{"if": {"properties": {"kind": {"const": "card"}}}, "then": {"required": ["number"]}, "else": {"required": ["iban"]}}"#, #"{"kind": "card"}"#, [#"/: missing required property "number""#]),
        (#"{"if": {"properties": {"kind": {"const": "card"}}}, "then": {"required": ["number"]}, "else": {"required": ["iban"]}}"#, #"{"kind": "bank"}"#, [#"/: missing required property "iban""#]),
        // references and Boolean schemas
        (##"{"$defs": {"price": {"type": "number", "minimum": 0}}, "properties": {"p": {"$ref": "#/$defs/price"}}}"##, #"{"p": -1}"#, ["/p: expected >= 0, got -1"]),
        (##"{"definitions": {"a~b/c": {"type": "string"}}, "items": {"$ref": "#/definitions/a~0b~1c"}}"##, "[1]", ["/0: expected string, got integer 1"]),
        (##"{"properties": {"child": {"$ref": "#"}}, "required": ["name"]}"##, #"{"name": "a", "child": {"name": "b", "child": {}}}"#, [#"/child/child: missing required property "name""#]),
        ("true", #"{"anything": 1}"#, []),
        ("false", "1", ["/: not allowed here (the schema is false)"]),
        // annotations are ignored
        (#"{"title": "T", "description": "D", "format": "email", "default": 1, "examples": [1], "$schema": "x"}"#, #""not an email""#, []),
        // pointers escape ~ and /
        (#"{"properties": {"a/b": {"properties": {"c~d": {"type": "string"}}}}}"#, #"{"a/b": {"c~d": 1}}"#, ["/a~1b/c~0d: expected string, got integer 1"]),
    ]

    @Test("keyword coverage with pointers", arguments: keywordTable)
    func keywords(schema: String, instance: String, expected: [String]) throws {
        #expect(try Self.violations(schema, instance) == expected)
    }

    @Test("violations deep in a document carry full pointers")
    func deepPointers() throws {
        let schema = #"""
        {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {
          "type": "object", "required": ["sku", "price"],
          "properties": {"sku": {"type": "string"}, "price": {"type": "number"}}}}}}
        """#
        let instance = #"{"items": [{"sku": "a", "price": 1}, {"sku": "b", "price": 2}, {"sku": 3, "price": "12.50"}, {}]}"#
        #expect(try Self.violations(schema, instance) == [
            "/items/2/price: expected number, got string \"12.50\"",
            "/items/2/sku: expected string, got integer 3",
            "/items/3: missing required property \"sku\"",
            "/items/3: missing required property \"price\"",
        ])
    }

    @Test("collecting stops at the limit")
    func limit() throws {
        let schema = try JSONSchema(try JSONParser.parse(#"{"items": {"type": "string"}}"#))
        let many = "[" + (0..<100).map(String.init).joined(separator: ",") + "]"
        #expect(schema.validate(try JSONParser.parse(many), maxViolations: 7).count == 7)
        #expect(!schema.isValid(try JSONParser.parse(many)))
    }

    @Test("a $ref cycle that never descends is a violation, not a crash")
    func refCycle() throws {
        let schema = try JSONSchema(try JSONParser.parse(##"{"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##))
        let found = schema.validate(.number(1))
        #expect(found.first?.message.contains("deeper than") == true)
    }

    /// (schema, the schema pointer of the error, the start of its message)
    static let compileErrors: [(String, String, String)] = [
        (#"{"type": "nummber"}"#, "/type", "unknown type 'nummber'; did you mean 'number'?"),
        (#"{"type": "int"}"#, "/type", "unknown type 'int'; did you mean 'integer'?"),
        (#"{"type": ["string", 5]}"#, "/type/1", "a type must be a string"),
        (#"{"properties": {"a": {"requried": ["b"]}}}"#, "/properties/a/requried", "unknown keyword 'requried'; did you mean 'required'?"),
        (#"{"minimum": "0"}"#, "/minimum", "'minimum' must be a number, got string"),
        (#"{"minLength": -1}"#, "/minLength", "'minLength' must be a whole number >= 0"),
        (#"{"pattern": "(unclosed"}"#, "/pattern", "invalid regular expression"),
        (#"{"required": "a"}"#, "/required", "'required' must be a list"),
        (#"{"enum": "a"}"#, "/enum", "'enum' must be a list"),
        (#"{"anyOf": []}"#, "/anyOf", "'anyOf' must list at least one schema"),
        (#"{"items": 5}"#, "/items", "a schema must be an object or a Boolean"),
        (##"{"$ref": "#/$defs/missing"}"##, "/$ref", "'$ref' points at nothing"),
        (#"{"$ref": "https://example.com/schema.json"}"#, "/$ref", "only local references"),
        (#"{"unevaluatedProperties": false}"#, "/unevaluatedProperties", "'unevaluatedProperties' is not supported"),
        (#"{"multipleOf": 0}"#, "/multipleOf", "'multipleOf' must be greater than 0"),
        (#"{"exclusiveMinimum": true}"#, "/exclusiveMinimum", "'exclusiveMinimum: true' needs 'minimum'"),
        ("5", "/", "a schema must be an object or a Boolean"),
    ]

    @Test("bad schemas fail to compile, naming the keyword", arguments: compileErrors)
    func compileError(schema: String, pointer: String, message: String) throws {
        let value = try JSONParser.parse(schema)
        #expect {
            try JSONSchema(value)
        } throws: { error in
            guard let error = error as? JSONSchema.CompileError else { return false }
            return error.pointer == pointer && error.message.hasPrefix(message)
        }
    }

    @Test("custom keywords that are not near-misses are ignored")
    func extensionsIgnored() throws {
        #expect(try Self.violations(#"{"x-internal": true, "units": "USD", "type": "number"}"#, "1").isEmpty)
    }
}
