#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search over UTF-8 bytes: exact Unicode-scalar matching without Foundation bridging.
///
/// UTF-8 is self-synchronising, so a byte match of valid UTF-8 text is always a match of whole scalars.
enum TextSearch {
    /// A string prepared for repeated searching.
    struct Needle: Sendable, Hashable {
        /// The text as configured (for explanations).
        let display: String
        /// The normalised text searched for.
        let text: String
        /// The UTF-8 bytes of `text`.
        let bytes: [UInt8]

        /// Prepares a needle.
        init(display: String, normalized: String) {
            self.display = display
            self.text = normalized
            self.bytes = Array(normalized.utf8)
        }
    }

    /// The byte offset of the first occurrence of `needle` in `haystack`, or nil.
    static func firstOffset(of needle: [UInt8], in haystack: String) -> Int? {
        if needle.isEmpty { return 0 }
        if let found = haystack.utf8.withContiguousStorageIfAvailable({ firstOffset(of: needle, in: $0) }) {
            return found
        }
        let copy = Array(haystack.utf8)
        return copy.withUnsafeBufferPointer { firstOffset(of: needle, in: $0) }
    }

    /// The byte offset of the first occurrence of `needle` in `haystack`, or nil: C `memchr` finds candidates for
    /// the first byte, `memcmp` checks the rest.
    static func firstOffset(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !needle.isEmpty else { return 0 }
        guard needle.count <= haystack.count, let base = haystack.baseAddress else { return nil }
        return needle.withUnsafeBufferPointer { needleBuffer -> Int? in
            guard let needleBase = needleBuffer.baseAddress else { return nil }
            let first = Int32(needleBase.pointee)
            let rest = needleBuffer.count - 1
            let lastStart = haystack.count - needleBuffer.count
            var offset = 0
            while offset <= lastStart {
                guard let found = memchr(base + offset, first, lastStart - offset + 1) else { return nil }
                let position = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                if rest == 0 || memcmp(base + position + 1, needleBase + 1, rest) == 0 { return position }
                offset = position + 1
            }
            return nil
        }
    }

    /// True when `haystack` contains `needle`.
    static func contains(_ needle: [UInt8], in haystack: String) -> Bool {
        firstOffset(of: needle, in: haystack) != nil
    }

    /// True when the UTF-8 bytes of `text` start with `prefix`.
    static func hasPrefix(_ prefix: [UInt8], _ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count >= prefix.count else { return false }
        return utf8.prefix(prefix.count).elementsEqual(prefix)
    }

    /// True when the UTF-8 bytes of `text` end with `suffix`.
    static func hasSuffix(_ suffix: [UInt8], _ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count >= suffix.count else { return false }
        return utf8.suffix(suffix.count).elementsEqual(suffix)
    }
}
