import AssayCore

/// Reading expected values out of a case, and numbers out of text.
enum ExpectedValues {
    /// The entries of a case's expected answer for list scorers (`contains_all`, `contains_any`): a JSON list of
    /// strings (or numbers) when the answer is one, else the answer as a single entry. Empty entries are dropped,
    /// so an empty JSON list gives no entries.
    static func list(from expected: String) -> [String] {
        let trimmed = TextNormalization.trimmed(expected)
        if trimmed.utf8.first == UInt8(ascii: "["), case .array(let elements)? = try? JSONParser.parse(trimmed) {
            let entries = elements.compactMap { element -> String? in
                switch element {
                case .string(let text): return text
                case .number(let number): return JSONValue.formatNumber(number)
                case .bool(let flag): return flag ? "true" : "false"
                default: return nil
                }
            }
            return entries.filter { !$0.isEmpty }
        }
        return [expected]
    }

    /// A number written plainly (`42`, `-3.5`, `+1e3`, `.5`), with surrounding whitespace allowed; nil for anything
    /// else, including `nan`, `inf` and hexadecimal, which `Double(_:)` would accept.
    static func number(_ text: String) -> Double? {
        let trimmed = TextNormalization.trimmed(text)
        var sawDigit = false, sawDot = false, sawExponent = false, digitsAfterExponent = false
        var previous: UInt8 = 0
        for (offset, byte) in trimmed.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                if sawExponent { digitsAfterExponent = true }
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard offset == 0 || previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E") else { return nil }
            case UInt8(ascii: "."):
                guard !sawDot, !sawExponent else { return nil }
                sawDot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard sawDigit, !sawExponent else { return nil }
                sawExponent = true
            default:
                return nil
            }
            previous = byte
        }
        guard sawDigit, !sawExponent || digitsAfterExponent else { return nil }
        guard let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }
}

/// Finding JSON inside model output.
enum FencedBlock {
    private static let fence: [UInt8] = Array("```".utf8)

    /// The content of the first Markdown code fence (three backticks; an info string such as `json` on the opening
    /// line is dropped), up to the closing fence or the end of the text; nil when the text has no fence.
    static func firstContent(in text: String) -> Substring? {
        let utf8 = text.utf8
        guard let open = TextSearch.firstOffset(of: fence, in: text) else { return nil }
        let afterFence = open + 3
        // Content starts after the first line break following the fence (skipping the info string).
        var lineEnd = afterFence
        let count = utf8.count
        var cursor = utf8.index(utf8.startIndex, offsetBy: afterFence)
        while lineEnd < count, utf8[cursor] != UInt8(ascii: "\n") {
            lineEnd += 1
            cursor = utf8.index(after: cursor)
        }
        var contentStart = lineEnd + 1
        if lineEnd >= count {
            // A fence with its content on the same line: ```json {"a": 1}```.
            contentStart = afterFence
            let sameLine = text[utf8.index(utf8.startIndex, offsetBy: afterFence)...]
            if sameLine.hasPrefix("json") { contentStart += 4 }
        }
        guard contentStart <= count else { return text[text.endIndex...] }
        let startIndex = utf8.index(utf8.startIndex, offsetBy: contentStart)
        let rest = text[startIndex...]
        guard let close = closingOffset(in: rest) else { return rest }
        return rest[rest.startIndex..<rest.utf8.index(rest.startIndex, offsetBy: close)]
    }

    private static func closingOffset(in text: Substring) -> Int? {
        var copy = text
        return copy.withUTF8 { TextSearch.firstOffset(of: fence, in: $0) }
    }
}
