import AssayCore

/// A JSON Schema, compiled once and then used to validate many values.
///
/// Supported keywords (draft 2020-12 names, with the older spellings noted):
/// - any value: `type` (a name or a list of names; `integer` is a number with no fraction), `enum`, `const`,
///   `nullable: true` (OpenAPI), boolean schemas `true`/`false`;
/// - numbers: `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (numbers, or draft-4 Booleans),
///   `multipleOf`;
/// - strings: `minLength`, `maxLength` (counted in Unicode scalars, i.e. code points, as the specification says),
///   `pattern` (ICU regular expressions, searched unanchored as the specification says);
/// - arrays: `items` (a schema; a list of schemas is the draft-4 tuple form, with `additionalItems`),
///   `prefixItems`, `minItems`, `maxItems`, `uniqueItems`, `contains`, `minContains`, `maxContains`;
/// - objects: `properties`, `required`, `additionalProperties` (Boolean or schema), `patternProperties`,
///   `propertyNames`, `minProperties`, `maxProperties`, `dependentRequired`, `dependentSchemas` (and draft-7
///   `dependencies`);
/// - combinators: `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`;
/// - references: `$ref` to a JSON pointer inside the same document (`#`, `#/$defs/Name`, `#/definitions/Name`).
///
/// Annotations (`title`, `description`, `default`, `examples`, `format`, `$schema`, `$id`, `$comment`, ...) are
/// accepted and ignored; `format` is not asserted. Keywords this validator cannot honour (`$dynamicRef`,
/// `$recursiveRef`, `unevaluatedProperties`, `unevaluatedItems`, remote `$ref`s) are compile errors rather than
/// silently ignored, and so is an unknown keyword that looks like a misspelling of a known one (`requried`).
public struct JSONSchema: Sendable {
    /// One way a value breaks the schema.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// The JSON pointer (RFC 6901) of the offending value, `/` for the root: `/items/2/price`.
        public var pointer: String
        /// What is wrong: `expected number, got string "12"`.
        public var message: String

        /// Creates a violation.
        /// - Parameters:
        ///   - pointer: The JSON pointer of the offending value.
        ///   - message: What is wrong.
        public init(pointer: String, message: String) {
            self.pointer = pointer
            self.message = message
        }

        /// `pointer: message`.
        public var description: String { "\(pointer): \(message)" }
    }

    /// Why a schema could not be compiled, and where in the schema.
    public struct CompileError: Error, Sendable, CustomStringConvertible {
        /// The path of the offending keyword inside the schema, as JSON pointer components.
        public var schemaPath: [String]
        /// What is wrong.
        public var message: String

        /// Creates a compile error.
        /// - Parameters:
        ///   - schemaPath: The keyword's path in the schema.
        ///   - message: What is wrong.
        public init(schemaPath: [String], message: String) {
            self.schemaPath = schemaPath
            self.message = message
        }

        /// The keyword's JSON pointer in the schema, `/` for the root.
        public var pointer: String { JSONSchema.pointer(schemaPath) }

        /// `schema pointer: message`.
        public var description: String { "\(pointer): \(message)" }
    }

    /// The schema as given.
    public let source: JSONValue
    let nodes: [SchemaNode]

    /// Compiles a schema.
    /// - Parameter schema: The schema (an object or a Boolean).
    /// - Throws: `JSONSchema.CompileError` naming the offending keyword's path in the schema.
    public init(_ schema: JSONValue) throws(CompileError) {
        var compiler = SchemaCompiler(root: schema)
        _ = try compiler.compile(schema, path: [])
        self.source = schema
        self.nodes = compiler.nodes
    }

    /// Validates a value.
    /// - Parameters:
    ///   - value: The value.
    ///   - maxViolations: Stop collecting after this many violations (at least 1).
    /// - Returns: The violations found, in document order of the schema walk; empty when the value is valid.
    public func validate(_ value: JSONValue, maxViolations: Int = 20) -> [Violation] {
        var validator = SchemaValidator(nodes: nodes, limit: max(1, maxViolations))
        validator.validate(value, 0)
        return validator.violations
    }

    /// True when the value satisfies the schema (stops at the first violation).
    /// - Parameter value: The value.
    /// - Returns: Whether it is valid.
    public func isValid(_ value: JSONValue) -> Bool {
        validate(value, maxViolations: 1).isEmpty
    }

    /// Formats pointer components as an RFC 6901 JSON pointer (`~` as `~0`, `/` as `~1`); the root is `/`.
    /// - Parameter components: Object keys and array indices.
    /// - Returns: The pointer.
    public static func pointer(_ components: [String]) -> String {
        guard !components.isEmpty else { return "/" }
        var out = ""
        for component in components {
            out += "/"
            if component.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) {
                out += component.replacingTildeAndSlash()
            } else {
                out += component
            }
        }
        return out
    }
}

