import AssayCore

/// Turns a schema document into `SchemaNode`s, resolving local `$ref`s (cycles included) by JSON pointer.
struct SchemaCompiler {
    typealias Failure = JSONSchema.CompileError

    /// Keywords that only annotate and are accepted without effect.
    static let annotations: Set<String> = [
        "$schema", "$id", "id", "$comment", "$anchor", "$dynamicAnchor", "$vocabulary", "title", "description",
        "default", "examples", "example", "format", "deprecated", "readOnly", "writeOnly", "contentMediaType",
        "contentEncoding", "contentSchema", "discriminator", "xml", "externalDocs",
    ]
    /// Keywords the validator honours.
    static let assertions: Set<String> = [
        "type", "enum", "const", "nullable", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "minLength", "maxLength", "pattern", "items", "prefixItems", "additionalItems", "minItems",
        "maxItems", "uniqueItems", "contains", "minContains", "maxContains", "properties", "required",
        "additionalProperties", "patternProperties", "propertyNames", "minProperties", "maxProperties",
        "dependentRequired", "dependentSchemas", "dependencies", "allOf", "anyOf", "oneOf", "not", "if", "then",
        "else", "$ref", "$defs", "definitions",
    ]
    /// Keywords that change validation in ways this validator does not implement.
    static let unsupported: Set<String> = [
        "$dynamicRef", "$recursiveRef", "$recursiveAnchor", "unevaluatedProperties", "unevaluatedItems",
    ]

    let root: JSONValue
    var nodes: [SchemaNode] = []
    private var byPointer: [String: Int] = [:]

    init(root: JSONValue) {
        self.root = root
    }

    /// Compiles the schema at `path` (memoised by path, so `$ref` cycles terminate).
    mutating func compile(_ schema: JSONValue, path: [String]) throws(Failure) -> Int {
        let key = JSONSchema.pointer(path)
        if let index = byPointer[key] { return index }
        let index = nodes.count
        let node = SchemaNode()
        nodes.append(node)
        byPointer[key] = index
        switch schema {
        case .bool(let allowed):
            node.isFalse = !allowed
        case .object(let keywords):
            try fill(node, keywords, path: path)
        default:
            throw Failure(schemaPath: path, message: "a schema must be an object or a Boolean, got \(Self.typeName(schema))")
        }
        return index
    }

    private mutating func fill(_ node: SchemaNode, _ keywords: [String: JSONValue], path: [String]) throws(Failure) {
        // Check every keyword's spelling first, in a stable order, so errors do not depend on hashing.
        for keyword in keywords.keys.sorted() {
            if Self.unsupported.contains(keyword) {
                throw Failure(schemaPath: path + [keyword], message: "'\(keyword)' is not supported by Assay's JSON Schema validator")
            }
            if Self.assertions.contains(keyword) || Self.annotations.contains(keyword) { continue }
            if let suggestion = Self.misspelling(of: keyword) {
                throw Failure(schemaPath: path + [keyword], message: "unknown keyword '\(keyword)'; did you mean '\(suggestion)'?")
            }
        }
        for keyword in ["$defs", "definitions"] {
            guard let definitions = keywords[keyword] else { continue }
            guard case .object(let members) = definitions else {
                throw Failure(schemaPath: path + [keyword], message: "'\(keyword)' must be an object of schemas")
            }
            for name in members.keys.sorted() {
                if let member = members[name] { _ = try compile(member, path: path + [keyword, name]) }
            }
        }
        if let ref = keywords["$ref"] {
            node.ref = try resolve(ref, path: path + ["$ref"])
        }
        if let type = keywords["type"] {
            node.types = try types(type, path: path + ["type"])
            if keywords["nullable"]?.boolValue == true { node.types?.insert(.null) }
        }
        if let values = keywords["enum"] {
            guard case .array(let list) = values else { throw Failure(schemaPath: path + ["enum"], message: "'enum' must be a list") }
            node.enumValues = list
        }
        if let value = keywords["const"] {
            node.hasConst = true
            node.constValue = value
        }
        try numbers(node, keywords, path: path)
        node.minLength = try count(keywords, "minLength", path: path)
        node.maxLength = try count(keywords, "maxLength", path: path)
        if let pattern = keywords["pattern"] {
            node.pattern = try regex(pattern, path: path + ["pattern"])
        }
        try arrays(node, keywords, path: path)
        try objects(node, keywords, path: path)
        node.allOf = try schemaList(keywords, "allOf", path: path)
        node.anyOf = try schemaList(keywords, "anyOf", path: path)
        node.oneOf = try schemaList(keywords, "oneOf", path: path)
        node.not = try subschema(keywords, "not", path: path)
        node.ifSchema = try subschema(keywords, "if", path: path)
        node.thenSchema = try subschema(keywords, "then", path: path)
        node.elseSchema = try subschema(keywords, "else", path: path)
    }

