import AssayCore

extension ToolCall {
    /// The arguments as the agent scorers compare them: JSON text held in a string (a provider or dataset that
    /// passed the arguments through as text) is parsed, and no arguments at all (null, or an empty or blank string)
    /// are an empty object. Any other value is used as it is.
    var scoringArguments: JSONValue {
        switch arguments {
        case .null:
            return .object([:])
        case .string(let text):
            let trimmed = TextNormalization.trimmed(text)
            if trimmed.isEmpty { return .object([:]) }
            guard let first = trimmed.utf8.first, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
                return arguments
            }
            return (try? JSONParser.parse(trimmed)) ?? arguments
        default:
            return arguments
        }
    }

    /// A key equal for calls with the same name and the same canonical arguments (`1` and `1.0` alike, key order
    /// ignored).
    var identityKey: String {
        name + "\u{0}" + scoringArguments.canonicalText
    }

    /// The call for explanations: `name({"key":"value"})`, with the arguments cut to `limit` characters.
    func display(limit: Int = 60) -> String {
        let text = scoringArguments.canonicalText
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
        return "\(name)(\(shown))"
    }
}
