import AssayCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Phrases searched for as whole words in normalised text, for the phrase-rule scorers (`injection`, `refusal`).
///
/// Both the phrases and the text are normalised the same way (`PhraseSet.normalize`): lower-cased (Unicode full
/// lower-case mapping), curly apostrophes and quotes straightened (`’` -> `'`, `“` -> `"`), every run of
/// whitespace collapsed to one space, and leading and trailing whitespace trimmed. A phrase matches only at word
/// boundaries: when it starts (ends) with a letter or digit, the character before (after) it must not be one, so
/// `as dan` does not match `as danish`.
struct PhraseSet: Sendable {
    /// One prepared phrase.
    struct Phrase: Sendable, Hashable {
        /// The phrase as configured (for explanations).
        let display: String
        /// The UTF-8 bytes of the normalised phrase.
        let bytes: [UInt8]
        /// Whether the phrase starts with a word character (so a boundary is needed before it).
        let boundaryBefore: Bool
        /// Whether the phrase ends with a word character (so a boundary is needed after it).
        let boundaryAfter: Bool
    }

    /// The phrases, in configuration order, without duplicates (after normalisation) and without empty ones.
    let phrases: [Phrase]
    /// The phrases' matching data as plain values (no reference counting in the search loop), parallel to
    /// `phrases`.
    private let entries: [Entry]
    /// Every phrase's bytes, concatenated.
    private let flatBytes: [UInt8]
    /// For byte value `b`, the phrases starting with it are `bucketItems[bucketStart[b]..<bucketStart[b + 1]]`: one
    /// pass over a text finds every phrase.
    private let bucketStart: [Int32]
    private let bucketItems: [Int32]

    /// Where a phrase's bytes are in `flatBytes`, and its boundary rules.
    private struct Entry {
        let start: Int
        let length: Int
        let boundaryBefore: Bool
        let boundaryAfter: Bool
    }

    /// Prepares phrases.
    /// - Parameter texts: The phrases as configured.
    init(_ texts: [String]) {
        var seen: Set<[UInt8]> = []
        var prepared: [Phrase] = []
        for text in texts {
            let normalized = PhraseSet.normalize(text)
            let bytes = Array(normalized.utf8)
            guard !bytes.isEmpty, seen.insert(bytes).inserted else { continue }
            let scalars = normalized.unicodeScalars
            prepared.append(Phrase(
                display: text, bytes: bytes,
                boundaryBefore: scalars.first.map(PhraseSet.isWordScalar) ?? false,
                boundaryAfter: scalars.last.map(PhraseSet.isWordScalar) ?? false
            ))
        }
        phrases = prepared
        var flat: [UInt8] = []
        var entries: [Entry] = []
        for phrase in prepared {
            entries.append(Entry(start: flat.count, length: phrase.bytes.count, boundaryBefore: phrase.boundaryBefore, boundaryAfter: phrase.boundaryAfter))
            flat.append(contentsOf: phrase.bytes)
        }
        var starts = [Int32](repeating: 0, count: 257)
        var items: [Int32] = []
        for byte in 0..<256 {
            starts[byte] = Int32(items.count)
            for (position, phrase) in prepared.enumerated() where phrase.bytes[0] == UInt8(byte) {
                items.append(Int32(position))
            }
        }
        starts[256] = Int32(items.count)
        self.entries = entries
        flatBytes = flat
        bucketStart = starts
        bucketItems = items
    }

    /// True when there are no phrases.
    var isEmpty: Bool { phrases.isEmpty }

    /// The phrases as configured, for fingerprints.
    var identity: JSONValue { .array(phrases.map { .string($0.display) }) }

