import AssayCore

/// Tokenisers and sequence metrics shared by the similarity scorers (`token_f1`, `levenshtein`, `rouge_l`, `bleu`).
///
/// Everything here is a pure function of its input: no locale, no allocation beyond the token arrays and one row of
/// the dynamic-programming tables.
enum SimilarityText {
    // MARK: Tokenisers

    /// The tokens of SQuAD's answer normalisation (`normalize_answer` in the SQuAD v1.1/v2.0 evaluation scripts):
    /// lower-case, delete punctuation (ASCII `string.punctuation`, i.e. every printable ASCII character that is not
    /// a letter, digit or space, and also Unicode punctuation, category P, which SQuAD keeps), split on whitespace,
    /// and drop the articles `a`, `an`, `the`. Deleting rather than splitting at punctuation follows SQuAD:
    /// `don't` is one token, `dont`.
    static func squadTokens(_ text: String) -> [String] {
        var lowered = TextNormalization.lowercased(text)
        lowered.makeContiguousUTF8()
        // ASCII fast path over bytes; any non-ASCII byte falls back to the Unicode-aware walk.
        let ascii: [String]?? = lowered.utf8.withContiguousStorageIfAvailable { bytes -> [String]? in
            var tokens: [String] = []
            var current: [UInt8] = []
            func flush() {
                guard !current.isEmpty else { return }
                let isArticle = current == [0x61] || current == [0x61, 0x6E] || current == [0x74, 0x68, 0x65]
                if !isArticle { tokens.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
            }
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte == 0x20 || byte &- 0x09 < 5 {
                    flush()
                } else if !isSquadPunctuation(Unicode.Scalar(byte)) {
                    current.append(byte)
                }
            }
            flush()
            return tokens
        }
        if let ascii, let ascii { return ascii }
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            guard !current.isEmpty else { return }
            let token = String(current)
            if token != "a", token != "an", token != "the" { tokens.append(token) }
            current = String.UnicodeScalarView()
        }
        for scalar in lowered.unicodeScalars {
            if TextNormalization.isWhitespace(scalar) {
                flush()
            } else if isSquadPunctuation(scalar) {
                continue
            } else {
                current.append(scalar)
            }
        }
        flush()
        return tokens
    }

    /// ASCII `string.punctuation` (Python), plus Unicode general category P.
    @inline(__always)
    static func isSquadPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return value > 0x20 && value < 0x7F && !isASCIIAlphanumeric(UInt8(value))
        }
        return TextNormalization.isPunctuation(scalar)
    }

    /// Word tokens for `rouge_l` and `bleu`: maximal runs of letters, marks and digits (Unicode categories L, M and
    /// N), lower-cased; everything else (spaces, punctuation, symbols) separates tokens and is dropped. On ASCII
    /// text this is exactly the default tokenizer of Google's `rouge-score` (`[^a-z0-9]+` splits lower-cased
    /// text); unlike it, letters outside ASCII are kept rather than dropped.
    static func wordTokens(_ text: String) -> [String] {
        var lowered = TextNormalization.lowercased(text)
        lowered.makeContiguousUTF8()
        // ASCII fast path over bytes; any non-ASCII byte falls back to the Unicode-aware walk.
        let ascii: [String]?? = lowered.utf8.withContiguousStorageIfAvailable { bytes -> [String]? in
            var tokens: [String] = []
            var start = -1
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte >= 0x80 { return nil }
                if isASCIIAlphanumeric(byte) {
                    if start < 0 { start = index }
                } else if start >= 0 {
                    tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                    start = -1
                }
            }
            if start >= 0 {
                tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            }
            return tokens
        }
        if let ascii, let ascii { return ascii }
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in lowered.unicodeScalars {
            if isWordScalar(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }

    /// Letters, marks and numbers (Unicode categories L, M, N).
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return isASCIIAlphanumeric(UInt8(scalar.value)) }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 26
    }

    /// Maps the tokens of two texts to small integers (equal tokens, equal ids), so the metrics compare integers
    /// rather than strings.
    static func interned(_ first: [String], _ second: [String]) -> (first: [Int32], second: [Int32], vocabulary: Int) {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(first.count + second.count)
        func id(_ token: String) -> Int32 {
            if let existing = ids[token] { return existing }
            let next = Int32(ids.count)
            ids[token] = next
            return next
        }
        let a = first.map(id)
        let b = second.map(id)
        return (a, b, ids.count)
    }

    // MARK: Sequence metrics

    /// The length of the longest common subsequence of `a` and `b` (O(|a|·|b|) time, O(min) memory).
    static func longestCommonSubsequence<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Int {
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        guard !short.isEmpty else { return 0 }
        let width = short.count
        var rows = [Int32](repeating: 0, count: 2 * (width + 1))
        let last = rows.withUnsafeMutableBufferPointer { rows -> Int32 in
            short.withUnsafeBufferPointer { short -> Int32 in
                guard let base = rows.baseAddress else { return 0 }
                var previous = base, current = base + (width + 1)
                for x in long {
                    for j in 0..<width {
                        current[j + 1] = x == short[j] ? previous[j] + 1 : max(previous[j + 1], current[j])
                    }
                    swap(&previous, &current)
                }
                return previous[width]
            }
        }
        return Int(last)
    }

    /// The Levenshtein distance between two sequences of symbols in `0..<alphabetSize`: the fewest insertions,
    /// deletions and substitutions (each cost 1) turning one into the other.
    ///
    /// A common prefix and suffix are stripped, then the bit-parallel algorithm of Myers (1999), in Hyyrö's (2003)
    /// formulation with 64-symbol blocks for longer patterns, runs in O(⌈m/64⌉·n) word operations, m being the
    /// shorter length.
    static func editDistance(_ a: [Int32], _ b: [Int32], alphabetSize: Int) -> Int {
        var start = 0
        var endA = a.count, endB = b.count
        while start < endA, start < endB, a[start] == b[start] { start += 1 }
        while endA > start, endB > start, a[endA - 1] == b[endB - 1] {
            endA -= 1
            endB -= 1
        }
        if endA == start { return endB - start }
        if endB == start { return endA - start }
        let (pattern, text) = endA - start <= endB - start ? (a[start..<endA], b[start..<endB]) : (b[start..<endB], a[start..<endA])
        let length = pattern.count
        let blocks = (length + 63) / 64
        // Per symbol and block, the positions of the pattern holding that symbol.
        var masks = [UInt64](repeating: 0, count: alphabetSize * blocks)
        for (offset, symbol) in pattern.enumerated() {
            masks[Int(symbol) * blocks + offset / 64] |= 1 << UInt64(offset % 64)
        }
        var positive = [UInt64](repeating: ~0, count: blocks)
        var negative = [UInt64](repeating: 0, count: blocks)
        let lastBit: UInt64 = 1 << UInt64((length - 1) % 64)
        var distance = length
        for symbol in text {
            let row = Int(symbol) * blocks
            var positiveCarry: UInt64 = 1, negativeCarry: UInt64 = 0
            for block in 0..<blocks {
                let match = masks[row + block] | negativeCarry
                let vp = positive[block], vn = negative[block]
                let d0 = (((match & vp) &+ vp) ^ vp) | match | vn
                var hp = vn | ~(d0 | vp)
                var hn = d0 & vp
                let positiveIn = positiveCarry, negativeIn = negativeCarry
                if block < blocks - 1 {
                    positiveCarry = hp >> 63
                    negativeCarry = hn >> 63
                } else {
                    positiveCarry = hp & lastBit != 0 ? 1 : 0
                    negativeCarry = hn & lastBit != 0 ? 1 : 0
                }
                hp = hp << 1 | positiveIn
                hn = hn << 1 | negativeIn
                positive[block] = hn | ~(d0 | hp)
                negative[block] = hp & d0
            }
            distance += Int(positiveCarry) - Int(negativeCarry)
        }
        return distance
    }

    /// A value rounded to three decimals for explanations (`0.667`).
    static func format(_ value: Double) -> String {
        JSONValue.formatNumber((value * 1000).rounded() / 1000)
    }
}