    private mutating func numbers(_ node: SchemaNode, _ keywords: [String: JSONValue], path: [String]) throws(Failure) {
        node.minimum = try number(keywords, "minimum", path: path)
        node.maximum = try number(keywords, "maximum", path: path)
        // Draft 4 spells exclusive bounds as Booleans beside minimum/maximum.
        for (keyword, bound) in [("exclusiveMinimum", node.minimum), ("exclusiveMaximum", node.maximum)] {
            guard let value = keywords[keyword] else { continue }
            let exclusive: Double?
            switch value {
            case .number(let number): exclusive = number
            case .bool(let flag):
                guard bound != nil || !flag else {
                    throw Failure(schemaPath: path + [keyword], message: "'\(keyword): true' needs '\(keyword == "exclusiveMinimum" ? "minimum" : "maximum")' beside it")
                }
                exclusive = flag ? bound : nil
            default:
                throw Failure(schemaPath: path + [keyword], message: "'\(keyword)' must be a number")
            }
            if keyword == "exclusiveMinimum" {
                node.exclusiveMinimum = exclusive
                if value.boolValue == true { node.minimum = nil }
            } else {
                node.exclusiveMaximum = exclusive
                if value.boolValue == true { node.maximum = nil }
            }
        }
        if let multiple = try number(keywords, "multipleOf", path: path) {
            guard multiple > 0 else { throw Failure(schemaPath: path + ["multipleOf"], message: "'multipleOf' must be greater than 0") }
            node.multipleOf = multiple
        }
    }

    private mutating func arrays(_ node: SchemaNode, _ keywords: [String: JSONValue], path: [String]) throws(Failure) {
        if let prefix = keywords["prefixItems"] {
            node.prefixItems = try schemaArray(prefix, keyword: "prefixItems", path: path)
        }
        if let items = keywords["items"] {
            if case .array = items {
                // Draft 4-2019 tuple form: `items` is the prefix and `additionalItems` the rest.
                node.prefixItems = try schemaArray(items, keyword: "items", path: path)
                node.items = try subschema(keywords, "additionalItems", path: path)
            } else {
                node.items = try compile(items, path: path + ["items"])
            }
        }
        node.minItems = try count(keywords, "minItems", path: path)
        node.maxItems = try count(keywords, "maxItems", path: path)
        if let unique = keywords["uniqueItems"] {
            guard case .bool(let flag) = unique else { throw Failure(schemaPath: path + ["uniqueItems"], message: "'uniqueItems' must be true or false") }
            node.uniqueItems = flag
        }
        node.contains = try subschema(keywords, "contains", path: path)
        node.minContains = try count(keywords, "minContains", path: path)
        node.maxContains = try count(keywords, "maxContains", path: path)
    }

