import Foundation

/// Any JSON value, kept exactly as parsed (object key order is not significant).
///
/// Used for case inputs, tool-call arguments, JSON schemas and provider parameters, and for the canonical
/// encoding that fingerprints and cache keys hash.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses JSON text.
    /// - Parameter text: UTF-8 JSON text.
    /// - Returns: The value.
    /// - Throws: `DecodingError` when the text is not JSON.
    public static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// Parses JSON bytes.
    /// - Parameter data: JSON bytes.
    /// - Returns: The value.
    /// - Throws: `DecodingError` when the bytes are not JSON.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Canonical compact JSON: object keys sorted by their UTF-8 bytes, no whitespace, integers without a
    /// fraction. Two equal values always give the same text, so it is safe to hash.
    public var canonicalText: String {
        var out = ""
        writeCanonical(into: &out)
        return out
    }

    private func writeCanonical(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value): out += JSONValue.formatNumber(value)
        case .string(let value): JSONValue.writeString(value, into: &out)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.writeCanonical(into: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            let keys = object.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, key) in keys.enumerated() {
                if index > 0 { out += "," }
                JSONValue.writeString(key, into: &out)
                out += ":"
                object[key]?.writeCanonical(into: &out)
            }
            out += "}"
        }
    }

    /// Formats a number as JSON: integral values without a fraction, others with the shortest round-trip form.
    public static func formatNumber(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// Appends `value` as a JSON string literal with the escapes JSON requires.
    public static func writeString(_ value: String, into out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// The value as a string when it is one.
    public var stringValue: String? { if case .string(let value) = self { return value } else { return nil } }
    /// The value as a number when it is one.
    public var numberValue: Double? { if case .number(let value) = self { return value } else { return nil } }
    /// The value as an integer when it is a whole number within ±2^53 (never traps on huge or fractional input).
    public var intValue: Int? {
        guard case .number(let value) = self, value.isFinite, value == value.rounded(), abs(value) <= 9_007_199_254_740_992 else { return nil }
        return Int(value)
    }
    /// The value as a Boolean when it is one.
    public var boolValue: Bool? { if case .bool(let value) = self { return value } else { return nil } }
    /// The members when the value is an object.
    public var objectValue: [String: JSONValue]? { if case .object(let value) = self { return value } else { return nil } }
    /// The elements when the value is an array.
    public var arrayValue: [JSONValue]? { if case .array(let value) = self { return value } else { return nil } }

    /// Subscript by object key; nil for other kinds or a missing key.
    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// Text for display: strings as they are, everything else as canonical JSON.
    public var displayText: String { stringValue ?? canonicalText }

    /// Follows a dotted path such as `choices.0.message.content` or `$.data.answer` (a leading `$.` is optional);
    /// numeric components index arrays.
    /// - Parameter path: The path.
    /// - Returns: The value at the path, or nil when any step is missing.
    public func value(atPath path: String) -> JSONValue? {
        var trimmed = Substring(path)
        if trimmed.hasPrefix("$.") { trimmed = trimmed.dropFirst(2) } else if trimmed == "$" { return self }
        var current: JSONValue = self
        for rawComponent in trimmed.split(separator: ".", omittingEmptySubsequences: true) {
            var component = Substring(rawComponent)
            var indices: [Int] = []
            // Support `items[0]` as well as `items.0`.
            while let open = component.lastIndex(of: "["), component.last == "]" {
                let inner = component[component.index(after: open)..<component.index(before: component.endIndex)]
                guard let index = Int(inner) else { return nil }
                indices.insert(index, at: 0)
                component = component[..<open]
            }
            if !component.isEmpty {
                switch current {
                case .object(let object):
                    guard let next = object[String(component)] else { return nil }
                    current = next
                case .array(let array):
                    guard let index = Int(component), array.indices.contains(index) else { return nil }
                    current = array[index]
                default:
                    return nil
                }
            }
            for index in indices {
                guard case .array(let array) = current, array.indices.contains(index) else { return nil }
                current = array[index]
            }
        }
        return current
    }
}
