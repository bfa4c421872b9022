import AssayCore

/// Reading a closed set of option values (`order: strict | any`), with the closest valid value suggested for a typo.
enum AgentOptions {
    /// The option `key` as one of `E`'s raw values, or `defaultValue` when absent.
    /// - Parameters:
    ///   - options: The scorer's options.
    ///   - key: The option name.
    ///   - defaultValue: The value when the option is absent.
    /// - Returns: The value.
    /// - Throws: `AssayError` (config) at the option's line when the value is not one of `E`'s.
    static func choice<E: RawRepresentable & CaseIterable>(
        _ options: ScorerOptions, _ key: String, default defaultValue: E
    ) throws -> E where E.RawValue == String {
        guard let node = options.node(key) else { return defaultValue }
        guard node.isScalar else {
            throw node.error("'\(key)' must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let text = try node.string()
        if let value = E(rawValue: text) { return value }
        let names = E.allCases.map(\.rawValue)
        let hint = ConfigNode.closest(to: text, in: names).map { "; did you mean '\($0)'?" } ?? ""
        throw node.error("unknown \(key) '\(text)'\(hint) (one of \(names.joined(separator: ", ")))")
    }
}