    private mutating func objects(_ node: SchemaNode, _ keywords: [String: JSONValue], path: [String]) throws(Failure) {
        if let properties = keywords["properties"] {
            guard case .object(let members) = properties else {
                throw Failure(schemaPath: path + ["properties"], message: "'properties' must be an object of schemas")
            }
            for name in members.keys.sorted() {
                guard let member = members[name] else { continue }
                node.properties.append(.init(name: name, node: try compile(member, path: path + ["properties", name])))
                node.propertyNameSet.insert(name)
            }
        }
        if let patterns = keywords["patternProperties"] {
            guard case .object(let members) = patterns else {
                throw Failure(schemaPath: path + ["patternProperties"], message: "'patternProperties' must be an object of schemas")
            }
            for pattern in members.keys.sorted() {
                guard let member = members[pattern] else { continue }
                let regex = try regex(.string(pattern), path: path + ["patternProperties", pattern])
                node.patternProperties.append(.init(regex: regex, node: try compile(member, path: path + ["patternProperties", pattern])))
            }
        }
        node.additionalProperties = try subschema(keywords, "additionalProperties", path: path)
        if let required = keywords["required"] {
            node.required = try strings(required, path: path + ["required"], what: "'required' must be a list of property names")
        }
        node.minProperties = try count(keywords, "minProperties", path: path)
        node.maxProperties = try count(keywords, "maxProperties", path: path)
        node.propertyNames = try subschema(keywords, "propertyNames", path: path)
        for keyword in ["dependentRequired", "dependentSchemas", "dependencies"] {
            guard let value = keywords[keyword] else { continue }
            guard case .object(let members) = value else {
                throw Failure(schemaPath: path + [keyword], message: "'\(keyword)' must be an object")
            }
            for property in members.keys.sorted() {
                guard let member = members[property] else { continue }
                let memberPath = path + [keyword, property]
                if case .array = member, keyword != "dependentSchemas" {
                    let names = try strings(member, path: memberPath, what: "a dependency must be a list of property names")
                    node.dependentRequired.append(.init(property: property, value: names))
                } else if keyword != "dependentRequired" {
                    node.dependentSchemas.append(.init(property: property, value: try compile(member, path: memberPath)))
                } else {
                    throw Failure(schemaPath: memberPath, message: "a dependency must be a list of property names")
                }
            }
        }
    }

    // MARK: - Keyword values

    private mutating func subschema(_ keywords: [String: JSONValue], _ keyword: String, path: [String]) throws(Failure) -> Int? {
        guard let value = keywords[keyword] else { return nil }
        return try compile(value, path: path + [keyword])
    }

    private mutating func schemaList(_ keywords: [String: JSONValue], _ keyword: String, path: [String]) throws(Failure) -> [Int] {
        guard let value = keywords[keyword] else { return [] }
        let list = try schemaArray(value, keyword: keyword, path: path)
        if list.isEmpty { throw Failure(schemaPath: path + [keyword], message: "'\(keyword)' must list at least one schema") }
        return list
    }

    private mutating func schemaArray(_ value: JSONValue, keyword: String, path: [String]) throws(Failure) -> [Int] {
        guard case .array(let list) = value else {
            throw Failure(schemaPath: path + [keyword], message: "'\(keyword)' must be a list of schemas")
        }
        var indices: [Int] = []
        for (index, element) in list.enumerated() {
            indices.append(try compile(element, path: path + [keyword, String(index)]))
        }
        return indices
    }

    private func number(_ keywords: [String: JSONValue], _ keyword: String, path: [String]) throws(Failure) -> Double? {
        guard let value = keywords[keyword] else { return nil }
        guard case .number(let number) = value, number.isFinite else {
            throw Failure(schemaPath: path + [keyword], message: "'\(keyword)' must be a number, got \(Self.typeName(value))")
        }
        return number
    }

    private func count(_ keywords: [String: JSONValue], _ keyword: String, path: [String]) throws(Failure) -> Int? {
        guard let value = keywords[keyword] else { return nil }
        guard case .number(let number) = value, number >= 0, number == number.rounded(), number < 1e15 else {
            throw Failure(schemaPath: path + [keyword], message: "'\(keyword)' must be a whole number >= 0")
        }
        return Int(number)
    }

    private func strings(_ value: JSONValue, path: [String], what: String) throws(Failure) -> [String] {
        guard case .array(let list) = value else { throw Failure(schemaPath: path, message: what) }
        var names: [String] = []
        for (index, element) in list.enumerated() {
            guard case .string(let name) = element else { throw Failure(schemaPath: path + [String(index)], message: what) }
            names.append(name)
        }
        return names
    }

