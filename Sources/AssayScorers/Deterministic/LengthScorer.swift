import AssayCore

/// `length`: the output's length lies within bounds.
///
/// Options: `min` and/or `max` (whole numbers, inclusive; at least one is required), `unit` (`chars`, the default:
/// characters as a reader counts them, i.e. grapheme clusters, so an emoji or an accented letter is one; or
/// `words`: runs of non-whitespace) and `trim` (default true: leading and trailing whitespace is not counted).
public struct LengthScorer: ConfigurableScorer {
    /// `length`.
    public static let typeName = "length"
    /// `min`, `max`, `unit` and `trim`.
    public static let optionNames: Set<String> = ["min", "max", "unit", "trim"]

    /// What a length counts.
    public enum Unit: String, Sendable, CaseIterable {
        /// Characters (extended grapheme clusters).
        case chars
        /// Words: maximal runs of non-whitespace.
        case words
    }

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type and resolved settings.
    public let fingerprint: String
    private let minimum: Int?
    private let maximum: Int?
    private let unit: Unit
    private let trim: Bool

    /// Builds the scorer from its configuration.
    /// - Parameter config: The scorer's configuration.
    /// - Throws: `AssayError` (config) naming the file, line and field of a bad option.
    public init(config: ScorerConfig) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        minimum = try options.nonNegativeInt("min")
        maximum = try options.nonNegativeInt("max")
        guard minimum != nil || maximum != nil else {
            throw options.node.error("length needs 'min' or 'max' (or both)")
        }
        if let minimum, let maximum, minimum > maximum, let maxNode = options.node("max") {
            throw maxNode.error("'max' (\(maximum)) is below 'min' (\(minimum))")
        }
        if let unitNode = options.node("unit") {
            let text = try unitNode.string()
            guard let parsed = Unit(rawValue: text) else {
                let names = Unit.allCases.map(\.rawValue)
                let aliases = ["characters": "chars", "char": "chars", "word": "words"]
                let hint = (aliases[text] ?? ConfigNode.closest(to: text, in: names)).map { "; did you mean '\($0)'?" } ?? ""
                throw unitNode.error("unknown unit '\(text)'\(hint) (one of \(names.joined(separator: ", ")))")
            }
            unit = parsed
        } else {
            unit = .chars
        }
        trim = try options.bool("trim", default: true)
        fingerprint = options.fingerprint([
            "min": minimum.map { .number(Double($0)) } ?? .null, "max": maximum.map { .number(Double($0)) } ?? .null,
            "unit": .string(unit.rawValue), "trim": .bool(trim),
        ])
    }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case (not used).
    ///   - output: What the target produced.
    /// - Returns: Pass when the length is within the bounds.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        evaluate(output.text)
    }

    func evaluate(_ text: String) -> Score {
        let counted = trim ? TextNormalization.trimmed(text) : text
        let length = unit == .chars ? counted.count : Self.wordCount(counted)
        let unitName = unit == .chars ? (length == 1 ? "character" : "characters") : (length == 1 ? "word" : "words")
        if let minimum, length < minimum {
            return .scored(name, passed: false, explanation: "\(length) \(unitName), below the minimum of \(minimum)")
        }
        if let maximum, length > maximum {
            return .scored(name, passed: false, explanation: "\(length) \(unitName), above the maximum of \(maximum)")
        }
        let bounds: String
        switch (minimum, maximum) {
        case let (minimum?, maximum?): bounds = "within \(minimum)...\(maximum)"
        case let (minimum?, nil): bounds = "at least \(minimum)"
        case let (nil, maximum?): bounds = "at most \(maximum)"
        case (nil, nil): bounds = "unbounded"
        }
        return .scored(name, passed: true, explanation: "\(length) \(unitName), \(bounds)")
    }

    /// The number of maximal runs of non-whitespace scalars.
    static func wordCount(_ text: String) -> Int {
        var text = text
        text.makeContiguousUTF8()
        // ASCII fast path over bytes; any non-ASCII byte falls back to the Unicode-aware walk.
        let ascii: Int?? = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            var count = 0
            var inWord = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    inWord = false
                } else if !inWord {
                    inWord = true
                    count += 1
                }
            }
            return count
        }
        if let ascii, let ascii { return ascii }
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            if TextNormalization.isWhitespace(scalar) {
                inWord = false
            } else if !inWord {
                inWord = true
                count += 1
            }
        }
        return count
    }
}
