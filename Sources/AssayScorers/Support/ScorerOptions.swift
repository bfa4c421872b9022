import AssayCore
import Foundation

/// Reads one scorer's options from its configuration mapping. Every error names the file, line and field of the
/// offending option (through `ConfigNode.error`).
struct ScorerOptions {
    /// Keys every scorer accepts besides its own.
    static let commonKeys: Set<String> = ["name", "type", "gate", "role", "threshold"]
    /// The roles a scorer can play in a rubric.
    static let roles: Set<String> = ["gate", "monitor"]

    /// The configuration being read.
    let config: ScorerConfig
    /// The `threshold:` option, when given (validated to lie in 0...1).
    let threshold: Double?

    /// The options mapping.
    var node: ConfigNode { config.options }
    /// The scorer's name.
    var name: String { config.name }

    /// Validates the mapping's keys and the common options.
    /// - Parameters:
    ///   - config: The scorer's configuration.
    ///   - allowed: The scorer's own option names (the common ones are added).
    /// - Throws: `AssayError` (config) for an unknown key or an invalid common option.
    init(_ config: ScorerConfig, allowed: Set<String>) throws {
        self.config = config
        try config.options.expectMapping(allowed: Self.commonKeys.union(allowed))
        if let node = config.options["threshold"] {
            let value = try node.double()
            guard (0...1).contains(value) else {
                throw node.error("a threshold is a value between 0 and 1 (e.g. 0.8), got \(JSONValue.formatNumber(value))")
            }
            threshold = value
        } else {
            threshold = nil
        }
        if let node = config.options["role"] {
            let role = try node.string()
            guard Self.roles.contains(role) else {
                let hint = ConfigNode.closest(to: role, in: Self.roles).map { "; did you mean '\($0)'?" } ?? ""
                throw node.error("unknown role '\(role)'\(hint) (one of gate, monitor)")
            }
        }
    }

    /// The option node for `key`, or nil when absent or null.
    func node(_ key: String) -> ConfigNode? { node[key] }

    /// A scalar option as text (numbers and Booleans as written).
    /// - Throws: `AssayError` when the option is a list or mapping.
    func string(_ key: String) throws -> String? {
        try node[key]?.string()
    }

    /// A non-empty scalar option as text.
    /// - Throws: `AssayError` when the option is not a scalar or is empty.
    func nonEmptyString(_ key: String) throws -> String? {
        guard let option = node[key] else { return nil }
        let text = try option.string()
        guard !text.isEmpty else { throw option.error("'\(key)' must not be empty") }
        return text
    }

    /// A Boolean option, or `defaultValue` when absent.
    /// - Throws: `AssayError` when the option is not true or false.
    func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        try node[key]?.bool() ?? defaultValue
    }

    /// A finite, non-negative number option.
    /// - Throws: `AssayError` when the option is not such a number.
    func nonNegativeDouble(_ key: String) throws -> Double? {
        guard let option = node[key] else { return nil }
        let value = try option.double()
        guard value.isFinite, value >= 0 else { throw option.error("'\(key)' must be a number >= 0") }
        return value
    }

    /// A non-negative integer option.
    /// - Throws: `AssayError` when the option is not such an integer.
    func nonNegativeInt(_ key: String) throws -> Int? {
        guard let option = node[key] else { return nil }
        let value = try option.int()
        guard value >= 0 else { throw option.error("'\(key)' must be an integer >= 0, got \(value)") }
        return value
    }

    /// A list of non-empty strings; a single scalar is a list of one.
    /// - Throws: `AssayError` when the option is a mapping, an empty list, or holds a non-scalar or empty entry.
    func stringList(_ key: String) throws -> [String]? {
        guard let option = node[key] else { return nil }
        if option.isScalar {
            let text = try option.string()
            guard !text.isEmpty else { throw option.error("'\(key)' must not be empty") }
            return [text]
        }
        guard option.isSequence else { throw option.error("'\(key)' must be a string or a list of strings") }
        let elements = try option.elements()
        guard !elements.isEmpty else { throw option.error("'\(key)' must list at least one entry") }
        return try elements.map { element in
            guard element.isScalar else { throw element.error("each entry of '\(key)' must be a string") }
            let text = try element.string()
            guard !text.isEmpty else { throw element.error("entries of '\(key)' must not be empty") }
            return text
        }
    }

    /// The text normalisation options (`ignore_case`, `trim`, `collapse_whitespace`, `strip_punctuation`, `nfkc`).
    /// - Parameter trimByDefault: The default of `trim`.
    /// - Throws: `AssayError` when an option is not a Boolean.
    func normalization(trimByDefault: Bool = true) throws -> TextNormalization {
        TextNormalization(
            ignoreCase: try bool("ignore_case", default: false),
            trim: try bool("trim", default: trimByDefault),
            collapseWhitespace: try bool("collapse_whitespace", default: false),
            stripPunctuation: try bool("strip_punctuation", default: false),
            nfkc: try bool("nfkc", default: false)
        )
    }

    /// The fingerprint of a scorer: SHA-256 of its type and its resolved settings. Settings that do not change
    /// what the scorer decides (`name`, `gate`, `role`) are left out, and defaults are written out, so configs
    /// that behave the same share a fingerprint whatever their key order or spelling of defaults.
    /// - Parameter settings: The resolved settings.
    /// - Returns: 64 hex characters.
    func fingerprint(_ settings: [String: JSONValue]) -> String {
        Fingerprint.sha256(JSONValue.object([
            "type": .string(config.type),
            "version": .number(Double(ScorerFactory.deterministicVersion)),
            "settings": .object(settings),
        ]))
    }
}

/// The option names of the text normalisation shared by the text-comparing scorers.
let normalizationOptionNames: Set<String> = ["ignore_case", "trim", "collapse_whitespace", "strip_punctuation", "nfkc"]

extension Score {
    /// The unmeasured score of a scorer that needs an expected answer the case lacks.
    static func noExpectedAnswer(_ scorer: String) -> Score {
        .unmeasured(scorer, reason: "case has no expected answer")
    }
}

/// Text for explanations: the value in double quotes with newlines and quotes escaped, cut to `limit` Unicode
/// scalars (with `…`).
func quoted(_ text: String, limit: Int = 60) -> String {
    // Fast path: no character needs escaping within the limit, so the text is sliced once.
    var scalars = 0
    var end = text.utf8.startIndex
    var plain = true
    for index in text.utf8.indices {
        let byte = text.utf8[index]
        if byte & 0xC0 != 0x80 {
            if scalars == limit { break }
            scalars += 1
        }
        if byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x22 || byte == 0x5C {
            plain = false
            break
        }
        end = text.utf8.index(after: index)
    }
    if plain {
        let truncated = end < text.utf8.endIndex
        return "\"" + text[..<end] + (truncated ? "…\"" : "\"")
    }
    var out = "\""
    var count = 0
    for scalar in text.unicodeScalars {
        if count == limit {
            out += "…"
            break
        }
        switch scalar.value {
        case 0x0A: out += "\\n"
        case 0x0D: out += "\\r"
        case 0x09: out += "\\t"
        case 0x22: out += "\\\""
        case 0x5C: out += "\\\\"
        default: out.unicodeScalars.append(scalar)
        }
        count += 1
    }
    out += "\""
    return out
}

/// A list of quoted texts for explanations: `"a", "b"`, cut after `limit` entries with a count of the rest.
func quotedList(_ texts: [String], limit: Int = 5) -> String {
    var parts = texts.prefix(limit).map { quoted($0) }
    if texts.count > limit { parts.append("and \(texts.count - limit) more") }
    return parts.joined(separator: ", ")
}
