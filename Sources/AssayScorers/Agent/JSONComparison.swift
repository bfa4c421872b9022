import AssayCore

/// How an expected JSON value (tool-call arguments, an end state) is compared with the value produced.
enum JSONMatchMode: String, Sendable, CaseIterable {
    /// Equal as JSON: the same keys, the same array lengths and equal scalars; numbers compare numerically (`1`
    /// equals `1.0`), object key order never matters.
    case exact
    /// Every expected key is present with an equal value, compared the same way at every depth; extra keys are
    /// allowed. Arrays must have the same length, and their elements are compared in order by the same rule.
    case subset
    /// Every expected key is present with a value of the same JSON type (null, boolean, number, string, array,
    /// object); nested objects are checked the same way, and every element of an actual array is checked against
    /// the first element of the expected array (an empty expected array accepts any array).
    case types
    /// Nothing is compared: any value matches.
    case ignore
}

/// One difference between an expected JSON value and an actual one.
struct JSONDifference: Sendable, Hashable, CustomStringConvertible {
    /// The JSON pointer (RFC 6901) of the differing value in the actual document, `/` for the root.
    let pointer: String
    /// What differs: `expected "Paris", got "Lyon"`, `missing`, `unexpected key`...
    let message: String

    /// `pointer: message`.
    var description: String { "\(pointer): \(message)" }
}

/// Compares an expected JSON value with an actual one under a `JSONMatchMode`, collecting each difference with its
/// JSON pointer. The pointer is kept as a stack of components and only formatted when a difference is reported, so
/// comparing equal values allocates nothing.
struct JSONComparison {
    private let mode: JSONMatchMode
    private let limit: Int
    private var path: [String] = []
    private(set) var differences: [JSONDifference] = []

    private init(mode: JSONMatchMode, limit: Int) {
        self.mode = mode
        self.limit = limit
    }

    /// The differences between `expected` and `actual`.
    /// - Parameters:
    ///   - expected: The expected value.
    ///   - actual: The value produced.
    ///   - mode: How to compare.
    ///   - limit: Stop after this many differences (at least 1).
    /// - Returns: The differences in document order (object keys sorted), at most `limit`; empty when they match.
    static func differences(expected: JSONValue, actual: JSONValue, mode: JSONMatchMode, limit: Int = 20) -> [JSONDifference] {
        guard mode != .ignore else { return [] }
        var comparison = JSONComparison(mode: mode, limit: max(1, limit))
        comparison.compare(expected, actual)
        return comparison.differences
    }

    /// Whether `actual` matches `expected` under `mode`.
    static func matches(expected: JSONValue, actual: JSONValue, mode: JSONMatchMode) -> Bool {
        switch mode {
        case .ignore: return true
        case .exact where expected == actual: return true
        default: return differences(expected: expected, actual: actual, mode: mode, limit: 1).isEmpty
        }
    }

    private var full: Bool { differences.count >= limit }

    private mutating func report(_ message: String) {
        guard !full else { return }
        differences.append(JSONDifference(pointer: JSONSchema.pointer(path), message: message))
    }

    private mutating func compare(_ expected: JSONValue, _ actual: JSONValue) {
        guard !full else { return }
        if mode == .types {
            compareTypes(expected, actual)
            return
        }
        switch (expected, actual) {
        case (.object(let expectedMembers), .object(let actualMembers)):
            for key in Self.sortedKeys(expectedMembers) {
                guard !full, let expectedValue = expectedMembers[key] else { continue }
                path.append(key)
                if let actualValue = actualMembers[key] {
                    compare(expectedValue, actualValue)
                } else {
                    report("missing (expected \(SchemaValidator.literal(expectedValue)))")
                }
                path.removeLast()
            }
            if mode == .exact {
                for key in Self.sortedKeys(actualMembers) where expectedMembers[key] == nil {
                    guard !full, let actualValue = actualMembers[key] else { continue }
                    path.append(key)
                    report("unexpected key (got \(SchemaValidator.literal(actualValue)))")
                    path.removeLast()
                }
            }
        case (.array(let expectedElements), .array(let actualElements)):
            if expectedElements.count != actualElements.count {
                report("expected \(Self.items(expectedElements.count)), got \(actualElements.count)")
            }
            for index in 0..<min(expectedElements.count, actualElements.count) {
                guard !full else { break }
                path.append(String(index))
                compare(expectedElements[index], actualElements[index])
                path.removeLast()
            }
        case (.number(let expectedNumber), .number(let actualNumber)):
            if expectedNumber != actualNumber {
                report("expected \(JSONValue.formatNumber(expectedNumber)), got \(JSONValue.formatNumber(actualNumber))")
            }
        default:
            guard expected != actual else { return }
            if SchemaCompiler.typeName(expected) == SchemaCompiler.typeName(actual) {
                report("expected \(SchemaValidator.literal(expected)), got \(SchemaValidator.literal(actual))")
            } else {
                report("expected \(SchemaCompiler.typeName(expected)) \(SchemaValidator.literal(expected)), got \(SchemaValidator.describe(actual))")
            }
        }
    }

    private mutating func compareTypes(_ expected: JSONValue, _ actual: JSONValue) {
        let expectedType = SchemaCompiler.typeName(expected)
        guard expectedType == SchemaCompiler.typeName(actual) else {
            report("expected \(expectedType), got \(SchemaValidator.describe(actual))")
            return
        }
        switch (expected, actual) {
        case (.object(let expectedMembers), .object(let actualMembers)):
            for key in Self.sortedKeys(expectedMembers) {
                guard !full, let expectedValue = expectedMembers[key] else { continue }
                path.append(key)
                if let actualValue = actualMembers[key] {
                    compareTypes(expectedValue, actualValue)
                } else {
                    report("missing (expected \(SchemaCompiler.typeName(expectedValue)))")
                }
                path.removeLast()
            }
        case (.array(let expectedElements), .array(let actualElements)):
            guard let model = expectedElements.first else { return }
            for (index, element) in actualElements.enumerated() {
                guard !full else { break }
                path.append(String(index))
                compareTypes(model, element)
                path.removeLast()
            }
        default:
            return
        }
    }

    private static func sortedKeys(_ members: [String: JSONValue]) -> [String] {
        members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    private static func items(_ count: Int) -> String { count == 1 ? "1 item" : "\(count) items" }
}
