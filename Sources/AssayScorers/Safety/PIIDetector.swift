#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The kinds of personal data and secrets `pii` looks for, in reporting order.
enum PIIKind: String, CaseIterable, Sendable, Hashable {
    /// E-mail addresses.
    case email
    /// Phone numbers.
    case phone
    /// Payment card numbers (Luhn-valid).
    case card
    /// International bank account numbers (mod-97-valid).
    case iban
    /// National identity numbers (US SSN, UK NINO).
    case nationalID = "national_id"
    /// IPv4 and IPv6 addresses.
    case ip
    /// API keys, tokens and private keys.
    case secret
}

/// One piece of personal data or one secret found in a text.
struct PIIFinding: Sendable, Hashable {
    /// What was found.
    let kind: PIIKind
    /// A finer description when useful (`US SSN`, `AWS access key`), else nil.
    let detail: String?
    /// The UTF-8 byte range in the text.
    let range: Range<Int>
    /// The text found (never shown: see `masked`).
    let value: String

    /// The value with most of it hidden, safe for explanations and logs.
    var masked: String { PIIDetector.mask(self) }
}

/// Finds personal data and secrets in text by hand-written scanners over UTF-8 bytes: no regular expressions, so
/// no `NSRegularExpression` bridging in the hot path, and one linear pass per kind.
///
/// Detectors run in priority order (secrets, e-mail addresses, IBANs, card numbers, national ids, IP addresses,
/// phone numbers) and a later detector never reports bytes an earlier one claimed, so the digits of a card number
/// are not also a phone number. Letters and digits are ASCII; any non-ASCII byte counts as a separator.
struct PIIDetector: Sendable {
    /// The kinds to look for.
    let kinds: Set<PIIKind>

    /// The order detectors run in (the most specific first).
    static let priority: [PIIKind] = [.secret, .email, .iban, .card, .nationalID, .ip, .phone]

    /// Every finding in `text`, in byte order.
    /// - Parameter text: The text to scan.
    /// - Returns: The findings; overlapping ones are resolved by priority.
    func findings(in text: String) -> [PIIFinding] {
        var text = text
        text.makeContiguousUTF8()
        let result: [PIIFinding]? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var scanner = Scanner(bytes: bytes)
            for kind in Self.priority where kinds.contains(kind) {
                scanner.scan(kind)
            }
            return scanner.findings.sorted { $0.range.lowerBound < $1.range.lowerBound }
        }
        return result ?? []
    }

    // MARK: Masking

    /// The value of a finding with most of it hidden: e-mail `j***@example.com`; card and national id: only the
    /// last 4 letters or digits; phone: the last 2; IBAN: country code and last 4; IPv4: the first octet; IPv6: the
    /// first group; secrets: the first 4 and last 2 characters and the length; a private-key header is shown as it
    /// is (it holds no secret).
    static func mask(_ finding: PIIFinding) -> String {
        let value = finding.value
        switch finding.kind {
        case .email:
            guard let at = value.firstIndex(of: "@") else { return "***" }
            return String(value[value.startIndex]) + "***" + value[at...]
        case .card, .nationalID:
            return maskAlphanumerics(value, keepFirst: 0, keepLast: 4)
        case .phone:
            return maskAlphanumerics(value, keepFirst: 0, keepLast: 2)
        case .iban:
            return maskAlphanumerics(value, keepFirst: 2, keepLast: 4)
        case .ip:
            if value.contains(":") {
                return String(value.prefix { $0 != ":" }) + ":…"
            }
            return String(value.prefix { $0 != "." }) + ".*.*.*"
        case .secret:
            if finding.detail == "private key" { return String(value.prefix(60)) }
            let characters = Array(value)
            guard characters.count >= 12 else { return String(repeating: "*", count: characters.count) }
            return String(characters.prefix(4)) + "…" + String(characters.suffix(2)) + " (\(characters.count) characters)"
        }
    }

    /// Replaces letters and digits with `*`, except the first `keepFirst` and last `keepLast` of them; separators
    /// stay.
    static func maskAlphanumerics(_ value: String, keepFirst: Int, keepLast: Int) -> String {
        let total = value.utf8.reduce(0) { $0 + (isAlphanumeric($1) ? 1 : 0) }
        var seen = 0
        var out = [UInt8]()
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            guard isAlphanumeric(byte) else {
                out.append(byte)
                continue
            }
            out.append(seen < keepFirst || seen >= total - keepLast ? byte : UInt8(ascii: "*"))
            seen += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Validation

    /// The Luhn checksum over ASCII digits (other bytes ignored).
    static func luhnValid(_ digits: [UInt8]) -> Bool {
        var sum = 0
        var double = false
        for byte in digits.reversed() {
            var digit = Int(byte &- 0x30)
            if double {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
            double.toggle()
        }
        return sum % 10 == 0
    }

    /// The IBAN checksum (ISO 13616): the first four characters moved to the end, letters read as 10...35, the
    /// number mod 97 is 1. `compact` is upper-case letters and digits only.
    static func ibanValid(_ compact: ArraySlice<UInt8>) -> Bool {
        guard compact.count >= 15, compact.count <= 34 else { return false }
        var remainder = 0
        for index in 0..<compact.count {
            let byte = compact[compact.startIndex + (index + 4) % compact.count]
            if isDigit(byte) {
                remainder = (remainder * 10 + Int(byte &- 0x30)) % 97
            } else if isUpper(byte) {
                remainder = (remainder * 100 + Int(byte &- 0x41) + 10) % 97
            } else {
                return false
            }
        }
        return remainder == 1
    }

    // MARK: Byte classes

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
    @inline(__always) static func isLower(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
    @inline(__always) static func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isAlpha(byte) }
    @inline(__always) static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20) &- 0x61 < 6 }
    /// Letters, digits, `_` and `-`: the alphabet of base64url and of most token formats.
    @inline(__always) static func isTokenByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}