    /// Normalises text for matching: lower-case, straight quotes, whitespace runs as one space, trimmed.
    /// - Parameter text: The text.
    /// - Returns: The normalised text.
    static func normalize(_ text: String) -> String {
        var text = text
        text.makeContiguousUTF8()
        // ASCII fast path: one pass over bytes lower-cases, collapses and trims.
        let ascii: String?? = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            for byte in bytes where byte >= 0x80 { return nil }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                var count = 0
                var pendingSpace = false
                for byte in bytes {
                    if byte == 0x20 || byte &- 0x09 < 5 {
                        pendingSpace = count > 0
                        continue
                    }
                    if pendingSpace {
                        out[count] = 0x20
                        count += 1
                        pendingSpace = false
                    }
                    out[count] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                    count += 1
                }
                return count
            }
        }
        if let ascii, let ascii { return ascii }
        return normalizeUnicode(text)
    }

    /// `normalize` for text with non-ASCII characters.
    private static func normalizeUnicode(_ text: String) -> String {
        let lowered = TextNormalization.lowercased(text)
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in lowered.unicodeScalars {
            if TextNormalization.isWhitespace(scalar) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            switch scalar.value {
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x02BC, 0xFF07: out.append("'")
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0xFF02: out.append("\"")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The phrases found in normalised text, in phrase order, each with the byte offset of its first whole-word
    /// occurrence. One pass over the text: at each byte, only the phrases starting with that byte are compared.
    /// - Parameters:
    ///   - normalized: Text prepared with `normalize(_:)`.
    ///   - limit: Return at most this many phrases (the first in phrase order).
    /// - Returns: The phrases found.
    func matches(in normalized: String, limit: Int = .max) -> [(phrase: Phrase, offset: Int)] {
        guard !phrases.isEmpty else { return [] }
        var text = normalized
        text.makeContiguousUTF8()
        let offsets: [Int]? = text.utf8.withContiguousStorageIfAvailable(firstOffsets)
        var found: [(phrase: Phrase, offset: Int)] = []
        for (index, offset) in (offsets ?? []).enumerated() where offset >= 0 {
            found.append((phrases[index], offset))
            if found.count >= limit { break }
        }
        return found
    }

    /// The byte offset of each phrase's first whole-word occurrence in `bytes`, or -1.
    private func firstOffsets(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var offsets = [Int](repeating: -1, count: phrases.count)
        var remaining = phrases.count
        flatBytes.withUnsafeBufferPointer { flat in
            guard let flatBase = flat.baseAddress, let base = bytes.baseAddress else { return }
            for position in 0..<bytes.count {
                let byte = Int(bytes[position])
                let first = Int(bucketStart[byte]), last = Int(bucketStart[byte + 1])
                if first == last { continue }
                var wordStart: Bool?
                for item in first..<last {
                    let index = Int(bucketItems[item])
                    guard offsets[index] < 0 else { continue }
                    let entry = entries[index]
                    let end = position + entry.length
                    guard end <= bytes.count, memcmp(base + position, flatBase + entry.start, entry.length) == 0 else { continue }
                    if entry.boundaryBefore {
                        let isStart = wordStart ?? (position == 0 || !PhraseSet.isWordCharacter(endingAt: position, in: bytes))
                        wordStart = isStart
                        guard isStart else { continue }
                    }
                    if entry.boundaryAfter, end < bytes.count, PhraseSet.isWordCharacter(startingAt: end, in: bytes) { continue }
                    offsets[index] = position
                    remaining -= 1
                }
                if remaining == 0 { break }
            }
        }
        return offsets
    }

    /// Letters, marks and digits (Unicode categories L, M, N) and `_`.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || SimilarityText.isWordScalar(scalar)
    }

    /// Whether the scalar starting at byte `offset` is a word character.
    private static func isWordCharacter(startingAt offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        decode(at: offset, in: bytes).map(isWordScalar) ?? false
    }

    /// Whether the scalar ending just before byte `offset` is a word character.
    private static func isWordCharacter(endingAt offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = offset - 1
        while start > 0, bytes[start] & 0xC0 == 0x80, offset - start < 4 { start -= 1 }
        return decode(at: start, in: bytes).map(isWordScalar) ?? false
    }

    /// Decodes the UTF-8 scalar starting at `offset` (nil for a continuation byte or a truncated sequence).
    private static func decode(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard offset >= 0, offset < bytes.count else { return nil }
        let lead = bytes[offset]
        if lead < 0x80 { return Unicode.Scalar(lead) }
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC0...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF7: length = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard offset + length <= bytes.count else { return nil }
        for index in 1..<length {
            value = value << 6 | UInt32(bytes[offset + index] & 0x3F)
        }
        return Unicode.Scalar(value)
    }
}