    private func regex(_ value: JSONValue, path: [String]) throws(Failure) -> CompiledRegex {
        guard case .string(let pattern) = value else {
            throw Failure(schemaPath: path, message: "a pattern must be a string")
        }
        do {
            return try CompiledRegex(pattern: pattern)
        } catch {
            throw Failure(schemaPath: path, message: "invalid regular expression /\(pattern)/")
        }
    }

    private func types(_ value: JSONValue, path: [String]) throws(Failure) -> JSONTypeSet {
        func one(_ name: JSONValue, _ path: [String]) throws(Failure) -> JSONTypeSet {
            guard case .string(let text) = name else {
                throw Failure(schemaPath: path, message: "a type must be a string such as \"string\" or \"object\"")
            }
            if let match = JSONTypeSet.names.first(where: { $0.0 == text }) { return match.1 }
            let known = JSONTypeSet.names.map(\.0)
            let aliases = ["int": "integer", "float": "number", "double": "number", "bool": "boolean", "str": "string",
                           "list": "array", "dict": "object", "map": "object"]
            let hint = (aliases[text.lowercased()] ?? ConfigNode.closest(to: text, in: known)).map { "; did you mean '\($0)'?" } ?? ""
            throw Failure(schemaPath: path, message: "unknown type '\(text)'\(hint) (one of \(known.joined(separator: ", ")))")
        }
        switch value {
        case .array(let names):
            guard !names.isEmpty else { throw Failure(schemaPath: path, message: "'type' must list at least one type") }
            var set: JSONTypeSet = []
            for (index, name) in names.enumerated() { set.formUnion(try one(name, path + [String(index)])) }
            return set
        default:
            return try one(value, path)
        }
    }

    /// Resolves a local `$ref` and compiles its target.
    private mutating func resolve(_ value: JSONValue, path: [String]) throws(Failure) -> Int {
        guard case .string(let reference) = value else { throw Failure(schemaPath: path, message: "'$ref' must be a string") }
        guard reference.hasPrefix("#") else {
            throw Failure(schemaPath: path, message: "only local references ('#/$defs/Name') are supported, got '\(reference)'")
        }
        let fragment = String(reference.dropFirst()).removingPercentEncodingIfPossible()
        var components: [String] = []
        if !fragment.isEmpty {
            guard fragment.hasPrefix("/") else {
                throw Failure(schemaPath: path, message: "anchor references ('\(reference)') are not supported; use a JSON pointer such as '#/$defs/Name'")
            }
            components = fragment.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { part in
                part.replacingOccurrencesOfEscapes()
            }
        }
        var target = root
        for component in components {
            var next: JSONValue?
            switch target {
            case .object(let members): next = members[component]
            case .array(let list): next = Int(component).flatMap { list.indices.contains($0) ? list[$0] : nil }
            default: next = nil
            }
            guard let next else { throw Failure(schemaPath: path, message: "'$ref' points at nothing: '\(reference)'") }
            target = next
        }
        return try compile(target, path: components)
    }

    /// An unknown keyword close enough to a known one to be a likely typo.
    static func misspelling(of keyword: String) -> String? {
        var best: (String, Int)?
        let limit = keyword.count <= 5 ? 1 : 2
        for candidate in assertions.union(annotations) {
            let distance = ConfigNode.editDistance(keyword.lowercased(), candidate.lowercased())
            if distance <= limit, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    /// The JSON type name of a value, for messages.
    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension String {
    /// Percent-decoding for URI fragments (`%25` -> `%`); the text unchanged when it has no valid escapes.
    fileprivate func removingPercentEncodingIfPossible() -> String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    /// RFC 6901 unescaping of one pointer component (`~1` -> `/`, then `~0` -> `~`).
    fileprivate func replacingOccurrencesOfEscapes() -> String {
        guard contains("~") else { return String(self) }
        var out = ""
        var iterator = makeIterator()
        while let character = iterator.next() {
            if character == "~" {
                switch iterator.next() {
                case "1"?: out += "/"
                case "0"?: out += "~"
                case let other?: out += "~" + String(other)
                case nil: out += "~"
                }
            } else {
                out.append(character)
            }
        }
        return out
    }
}
