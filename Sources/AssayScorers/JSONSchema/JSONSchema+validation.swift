import AssayCore

/// Walks a value against compiled schema nodes, collecting violations with their JSON pointers.
///
/// The pointer is kept as a stack of components and only formatted when a violation is reported, so a valid value
/// costs no string building.
struct SchemaValidator {
    /// Nested schema evaluations deeper than this (a `$ref` cycle that never descends into the value) stop with a
    /// violation instead of overflowing the stack.
    static let maxDepth = 512

    private enum Component {
        case key(String)
        case index(Int)
    }

    let nodes: [SchemaNode]
    let limit: Int
    private(set) var violations: [JSONSchema.Violation] = []
    private var path: [Component] = []
    private var depth = 0

    init(nodes: [SchemaNode], limit: Int, depth: Int = 0) {
        self.nodes = nodes
        self.limit = limit
        self.depth = depth
    }

    private var isFull: Bool { violations.count >= limit }

    private var pointer: String {
        JSONSchema.pointer(path.map { component in
            switch component {
            case .key(let key): return key
            case .index(let index): return String(index)
            }
        })
    }

    private mutating func report(_ message: @autoclosure () -> String) {
        guard !isFull else { return }
        violations.append(JSONSchema.Violation(pointer: pointer, message: message()))
    }

    /// True when `value` satisfies node `index` (evaluated without touching this validator's violations).
    private func matches(_ value: JSONValue, _ index: Int) -> Bool {
        var probe = SchemaValidator(nodes: nodes, limit: 1, depth: depth)
        probe.validate(value, index)
        return probe.violations.isEmpty
    }

