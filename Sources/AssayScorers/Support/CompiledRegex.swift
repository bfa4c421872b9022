import Foundation

/// A regular expression compiled once (ICU syntax, through `NSRegularExpression`).
///
/// `NSRegularExpression` is immutable and documented as safe to use from many threads.
struct CompiledRegex: @unchecked Sendable {
    /// The pattern as configured.
    let pattern: String
    /// The flag letters as configured (`i`, `m`, `s`, `x`, `w`).
    let flags: String
    private let regex: NSRegularExpression
    /// A literal every match must contain, when the pattern has one: text without it cannot match, so the
    /// (costly, on Linux) bridge to `NSRegularExpression` is skipped.
    let requiredLiteral: [UInt8]?

    /// The flag letters and what they switch on.
    static let flagLetters: [Character: (NSRegularExpression.Options, String)] = [
        "i": (.caseInsensitive, "ignore case"),
        "m": (.anchorsMatchLines, "^ and $ match at line breaks"),
        "s": (.dotMatchesLineSeparators, ". matches line breaks"),
        "x": (.allowCommentsAndWhitespace, "whitespace and # comments in the pattern are ignored"),
        "w": (.useUnicodeWordBoundaries, "Unicode word boundaries for \\b"),
    ]

    /// What went wrong compiling.
    enum Failure: Error {
        case unknownFlag(Character)
        case invalidPattern(String)
    }

    /// Compiles a pattern.
    /// - Parameters:
    ///   - pattern: ICU regular expression syntax.
    ///   - flags: Flag letters.
    /// - Throws: `Failure`.
    init(pattern: String, flags: String = "") throws(Failure) {
        var options: NSRegularExpression.Options = []
        for letter in flags where letter != " " {
            guard let (option, _) = CompiledRegex.flagLetters[letter] else { throw .unknownFlag(letter) }
            options.insert(option)
        }
        do {
            regex = try NSRegularExpression(pattern: pattern, options: options)
        } catch {
            throw .invalidPattern(error.localizedDescription)
        }
        self.pattern = pattern
        self.flags = String(flags.filter { $0 != " " })
        self.requiredLiteral = CompiledRegex.requiredLiteral(in: pattern, flags: self.flags).map { Array($0.utf8) }
    }

    /// `/pattern/flags`, for explanations.
    var display: String { "/\(pattern)/\(flags)" }

    /// The first match in `text`: its character offset and the matched text.
    func firstMatch(in text: String) -> (offset: Int, text: Substring)? {
        if let requiredLiteral, !TextSearch.contains(requiredLiteral, in: text) { return nil }
        let utf16Count = text.utf16.count
        guard let result = regex.firstMatch(in: text, options: [], range: NSRange(location: 0, length: utf16Count)),
              let range = Range(result.range, in: text)
        else { return nil }
        return (text.distance(from: text.startIndex, to: range.lowerBound), text[range])
    }

    /// True when the pattern matches somewhere in `text`.
    func matches(_ text: String) -> Bool {
        if let requiredLiteral, !TextSearch.contains(requiredLiteral, in: text) { return false }
        return regex.firstMatch(in: text, options: [], range: NSRange(location: 0, length: text.utf16.count)) != nil
    }

    /// The longest run of literal characters that every match of `pattern` must contain, or nil when there is none
    /// of at least two characters or the pattern is beyond this conservative analysis.
    ///
    /// Only top-level literals count: groups and classes are skipped whole, a literal followed by `?`, `*` or a
    /// `{0,...}` quantifier is optional and dropped, and a run ends at any other quantifier, escape class, anchor or
    /// group. Top-level alternation, inline flags or comments (`(?i)`, `(?#...)`), the `i` and `x` flags and
    /// escapes other than escaped punctuation and simple class letters give up (nil), so a nil result only costs
    /// speed, never correctness.
    static func requiredLiteral(in pattern: String, flags: String) -> String? {
        if flags.contains("i") || flags.contains("x") || pattern.contains("(?#") { return nil }
        let scalars = Array(pattern.unicodeScalars)
        var runs: [[Unicode.Scalar]] = []
        var run: [Unicode.Scalar] = []
        func endRun() {
            if !run.isEmpty { runs.append(run) }
            run = []
        }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "|":
                return nil
            case "(":
                if index + 1 < scalars.count, scalars[index + 1] == "?" {
                    let next: Unicode.Scalar = index + 2 < scalars.count ? scalars[index + 2] : " "
                    // Inline flags such as (?i) change how later literals match.
                    guard [":", "=", "!", ">", "<"].contains(next) else { return nil }
                }
                endRun()
                guard let close = closingParenthesis(scalars, from: index) else { return nil }
                index = close + 1
            case "[":
                endRun()
                guard let close = closingBracket(scalars, from: index) else { return nil }
                index = close + 1
            case ".", "^", "$", "+":
                endRun()
                index += 1
            case "?", "*":
                if !run.isEmpty { run.removeLast() }
                endRun()
                index += 1
            case "{":
                guard let close = scalars[index...].firstIndex(of: "}") else { return nil }
                let interval = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
                let bounds = interval.split(separator: ",", omittingEmptySubsequences: false)
                guard (1...2).contains(bounds.count), let minimum = Int(bounds[0]),
                      bounds.count == 1 || bounds[1].isEmpty || Int(bounds[1]) != nil
                else { return nil }
                if minimum == 0, !run.isEmpty { run.removeLast() }
                endRun()
                index = close + 1
            case "\\":
                guard index + 1 < scalars.count else { return nil }
                let escaped = scalars[index + 1]
                if escaped.isASCII, !escaped.properties.isAlphabetic, !("0"..."9").contains(escaped) {
                    run.append(escaped)
                } else if escaped.isASCII, "dDwWsSbBAzZGntrfeahHvVRX".unicodeScalars.contains(escaped) {
                    endRun()
                } else {
                    return nil
                }
                index += 2
            default:
                run.append(scalar)
                index += 1
            }
        }
        endRun()
        guard let longest = runs.max(by: { $0.count < $1.count }), longest.count >= 2 else { return nil }
        return String(String.UnicodeScalarView(longest))
    }

    /// The index of the `)` closing the group opened at `start`, skipping escapes and classes.
    private static func closingParenthesis(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var depth = 0
        var index = start
        while index < scalars.count {
            switch scalars[index] {
            case "\\": index += 2; continue
            case "[":
                guard let close = closingBracket(scalars, from: index) else { return nil }
                index = close + 1
                continue
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index += 1
        }
        return nil
    }

    /// The index of the `]` closing the class opened at `start` (ICU classes nest), skipping escapes.
    private static func closingBracket(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var depth = 0
        var index = start
        while index < scalars.count {
            switch scalars[index] {
            case "\\": index += 2; continue
            case "[": depth += 1
            case "]":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index += 1
        }
        return nil
    }
}