/// The reference text and threshold shared by the similarity scorers: the `value` option, or else the case's
/// expected answer.
struct SimilarityReference: Sendable {
    /// The configured reference, or nil to use each case's expected answer.
    let configured: String?
    /// The value needed to pass.
    let threshold: Double

    /// Reads `value` and `threshold`.
    /// - Parameters:
    ///   - options: The scorer's options.
    ///   - defaultThreshold: The threshold when none is configured.
    /// - Throws: `AssayError` (config) when `value` is not a non-empty string.
    init(_ options: ScorerOptions, defaultThreshold: Double) throws {
        configured = try options.nonEmptyString("value")
        threshold = options.threshold ?? defaultThreshold
    }

    /// The reference for one case; nil when none is configured and the case has no expected answer.
    func reference(for testCase: Case) -> String? {
        configured ?? testCase.expected
    }

    /// Settings for fingerprints.
    var identity: [String: JSONValue] {
        ["value": configured.map(JSONValue.string) ?? .null, "threshold": .number(threshold)]
    }

    /// The score for a similarity `value` against the threshold.
    /// - Parameters:
    ///   - name: The scorer's name.
    ///   - metric: What the value is, for the explanation (`token F1`).
    ///   - value: The similarity in 0...1.
    ///   - details: Extra figures for the explanation (`precision 0.5, recall 1`), or empty.
    ///   - reference: The reference text.
    /// - Returns: A scored score passing when `value >= threshold`.
    func score(_ name: String, metric: String, value: Double, details: String, reference: String) -> Score {
        let clamped = min(1, max(0, value))
        let passed = clamped >= threshold
        let comparison = passed ? ">=" : "below"
        let extra = details.isEmpty ? "" : " (\(details))"
        return .scored(
            name, passed: passed, value: clamped,
            explanation: "\(metric) \(SimilarityText.format(clamped)) \(comparison) \(JSONValue.formatNumber(threshold))\(extra) against \(quoted(reference, limit: 40))"
        )
    }
}