    /// Validates `value` against node `index`, appending violations.
    mutating func validate(_ value: JSONValue, _ index: Int) {
        guard !isFull else { return }
        depth += 1
        defer { depth -= 1 }
        guard depth <= SchemaValidator.maxDepth else {
            report("schema nesting deeper than \(SchemaValidator.maxDepth) levels (a $ref cycle?)")
            return
        }
        let node = nodes[index]
        if node.isFalse {
            report("not allowed here (the schema is false)")
            return
        }
        if let ref = node.ref { validate(value, ref) }
        if let types = node.types, !types.matches(value) {
            report("expected \(types.displayName), got \(SchemaValidator.describe(value))")
            return
        }
        if let values = node.enumValues, !values.contains(value) {
            report("expected one of \(values.prefix(8).map(SchemaValidator.literal).joined(separator: ", "))\(values.count > 8 ? ", ..." : ""), got \(SchemaValidator.literal(value))")
        }
        if node.hasConst, let constant = node.constValue, constant != value {
            report("expected \(SchemaValidator.literal(constant)), got \(SchemaValidator.literal(value))")
        }
        switch value {
        case .number(let number): checkNumber(number, node)
        case .string(let text): checkString(text, node)
        case .array(let elements): checkArray(elements, node)
        case .object(let members): if node.checksObjects { checkObject(members, node) }
        case .null, .bool: break
        }
        for branch in node.allOf { validate(value, branch) }
        if !node.anyOf.isEmpty, !node.anyOf.contains(where: { matches(value, $0) }) {
            report("matches none of the \(node.anyOf.count) schemas in anyOf")
        }
        if !node.oneOf.isEmpty {
            let matching = node.oneOf.indices.filter { matches(value, node.oneOf[$0]) }
            if matching.isEmpty {
                report("matches none of the \(node.oneOf.count) schemas in oneOf")
            } else if matching.count > 1 {
                report("matches \(matching.count) schemas in oneOf (#\(matching.map(String.init).joined(separator: ", #"))), expected exactly one")
            }
        }
        if let not = node.not, matches(value, not) {
            report("must not match the schema in 'not'")
        }
        if let condition = node.ifSchema {
            if matches(value, condition) {
                if let then = node.thenSchema { validate(value, then) }
            } else if let otherwise = node.elseSchema {
                validate(value, otherwise)
            }
        }
    }

    private mutating func checkNumber(_ number: Double, _ node: SchemaNode) {
        if let minimum = node.minimum, number < minimum {
            report("expected >= \(JSONValue.formatNumber(minimum)), got \(JSONValue.formatNumber(number))")
        }
        if let maximum = node.maximum, number > maximum {
            report("expected <= \(JSONValue.formatNumber(maximum)), got \(JSONValue.formatNumber(number))")
        }
        if let minimum = node.exclusiveMinimum, number <= minimum {
            report("expected > \(JSONValue.formatNumber(minimum)), got \(JSONValue.formatNumber(number))")
        }
        if let maximum = node.exclusiveMaximum, number >= maximum {
            report("expected < \(JSONValue.formatNumber(maximum)), got \(JSONValue.formatNumber(number))")
        }
        if let multiple = node.multipleOf {
            let quotient = number / multiple
            if !quotient.isFinite || abs(quotient - quotient.rounded()) > 1e-9 * max(1, abs(quotient)) {
                report("expected a multiple of \(JSONValue.formatNumber(multiple)), got \(JSONValue.formatNumber(number))")
            }
        }
    }

    private mutating func checkString(_ text: String, _ node: SchemaNode) {
        if node.minLength != nil || node.maxLength != nil {
            let length = text.unicodeScalars.count
            if let minimum = node.minLength, length < minimum {
                report("expected at least \(minimum) characters, got \(length)")
            }
            if let maximum = node.maxLength, length > maximum {
                report("expected at most \(maximum) characters, got \(length)")
            }
        }
        if let pattern = node.pattern, !pattern.matches(text) {
            report("\(quoted(text, limit: 40)) does not match pattern \(pattern.display)")
        }
    }

    private mutating func checkArray(_ elements: [JSONValue], _ node: SchemaNode) {
        if let minimum = node.minItems, elements.count < minimum {
            report("expected at least \(minimum) items, got \(elements.count)")
        }
        if let maximum = node.maxItems, elements.count > maximum {
            report("expected at most \(maximum) items, got \(elements.count)")
        }
        for (position, schema) in node.prefixItems.enumerated() where position < elements.count {
            path.append(.index(position))
            validate(elements[position], schema)
            path.removeLast()
        }
        if let items = node.items, elements.count > node.prefixItems.count {
            for position in node.prefixItems.count..<elements.count {
                if isFull { break }
                path.append(.index(position))
                validate(elements[position], items)
                path.removeLast()
            }
        }
        if node.uniqueItems, elements.count > 1 {
            var seen: [JSONValue: Int] = [:]
            for (position, element) in elements.enumerated() {
                if let first = seen[element] {
                    report("items \(first) and \(position) are equal; expected unique items")
                    break
                }
                seen[element] = position
            }
        }
        if let contains = node.contains {
            let count = elements.reduce(0) { $0 + (matches($1, contains) ? 1 : 0) }
            let minimum = node.minContains ?? 1
            if count < minimum {
                report(minimum == 1 ? "no item matches the schema in 'contains'" : "expected at least \(minimum) items matching 'contains', got \(count)")
            }
            if let maximum = node.maxContains, count > maximum {
                report("expected at most \(maximum) items matching 'contains', got \(count)")
            }
        }
    }

    private mutating func checkObject(_ members: [String: JSONValue], _ node: SchemaNode) {
        for name in node.required where members[name] == nil {
            report("missing required property \(quoted(name))")
        }
        if let minimum = node.minProperties, members.count < minimum {
            report("expected at least \(minimum) properties, got \(members.count)")
        }
        if let maximum = node.maxProperties, members.count > maximum {
            report("expected at most \(maximum) properties, got \(members.count)")
        }
        for property in node.properties {
            guard let member = members[property.name] else { continue }
            path.append(.key(property.name))
            validate(member, property.node)
            path.removeLast()
        }
        if !node.patternProperties.isEmpty || node.additionalProperties != nil || node.propertyNames != nil {
            // Walk members in a stable order so explanations do not depend on hashing.
            for name in members.keys.sorted() {
                if isFull { break }
                guard let member = members[name] else { continue }
                if let names = node.propertyNames {
                    var probe = SchemaValidator(nodes: nodes, limit: 1, depth: depth)
                    probe.validate(.string(name), names)
                    if let first = probe.violations.first {
                        report("property name \(quoted(name)) is invalid: \(first.message)")
                    }
                }
                var matchedPattern = false
                for pattern in node.patternProperties where pattern.regex.matches(name) {
                    matchedPattern = true
                    path.append(.key(name))
                    validate(member, pattern.node)
                    path.removeLast()
                }
                if let additional = node.additionalProperties, !matchedPattern, !node.propertyNameSet.contains(name) {
                    path.append(.key(name))
                    if nodes[additional].isFalse {
                        report("property \(quoted(name)) is not allowed (additionalProperties is false)")
                    } else {
                        validate(member, additional)
                    }
                    path.removeLast()
                }
            }
        }
        for dependency in node.dependentRequired where members[dependency.property] != nil {
            for name in dependency.value where members[name] == nil {
                report("property \(quoted(dependency.property)) requires property \(quoted(name))")
            }
        }
        for dependency in node.dependentSchemas where members[dependency.property] != nil {
            validate(.object(members), dependency.value)
        }
    }

    /// `string "12"`, `number 3.5`, `array`, ... for type mismatches.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return "boolean \(flag)"
        case .number(let number):
            let kind = number.isFinite && number == number.rounded(.towardZero) ? "integer" : "number"
            return "\(kind) \(JSONValue.formatNumber(number))"
        case .string(let text): return "string \(quoted(text, limit: 40))"
        case .array(let elements): return "array of \(elements.count) items"
        case .object: return "object"
        }
    }

    /// A short JSON rendering of a value for messages.
    static func literal(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return quoted(text, limit: 40)
        default:
            let text = value.canonicalText
            return text.count > 60 ? String(text.prefix(60)) + "…" : text
        }
    }
}