/// One pass of the detectors over one text.
private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var findings: [PIIFinding] = []
    /// Byte ranges claimed without a finding of their own (the body of a private key).
    var claimed: [Range<Int>] = []
    /// Scratch buffers reused across candidates (cleared, capacity kept).
    private var digitBuffer: [UInt8] = []
    private var groupBuffer: [Int] = []
    private var phoneGroups: [Group] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var count: Int { bytes.count }

    @inline(__always) func byte(_ index: Int) -> UInt8 { index >= 0 && index < bytes.count ? bytes[index] : 0 }

    /// Records a finding unless an earlier finding (of this detector or of one with higher priority) or a claimed
    /// range holds any of its bytes. Allowed values are filtered later, so they claim their bytes too.
    mutating func add(_ kind: PIIKind, _ range: Range<Int>, detail: String? = nil) {
        guard !range.isEmpty, !claimed.contains(where: { $0.overlaps(range) }),
              !findings.contains(where: { $0.range.overlaps(range) })
        else { return }
        let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        findings.append(PIIFinding(kind: kind, detail: detail, range: range, value: value))
    }

    mutating func scan(_ kind: PIIKind) {
        switch kind {
        case .secret: scanSecrets()
        case .email: scanEmails()
        case .iban: scanIBANs()
        case .card: scanCards()
        case .nationalID: scanNationalIDs()
        case .ip: scanIPs()
        case .phone: scanPhones()
        }
    }

    /// True when the byte before `index` glues a number to a preceding word, path or number (so `index` does not
    /// start a separate number): a letter, digit, `_`, `.`, `/`, `-`, `@`, `=`, `&`, `?`, `%`, `#` or `+`.
    func gluedBefore(_ index: Int) -> Bool {
        guard index > 0 else { return false }
        let previous = bytes[index - 1]
        if PIIDetector.isAlphanumeric(previous) { return true }
        switch previous {
        case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "@"),
             UInt8(ascii: "="), UInt8(ascii: "&"), UInt8(ascii: "?"), UInt8(ascii: "%"), UInt8(ascii: "#"),
             UInt8(ascii: "+"):
            return true
        default:
            return false
        }
    }

    /// True when the bytes from `index` continue a word or number: a letter, digit or `_`, or one of `.`, `-`, `/`,
    /// `,` followed by a digit.
    func gluedAfter(_ index: Int) -> Bool {
        guard index < count else { return false }
        let next = bytes[index]
        if PIIDetector.isAlphanumeric(next) || next == UInt8(ascii: "_") { return true }
        switch next {
        case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: ","):
            return PIIDetector.isDigit(byte(index + 1))
        default:
            return false
        }
    }

    /// The offsets of every occurrence of `literal`.
    func occurrences(of literal: [UInt8]) -> [Int] {
        var result: [Int] = []
        var start = 0
        while start + literal.count <= count {
            guard let relative = TextSearch.firstOffset(of: literal, in: UnsafeBufferPointer(rebasing: bytes[start...])) else { break }
            result.append(start + relative)
            start += relative + 1
        }
        return result
    }

    // MARK: Secrets

    /// Token prefixes, what they are, and how to read the rest.
    private enum TokenTail {
        /// At least `minimum` bytes of `[A-Za-z0-9_-]`, with at least one digit and one letter.
        case mixed(minimum: Int)
        /// Exactly `length` bytes of `[A-Z0-9]`.
        case upperAlphanumeric(length: Int)
        /// At least `minimum` bytes of `[A-Za-z0-9]`.
        case alphanumeric(minimum: Int)
        /// Exactly `length` bytes of `[A-Za-z0-9_-]`.
        case token(length: Int)
    }

    private static let tokenPrefixes: [(prefix: [UInt8], detail: String, tail: TokenTail)] = [
        (Array("sk-".utf8), "OpenAI-style key", .mixed(minimum: 20)),
        (Array("sk_live_".utf8), "Stripe key", .mixed(minimum: 16)),
        (Array("rk_live_".utf8), "Stripe key", .mixed(minimum: 16)),
        (Array("AKIA".utf8), "AWS access key", .upperAlphanumeric(length: 16)),
        (Array("ASIA".utf8), "AWS access key", .upperAlphanumeric(length: 16)),
        (Array("ghp_".utf8), "GitHub token", .alphanumeric(minimum: 36)),
        (Array("gho_".utf8), "GitHub token", .alphanumeric(minimum: 36)),
        (Array("ghs_".utf8), "GitHub token", .alphanumeric(minimum: 36)),
        (Array("ghu_".utf8), "GitHub token", .alphanumeric(minimum: 36)),
        (Array("ghr_".utf8), "GitHub token", .alphanumeric(minimum: 36)),
        (Array("github_pat_".utf8), "GitHub token", .mixed(minimum: 22)),
        (Array("xoxb-".utf8), "Slack token", .mixed(minimum: 10)),
        (Array("xoxa-".utf8), "Slack token", .mixed(minimum: 10)),
        (Array("xoxp-".utf8), "Slack token", .mixed(minimum: 10)),
        (Array("xoxr-".utf8), "Slack token", .mixed(minimum: 10)),
        (Array("xoxs-".utf8), "Slack token", .mixed(minimum: 10)),
        (Array("AIza".utf8), "Google API key", .token(length: 35)),
    ]

    private static let pemBegin = Array("-----BEGIN ".utf8)
    private static let pemPrivateKey = Array("PRIVATE KEY-----".utf8)
    private static let pemEnd = Array("-----END ".utf8)
    private static let pemDashes = Array("-----".utf8)
    private static let jwtStart = Array("eyJ".utf8)

    mutating func scanSecrets() {
        for (prefix, detail, tail) in Self.tokenPrefixes {
            for offset in occurrences(of: prefix) {
                // A prefix glued to a word (`task-...`, `MASIA...`) is not a token start.
                if offset > 0, PIIDetector.isTokenByte(bytes[offset - 1]) { continue }
                let start = offset + prefix.count
                var end = start
                while end < count, PIIDetector.isTokenByte(bytes[end]) { end += 1 }
                let length = end - start
                let valid: Bool
                switch tail {
                case .mixed(let minimum):
                    var digit = false, letter = false
                    for index in start..<end {
                        if PIIDetector.isDigit(bytes[index]) { digit = true } else if PIIDetector.isAlpha(bytes[index]) { letter = true }
                    }
                    valid = length >= minimum && digit && letter
                case .upperAlphanumeric(let expected):
                    valid = length == expected && (start..<end).allSatisfy {
                        PIIDetector.isUpper(bytes[$0]) || PIIDetector.isDigit(bytes[$0])
                    }
                case .alphanumeric(let minimum):
                    valid = length >= minimum && (start..<end).allSatisfy { PIIDetector.isAlphanumeric(bytes[$0]) }
                case .token(let expected):
                    valid = length == expected
                }
                if valid { add(.secret, offset..<end, detail: detail) }
            }
        }
        scanPrivateKeys()
        scanJWTs()
    }

    /// `-----BEGIN [RSA |EC |OPENSSH |DSA |ENCRYPTED ]PRIVATE KEY-----`, through the matching END line when
    /// present (so the key body is claimed too).
    mutating func scanPrivateKeys() {
        for offset in occurrences(of: Self.pemBegin) {
            var index = offset + Self.pemBegin.count
            let limit = min(count, index + 40)
            while index < limit, PIIDetector.isUpper(bytes[index]) || PIIDetector.isDigit(bytes[index]) || bytes[index] == 0x20 {
                if matches(Self.pemPrivateKey, at: index) { break }
                index += 1
            }
            guard matches(Self.pemPrivateKey, at: index) else { continue }
            var end = index + Self.pemPrivateKey.count
            let header = offset..<end
            // The footer is looked for within 16 KB (a 4096-bit RSA key is about 3.2 KB).
            let bodyLimit = min(count, end + 16_384)
            if let footer = TextSearch.firstOffset(of: Self.pemEnd, in: UnsafeBufferPointer(rebasing: bytes[end..<bodyLimit])) {
                let footerStart = end + footer
                let footerRest = UnsafeBufferPointer(rebasing: bytes[(footerStart + Self.pemEnd.count)..<min(count, footerStart + 80)])
                if let close = TextSearch.firstOffset(of: Self.pemDashes, in: footerRest) {
                    end = footerStart + Self.pemEnd.count + close + 5
                }
            }
            // The finding's value is the header; the body up to the footer is claimed with it.
            add(.secret, header, detail: "private key")
            if end > header.upperBound { claimed.append(header.upperBound..<end) }
        }
    }

    /// JSON Web Tokens: `eyJ...` (a base64url JSON header), `.`, `eyJ...` (a base64url JSON payload), `.`, and an
    /// optional base64url signature.
    mutating func scanJWTs() {
        for offset in occurrences(of: Self.jwtStart) {
            if offset > 0, PIIDetector.isTokenByte(bytes[offset - 1]) { continue }
            var index = offset
            func segment(_ index: inout Int) -> Int {
                let start = index
                while index < count, PIIDetector.isTokenByte(bytes[index]) { index += 1 }
                return index - start
            }
            guard segment(&index) >= 10, byte(index) == UInt8(ascii: "."), matches(Self.jwtStart, at: index + 1) else { continue }
            index += 1
            guard segment(&index) >= 10, byte(index) == UInt8(ascii: ".") else { continue }
            index += 1
            _ = segment(&index)
            add(.secret, offset..<index, detail: "JWT")
        }
    }

    /// Whether the bytes at `index` spell `literal`.
    func matches(_ literal: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + literal.count <= count else { return false }
        for offset in 0..<literal.count where bytes[index + offset] != literal[offset] { return false }
        return true
    }

    // MARK: E-mail

    /// `local@domain.tld`: the local part of letters, digits and `._%+-`, a domain of at least two labels of letters,
    /// digits and `-`, and a top-level label of at least two letters. Trailing dots and dashes are not part of it.
    mutating func scanEmails() {
        for at in occurrences(of: [UInt8(ascii: "@")]) {
            var start = at
            while start > 0, isLocalByte(bytes[start - 1]) { start -= 1 }
            while start < at, bytes[start] == UInt8(ascii: ".") { start += 1 }
            guard start < at else { continue }
            var end = at + 1
            while end < count, PIIDetector.isAlphanumeric(bytes[end]) || bytes[end] == UInt8(ascii: ".") || bytes[end] == UInt8(ascii: "-") {
                end += 1
            }
            while end > at + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
            guard validDomain(at + 1..<end) else { continue }
            add(.email, start..<end)
        }
    }

    private func isLocalByte(_ byte: UInt8) -> Bool {
        PIIDetector.isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }

    private func validDomain(_ range: Range<Int>) -> Bool {
        var labels = 0
        var labelStart = range.lowerBound
        var index = range.lowerBound
        while index <= range.upperBound {
            if index == range.upperBound || bytes[index] == UInt8(ascii: ".") {
                let label = labelStart..<index
                guard !label.isEmpty, bytes[label.lowerBound] != UInt8(ascii: "-"), bytes[label.upperBound - 1] != UInt8(ascii: "-") else {
                    return false
                }
                labels += 1
                if index == range.upperBound {
                    // The top-level domain: two or more letters.
                    return labels >= 2 && label.count >= 2 && label.allSatisfy { PIIDetector.isAlpha(bytes[$0]) }
                }
                labelStart = index + 1
            }
            index += 1
        }
        return false
    }

    // MARK: IBAN

    /// Two upper-case letters, two digits, then upper-case letters and digits (optionally in groups separated by
    /// single spaces), 15 to 34 characters in all, with a valid mod-97 checksum. When groups run on into following
    /// words, shorter group boundaries are tried, longest first.
    mutating func scanIBANs() {
        var index = 0
        while index + 4 <= count {
            defer { index += 1 }
            guard PIIDetector.isUpper(bytes[index]), PIIDetector.isUpper(bytes[index + 1]),
                  PIIDetector.isDigit(bytes[index + 2]), PIIDetector.isDigit(bytes[index + 3]),
                  index == 0 || !PIIDetector.isAlphanumeric(bytes[index - 1])
            else { continue }
            // Group ends (byte offset and characters so far) are where a shorter IBAN may end.
            digitBuffer.removeAll(keepingCapacity: true)
            groupBuffer.removeAll(keepingCapacity: true)
            var cursor = index
            while cursor < count, digitBuffer.count < 34 {
                let current = bytes[cursor]
                if PIIDetector.isUpper(current) || PIIDetector.isDigit(current) {
                    digitBuffer.append(current)
                    cursor += 1
                } else if current == 0x20, cursor + 1 < count,
                          PIIDetector.isUpper(bytes[cursor + 1]) || PIIDetector.isDigit(bytes[cursor + 1]) {
                    groupBuffer.append(cursor)
                    cursor += 1
                } else {
                    break
                }
            }
            if !PIIDetector.isAlphanumeric(byte(cursor)) { groupBuffer.append(cursor) }
            for end in groupBuffer.reversed() {
                // Characters before `end`: the bytes from `index` that are not spaces.
                var length = 0
                for position in index..<end where bytes[position] != 0x20 { length += 1 }
                guard length >= 15 else { break }
                if PIIDetector.ibanValid(digitBuffer[..<length]) {
                    add(.iban, index..<end)
                    index = end - 1
                    break
                }
            }
        }
    }

    // MARK: Cards

    /// 13 to 19 digits, optionally in groups of 3 to 6 separated by single spaces or dashes, starting with 2 to 6
    /// (the major networks' ranges), with a valid Luhn checksum.
    mutating func scanCards() {
        var index = 0
        while index < count {
            guard PIIDetector.isDigit(bytes[index]), !gluedBefore(index) else {
                index += 1
                continue
            }
            digitBuffer.removeAll(keepingCapacity: true)
            var groups = 1
            var groupsValid = true
            var groupLength = 0
            var cursor = index
            while cursor < count {
                let current = bytes[cursor]
                if PIIDetector.isDigit(current) {
                    digitBuffer.append(current)
                    groupLength += 1
                    cursor += 1
                } else if current == 0x20 || current == UInt8(ascii: "-"), PIIDetector.isDigit(byte(cursor + 1)) {
                    groups += 1
                    if !(3...6).contains(groupLength) { groupsValid = false }
                    groupLength = 0
                    cursor += 1
                } else {
                    break
                }
            }
            if groups > 1, !(3...6).contains(groupLength) { groupsValid = false }
            defer { index = cursor + 1 }
            guard (13...19).contains(digitBuffer.count), !gluedAfter(cursor),
                  (UInt8(ascii: "2")...UInt8(ascii: "6")).contains(digitBuffer[0]),
                  groupsValid, PIIDetector.luhnValid(digitBuffer)
            else { continue }
            add(.card, index..<cursor)
        }
    }

    // MARK: National ids

    /// US SSN `ddd-dd-dddd` (area not 000, 666 or 900-999; group not 00; serial not 0000) and UK National Insurance
    /// numbers (`AB123456C` or `AB 12 34 56 C`: two prefix letters with the invalid ones excluded, six digits, a
    /// suffix A-D).
    mutating func scanNationalIDs() {
        var index = 0
        while index < count {
            defer { index += 1 }
            let current = bytes[index]
            if PIIDetector.isDigit(current), !gluedBefore(index), let end = ssnEnd(at: index) {
                add(.nationalID, index..<end, detail: "US SSN")
                index = end
            } else if PIIDetector.isUpper(current), index == 0 || !PIIDetector.isAlphanumeric(bytes[index - 1]), let end = ninoEnd(at: index) {
                add(.nationalID, index..<end, detail: "UK NINO")
                index = end
            }
        }
    }

    private func digitsValue(_ range: Range<Int>) -> Int? {
        var value = 0
        for index in range {
            guard index < count, PIIDetector.isDigit(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] &- 0x30)
        }
        return value
    }

    private func ssnEnd(at index: Int) -> Int? {
        guard index + 11 <= count, bytes[index + 3] == UInt8(ascii: "-"), bytes[index + 6] == UInt8(ascii: "-"),
              let area = digitsValue(index..<index + 3), let group = digitsValue(index + 4..<index + 6),
              let serial = digitsValue(index + 7..<index + 11),
              !gluedAfter(index + 11)
        else { return nil }
        guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return nil }
        return index + 11
    }

    private static let ninoInvalidFirst: Set<UInt8> = Set("DFIQUV".utf8)
    private static let ninoInvalidSecond: Set<UInt8> = Set("DFIOQUV".utf8)
    private static let ninoInvalidPrefixes: Set<[UInt8]> = Set(["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].map { Array($0.utf8) })

    private func ninoEnd(at index: Int) -> Int? {
        guard index + 9 <= count else { return nil }
        let first = bytes[index], second = bytes[index + 1]
        guard PIIDetector.isUpper(second), !Self.ninoInvalidFirst.contains(first), !Self.ninoInvalidSecond.contains(second),
              !Self.ninoInvalidPrefixes.contains([first, second])
        else { return nil }
        var cursor = index + 2
        // Either all separators are single spaces or there are none.
        let spaced = byte(cursor) == 0x20
        for _ in 0..<3 {
            if spaced {
                guard byte(cursor) == 0x20 else { return nil }
                cursor += 1
            }
            guard PIIDetector.isDigit(byte(cursor)), PIIDetector.isDigit(byte(cursor + 1)) else { return nil }
            cursor += 2
        }
        if spaced {
            guard byte(cursor) == 0x20 else { return nil }
            cursor += 1
        }
        guard (UInt8(ascii: "A")...UInt8(ascii: "D")).contains(byte(cursor)) else { return nil }
        cursor += 1
        guard !PIIDetector.isAlphanumeric(byte(cursor)) else { return nil }
        return cursor
    }

    // MARK: IP addresses

    mutating func scanIPs() {
        var index = 0
        while index < count {
            let current = bytes[index]
            let startsHere = index == 0 || !(PIIDetector.isAlphanumeric(bytes[index - 1]) || bytes[index - 1] == UInt8(ascii: ".")
                || bytes[index - 1] == UInt8(ascii: ":") || bytes[index - 1] == UInt8(ascii: "_"))
            guard startsHere, PIIDetector.isHex(current) || (current == UInt8(ascii: ":") && byte(index + 1) == UInt8(ascii: ":")) else {
                index += 1
                continue
            }
            if let end = ipv6End(at: index) {
                add(.ip, index..<end, detail: "IPv6")
                index = end
            } else if PIIDetector.isDigit(current), let end = ipv4End(at: index) {
                add(.ip, index..<end, detail: "IPv4")
                index = end
            } else {
                // Skip the rest of this run of address characters.
                index += 1
                while index < count, PIIDetector.isAlphanumeric(bytes[index]) { index += 1 }
            }
        }
    }

    /// Four decimal octets 0-255 without leading zeros, not part of a longer dotted number.
    private func ipv4End(at index: Int) -> Int? {
        var cursor = index
        for octet in 0..<4 {
            if octet > 0 {
                guard byte(cursor) == UInt8(ascii: ".") else { return nil }
                cursor += 1
            }
            let start = cursor
            var value = 0
            while cursor < count, cursor - start < 3, PIIDetector.isDigit(bytes[cursor]) {
                value = value * 10 + Int(bytes[cursor] &- 0x30)
                cursor += 1
            }
            let length = cursor - start
            guard length > 0, value <= 255, length == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        }
        guard !gluedAfter(cursor), byte(cursor) != UInt8(ascii: ":") || !PIIDetector.isHex(byte(cursor + 1)) else { return nil }
        return cursor
    }

    /// Colon-separated groups of 1-4 hex digits: eight groups, or fewer with one `::`, the last two groups possibly
    /// written as an IPv4 address. At least two groups and one decimal digit are required, so `std::` or `Bad::Add`
    /// do not count, and times such as `10:30:00` (three groups, no `::`) do not either.
    private func ipv6End(at index: Int) -> Int? {
        var end = index
        while end < count, PIIDetector.isHex(bytes[end]) || bytes[end] == UInt8(ascii: ":") || bytes[end] == UInt8(ascii: ".") { end += 1 }
        // Trailing sentence punctuation is not part of the address.
        while end > index, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        if end > index + 1, bytes[end - 1] == UInt8(ascii: ":"), bytes[end - 2] != UInt8(ascii: ":") { end -= 1 }
        guard end > index, !PIIDetector.isAlphanumeric(byte(end)), validIPv6(index..<end) else { return nil }
        return end
    }

    private func validIPv6(_ range: Range<Int>) -> Bool {
        var groups = 0
        var compressed = false
        var sawDecimalDigit = false
        var cursor = range.lowerBound
        if matches(Array("::".utf8), at: cursor) {
            compressed = true
            cursor += 2
        }
        while cursor < range.upperBound {
            let start = cursor
            while cursor < range.upperBound, PIIDetector.isHex(bytes[cursor]) {
                if PIIDetector.isDigit(bytes[cursor]) { sawDecimalDigit = true }
                cursor += 1
            }
            if cursor < range.upperBound, bytes[cursor] == UInt8(ascii: ".") {
                // An embedded IPv4 address ends the address and counts as two groups.
                guard let end = ipv4End(at: start), end == range.upperBound else { return false }
                groups += 2
                sawDecimalDigit = true
                break
            }
            let length = cursor - start
            guard (1...4).contains(length) else { return false }
            groups += 1
            if cursor == range.upperBound { break }
            // A colon; a second one marks the compression.
            cursor += 1
            if cursor < range.upperBound, bytes[cursor] == UInt8(ascii: ":") {
                guard !compressed else { return false }
                compressed = true
                cursor += 1
            } else if cursor == range.upperBound {
                return false
            }
        }
        guard sawDecimalDigit, groups >= 2 else { return false }
        return compressed ? groups <= 7 : groups == 8
    }

    // MARK: Phones

    /// One digit group of a phone candidate.
    private struct Group {
        /// Where the group starts (at its `(` when it is parenthesised).
        var start: Int
        /// Where it ends (after its `)` when it is parenthesised).
        var end: Int
        /// How many digits it holds.
        var digits: Int
        /// Its first digit.
        var firstDigit: UInt8
        /// Its second digit, if it has one.
        var secondDigit: UInt8?
    }

    /// The most groups a phone number is written in (`+33 1 23 45 67 89`).
    private static let maxPhoneGroups = 6

    /// Runs of digit groups joined by single spaces, dashes, dots or parentheses, optionally after `+`, judged by
    /// their shape: international (`+` and 8-15 digits not starting with 0, or `00` and 8-15 more in several
    /// groups), North American (3-3-4 groups, optionally after `1`, the area code starting with 2-9), or national
    /// with a trunk prefix (10 or 11 digits starting with `0` and a non-zero digit). When a whole run is not a phone
    /// number, its sub-runs of up to six groups are tried, earliest and longest first. Plain years, short numbers,
    /// dates (`2024-01-15`, `15.01.2024`) and 7-digit local numbers are not phone numbers.
    mutating func scanPhones() {
        let plusSign = UInt8(ascii: "+"), open = UInt8(ascii: "("), close = UInt8(ascii: ")")
        var index = 0
        while index < count {
            let current = bytes[index]
            let plus = current == plusSign
            let first = plus ? index + 1 : index
            let isStart = PIIDetector.isDigit(byte(first)) || (byte(first) == open && PIIDetector.isDigit(byte(first + 1)))
            guard isStart, !gluedBefore(index) else {
                index += 1
                continue
            }
            // Borrow the scratch buffer (swapped out, so it is uniquely referenced and keeps its capacity).
            var groups: [Group] = []
            swap(&groups, &phoneGroups)
            groups.removeAll(keepingCapacity: true)
            defer { swap(&groups, &phoneGroups) }
            var inGroup = false
            var openParen = false
            var pendingStart: Int?
            var cursor = first
            while cursor < count {
                let byte = bytes[cursor]
                if PIIDetector.isDigit(byte) {
                    if inGroup {
                        let last = groups.count - 1
                        if groups[last].digits == 1 { groups[last].secondDigit = byte }
                        groups[last].end = cursor + 1
                        groups[last].digits += 1
                    } else {
                        groups.append(Group(start: pendingStart ?? cursor, end: cursor + 1, digits: 1, firstDigit: byte))
                        inGroup = true
                        pendingStart = nil
                    }
                    cursor += 1
                } else if byte == open, !openParen, !inGroup, PIIDetector.isDigit(self.byte(cursor + 1)) {
                    openParen = true
                    pendingStart = cursor
                    cursor += 1
                } else if byte == close, openParen, inGroup {
                    openParen = false
                    inGroup = false
                    groups[groups.count - 1].end = cursor + 1
                    cursor += 1
                    let next = self.byte(cursor)
                    if next == 0x20 || next == UInt8(ascii: "-"), PIIDetector.isDigit(self.byte(cursor + 1)) { cursor += 1 }
                    guard PIIDetector.isDigit(self.byte(cursor)) else { break }
                } else if byte == 0x20 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "."), inGroup, !openParen,
                          PIIDetector.isDigit(self.byte(cursor + 1)) || (self.byte(cursor + 1) == open && PIIDetector.isDigit(self.byte(cursor + 2))) {
                    inGroup = false
                    cursor += 1
                } else {
                    break
                }
            }
            // An unclosed parenthesis ends the run before it.
            if openParen, let last = groups.last, bytes[last.start] == open { groups.removeLast() }
            let runEnd = groups.last?.end ?? cursor
            if let found = firstPhone(in: groups, plusAt: plus ? index : nil) {
                add(.phone, found)
            }
            index = max(runEnd, index + 1)
        }
    }

    /// The first window of groups (earliest start, then longest) that is a phone number.
    private func firstPhone(in groups: [Group], plusAt plus: Int?) -> Range<Int>? {
        for first in groups.indices {
            let start = first == 0 ? (plus ?? groups[0].start) : groups[first].start
            if first > 0, gluedBefore(start) { continue }
            let lastAllowed = min(groups.count - 1, first + Self.maxPhoneGroups - 1)
            for last in stride(from: lastAllowed, through: first, by: -1) {
                let end = groups[last].end
                if gluedAfter(end) { continue }
                if isPhone(groups[first...last], plus: first == 0 && plus != nil) { return start..<end }
            }
        }
        return nil
    }

    private func isPhone(_ groups: ArraySlice<Group>, plus: Bool) -> Bool {
        guard let head = groups.first else { return false }
        let digits = groups.reduce(0) { $0 + $1.digits }
        let zero = UInt8(ascii: "0")
        if plus { return (8...15).contains(digits) && head.firstDigit != zero }
        let second = head.secondDigit ?? groups.dropFirst().first?.firstDigit
        guard let second else { return false }
        if head.firstDigit == zero, second == zero { return (10...17).contains(digits) && groups.count > 1 }
        if head.firstDigit == zero { return (10...11).contains(digits) }
        let lengths = groups.map(\.digits)
        if lengths == [3, 3, 4] { return head.firstDigit >= UInt8(ascii: "2") }
        if lengths == [1, 3, 3, 4] {
            return head.firstDigit == UInt8(ascii: "1") && groups[groups.startIndex + 1].firstDigit >= UInt8(ascii: "2")
        }
        return false
    }
}
