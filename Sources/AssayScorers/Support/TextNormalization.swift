import AssayCore
import Foundation

/// How text-comparing scorers normalise both the output and the expected text before comparing.
///
/// Steps run in this order: Unicode NFKC (`nfkc`), lower-casing (`ignore_case`, Unicode full lower-case mapping),
/// removing punctuation (`strip_punctuation`: Unicode general category P, so `.,!?;:'"-()[]{}` go and symbols such
/// as `$ + = %` stay), collapsing runs of whitespace to one space (`collapse_whitespace`), and trimming leading and
/// trailing whitespace (`trim`).
struct TextNormalization: Sendable, Hashable {
    var ignoreCase: Bool
    var trim: Bool
    var collapseWhitespace: Bool
    var stripPunctuation: Bool
    var nfkc: Bool

    /// The settings as JSON, for fingerprints.
    var identity: [String: JSONValue] {
        [
            "ignore_case": .bool(ignoreCase), "trim": .bool(trim), "collapse_whitespace": .bool(collapseWhitespace),
            "strip_punctuation": .bool(stripPunctuation), "nfkc": .bool(nfkc),
        ]
    }

    /// Normalises `text`.
    /// - Parameter text: The text.
    /// - Returns: The normalised text (the same string when nothing applies).
    func apply(_ text: String) -> String {
        var result = text
        if nfkc { result = result.precomposedStringWithCompatibilityMapping }
        if ignoreCase { result = TextNormalization.lowercased(result) }
        if stripPunctuation || collapseWhitespace {
            result = filterScalars(result)
        }
        if trim { result = TextNormalization.trimmed(result) }
        return result
    }

    private func filterScalars(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if stripPunctuation, TextNormalization.isPunctuation(scalar) { continue }
            if collapseWhitespace, TextNormalization.isWhitespace(scalar) {
                pendingSpace = true
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(scalar)
        }
        if pendingSpace { out.append(" ") }
        return String(out)
    }

    /// Lower-cases text (Unicode full lower-case mapping), with a fast path for ASCII text that returns the same
    /// string when it has no upper-case letters.
    static func lowercased(_ text: String) -> String {
        var text = text
        text.makeContiguousUTF8()
        let lowered: String?? = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            var hasUpper = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte &- 0x41 < 26 { hasUpper = true }
            }
            guard hasUpper else { return text }
            return String(unsafeUninitializedCapacity: bytes.count) { buffer in
                for index in 0..<bytes.count {
                    let byte = bytes[index]
                    buffer[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                }
                return bytes.count
            }
        }
        if let lowered, let lowered { return lowered }
        return text.lowercased()
    }

    /// Text without leading and trailing whitespace (Unicode White_Space); the same string when there is none.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return text }
        if !isWhitespace(first), !isWhitespace(last) { return text }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isWhitespace(scalars[start]) { start = scalars.index(after: start) }
        while end > start {
            let before = scalars.index(before: end)
            guard isWhitespace(scalars[before]) else { break }
            end = before
        }
        return String(scalars[start..<end])
    }

    /// Unicode White_Space, with an ASCII fast path.
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
        return scalar.properties.isWhitespace
    }

    /// Unicode general category P (punctuation), with an ASCII fast path.
    @inline(__always)
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            switch scalar {
            case "!", "\"", "#", "%", "&", "'", "(", ")", "*", ",", "-", ".", "/", ":", ";", "?", "@", "[", "\\",
                 "]", "_", "{", "}":
                return true
            default:
                return false
            }
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}