extension String {
    /// RFC 6901 escaping of one pointer component.
    fileprivate func replacingTildeAndSlash() -> String {
        var out = ""
        for character in self {
            switch character {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(character)
            }
        }
        return out
    }
}

/// The JSON type names a schema's `type` can use, as a bit set.
struct JSONTypeSet: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let null = JSONTypeSet(rawValue: 1)
    static let boolean = JSONTypeSet(rawValue: 2)
    static let integer = JSONTypeSet(rawValue: 4)
    static let number = JSONTypeSet(rawValue: 8)
    static let string = JSONTypeSet(rawValue: 16)
    static let array = JSONTypeSet(rawValue: 32)
    static let object = JSONTypeSet(rawValue: 64)

    /// Name -> member, in the order messages list them.
    static let names: [(String, JSONTypeSet)] = [
        ("null", .null), ("boolean", .boolean), ("integer", .integer), ("number", .number), ("string", .string),
        ("array", .array), ("object", .object),
    ]

    /// True when `value` is of one of the types.
    @inline(__always)
    func matches(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return contains(.null)
        case .bool: return contains(.boolean)
        case .number(let number):
            if contains(.number) { return true }
            return contains(.integer) && number.isFinite && number == number.rounded(.towardZero)
        case .string: return contains(.string)
        case .array: return contains(.array)
        case .object: return contains(.object)
        }
    }

    /// `string or null`.
    var displayName: String {
        JSONTypeSet.names.filter { contains($0.1) }.map(\.0).joined(separator: " or ")
    }
}

/// One compiled (sub)schema. Built by `SchemaCompiler` and never mutated once the compiled `JSONSchema` exists,
/// which is what makes sharing it across threads safe.
final class SchemaNode: @unchecked Sendable {
    struct Property {
        let name: String
        let node: Int
    }
    struct PatternProperty {
        let regex: CompiledRegex
        let node: Int
    }
    struct Dependency<Value> {
        let property: String
        let value: Value
    }

    var isFalse = false
    var ref: Int?
    var types: JSONTypeSet?
    var enumValues: [JSONValue]?
    var constValue: JSONValue?
    var hasConst = false

    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: Double?

    var minLength: Int?
    var maxLength: Int?
    var pattern: CompiledRegex?

    var items: Int?
    var prefixItems: [Int] = []
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var contains: Int?
    var minContains: Int?
    var maxContains: Int?

    var properties: [Property] = []
    var propertyNameSet: Set<String> = []
    var patternProperties: [PatternProperty] = []
    var additionalProperties: Int?
    var required: [String] = []
    var minProperties: Int?
    var maxProperties: Int?
    var propertyNames: Int?
    var dependentRequired: [Dependency<[String]>] = []
    var dependentSchemas: [Dependency<Int>] = []

    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []
    var not: Int?
    var ifSchema: Int?
    var thenSchema: Int?
    var elseSchema: Int?

    /// True when the node checks object members (so validation can skip the object walk otherwise).
    var checksObjects: Bool {
        !properties.isEmpty || !patternProperties.isEmpty || additionalProperties != nil || !required.isEmpty
            || minProperties != nil || maxProperties != nil || propertyNames != nil || !dependentRequired.isEmpty
            || !dependentSchemas.isEmpty
    }
}
