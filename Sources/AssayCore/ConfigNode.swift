import Foundation
import Yams

/// A node of a YAML document that remembers where it came from, with typed accessors whose errors name the file,
/// line and field. The suite loader reads every field through it.
///
/// Yams' `Node` is an immutable value tree that does not declare `Sendable`; `ConfigNode` never mutates it.
public struct ConfigNode: @unchecked Sendable {
    /// The underlying YAML node.
    public let node: Node
    /// The file the node came from.
    public let file: String
    /// The dotted field path, e.g. `targets[0].base_url`.
    public let path: String

    /// Wraps a node.
    public init(node: Node, file: String, path: String) {
        self.node = node
        self.file = file
        self.path = path
    }

    /// This mapping without the given keys (same file, path and line), e.g. to hand a nested scorer's own options
    /// to its builder after its wrapper took the keys that belong to it. A node that is not a mapping is returned
    /// unchanged.
    /// - Parameter keys: The keys to drop.
    /// - Returns: The reduced mapping.
    public func removing(_ keys: Set<String>) -> ConfigNode {
        guard let mapping = node.mapping else { return self }
        let pairs = mapping.filter { key, _ in !(key.string.map(keys.contains) ?? false) }.map { ($0.key, $0.value) }
        return ConfigNode(node: .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark)), file: file, path: path)
    }

    /// Parses a YAML document.
    /// - Parameters:
    ///   - text: The YAML text.
    ///   - file: The file name for error messages.
    /// - Returns: The root node.
    /// - Throws: `AssayError` (config) with the line of a YAML syntax error.
    public static func parse(_ text: String, file: String) throws -> ConfigNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw AssayError.config("the file is empty", at: SourceLocation(file: file, line: 1))
            }
            return ConfigNode(node: node, file: file, path: "")
        } catch let error as AssayError {
            throw error
        } catch let error as YamlError {
            throw AssayError.config("not valid YAML: \(Self.describe(error))", at: Self.location(of: error, file: file))
        } catch {
            throw AssayError.config("not valid YAML: \(error)", at: SourceLocation(file: file))
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        default:
            return "\(error)"
        }
    }

    private static func location(of error: YamlError, file: String) -> SourceLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _):
            return SourceLocation(file: file, line: mark.line, column: mark.column)
        default:
            return SourceLocation(file: file)
        }
    }

    /// Where this node starts.
    public var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)
    }

    /// An error about this node.
    public func error(_ message: String) -> AssayError {
        AssayError.config(message, at: location, field: path.isEmpty ? nil : path)
    }

    private func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// True when the node is a mapping.
    public var isMapping: Bool { node.mapping != nil }
    /// True when the node is a sequence.
    public var isSequence: Bool { node.sequence != nil }
    /// True when the node is a scalar.
    public var isScalar: Bool { node.scalar != nil }
    /// True for a literal (`|`) or folded (`>`) block scalar, whose text starts on the line after its key.
    public var isBlockScalar: Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .literal || scalar.style == .folded
    }

    /// The keys of a mapping, in document order.
    public var keys: [String] { node.mapping?.keys.compactMap(\.string) ?? [] }

    /// The member `key` of a mapping, or nil when absent (or explicitly null).
    public subscript(key: String) -> ConfigNode? {
        guard let mapping = node.mapping else { return nil }
        for (keyNode, value) in mapping where keyNode.string == key {
            if case .scalar(let scalar) = value, ConfigNode.isNull(scalar) {
                return nil
            }
            return ConfigNode(node: value, file: file, path: childPath(key))
        }
        return nil
    }

    /// Requires the node to be a mapping whose keys are all in `allowed`; an unknown key is an error that
    /// suggests the closest allowed one.
    /// - Parameter allowed: The allowed keys.
    /// - Throws: `AssayError` (config).
    public func expectMapping(allowed: Set<String>) throws {
        guard let mapping = node.mapping else {
            throw error("expected a mapping (key: value pairs)")
        }
        for keyNode in mapping.keys {
            guard let key = keyNode.string else { continue }
            if !allowed.contains(key) {
                let child = ConfigNode(node: keyNode, file: file, path: childPath(key))
                var message = "unknown field '\(key)'"
                if let suggestion = ConfigNode.closest(to: key, in: allowed) {
                    message += "; did you mean '\(suggestion)'?"
                } else {
                    message += "; allowed: \(allowed.sorted().joined(separator: ", "))"
                }
                throw child.error(message)
            }
        }
    }

    /// The scalar text.
    /// - Throws: `AssayError` when the node is not a scalar.
    public func string() throws -> String {
        guard let scalar = node.scalar else { throw error("expected a string") }
        return scalar.string
    }

    /// The value as an integer.
    /// - Throws: `AssayError` when it is not one.
    public func int() throws -> Int {
        guard let value = node.int else { throw error("expected an integer, got '\(node.string ?? "a collection")'") }
        return value
    }

    /// The value as a number.
    /// - Throws: `AssayError` when it is not one.
    public func double() throws -> Double {
        if let value = node.float ?? node.int.map(Double.init) {
            guard value.isFinite else { throw error("expected a finite number, got '\(node.string ?? "")'") }
            return value
        }
        throw error("expected a number, got '\(node.string ?? "a collection")'")
    }

    /// The value as a Boolean.
    /// - Throws: `AssayError` when it is not one.
    public func bool() throws -> Bool {
        guard let value = node.bool else { throw error("expected true or false, got '\(node.string ?? "a collection")'") }
        return value
    }

    /// The elements of a sequence.
    /// - Throws: `AssayError` when the node is not a sequence.
    public func elements() throws -> [ConfigNode] {
        guard let sequence = node.sequence else { throw error("expected a list") }
        return sequence.enumerated().map { index, child in
            ConfigNode(node: child, file: file, path: "\(path)[\(index)]")
        }
    }

    /// The members of a mapping, in document order.
    /// - Throws: `AssayError` when the node is not a mapping.
    public func members() throws -> [(key: String, value: ConfigNode)] {
        guard let mapping = node.mapping else { throw error("expected a mapping (key: value pairs)") }
        return mapping.compactMap { keyNode, value in
            guard let key = keyNode.string else { return nil }
            return (key, ConfigNode(node: value, file: file, path: childPath(key)))
        }
    }

    /// The node as a JSON value: mappings become objects, sequences arrays, and scalars take their YAML type
    /// (quoted scalars stay strings).
    public var json: JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            if ConfigNode.isNull(scalar) { return .null }
            if let bool = node.bool { return .bool(bool) }
            if let int = node.int { return .number(Double(int)) }
            if let double = node.float { return .number(double) }
            return .string(scalar.string)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                if let key = key.string { object[key] = ConfigNode(node: value, file: file, path: "").json }
            }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map { ConfigNode(node: $0, file: file, path: "").json })
        case .alias:
            return .null
        }
    }

    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The allowed value nearest to `word` by edit distance, when it is close enough to be a likely typo.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(word.lowercased(), candidate.lowercased())
            if distance <= max(2, candidate.count / 3), distance < (best?.1 ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    /// Levenshtein distance between two strings, by characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
