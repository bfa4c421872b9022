import AssayCore

/// A small, strict JSON parser (RFC 8259) from UTF-8 bytes straight into `JSONValue`: several times faster than
/// `JSONDecoder` on the scoring hot path, with errors that say where the text went wrong.
///
/// Nesting deeper than `maxDepth` is an error rather than a stack overflow; invalid UTF-8 in strings is repaired
/// with U+FFFD.
enum JSONParser {
    /// Arrays and objects nested deeper than this are rejected.
    static let maxDepth = 256

    /// Why text is not JSON, and where.
    struct Failure: Error, Sendable, CustomStringConvertible {
        /// What was wrong.
        let message: String
        /// Byte offset in the UTF-8 text.
        let offset: Int
        /// 1-based line.
        let line: Int
        /// 1-based column (in bytes).
        let column: Int

        /// `message at line L, column C`.
        var description: String { "\(message) at line \(line), column \(column)" }
    }

    /// Parses JSON text.
    /// - Parameter text: The text.
    /// - Returns: The value.
    /// - Throws: `Failure`.
    static func parse(_ text: String) throws(Failure) -> JSONValue {
        var text = text
        text.makeContiguousUTF8()
        let result: Result<JSONValue, Failure>? = text.utf8.withContiguousStorageIfAvailable { buffer in
            var reader = Reader(bytes: buffer)
            return Result { () throws(Failure) -> JSONValue in try reader.document() }
        }
        switch result {
        case .success(let value)?: return value
        case .failure(let failure)?: throw failure
        case nil:
            let bytes = Array(text.utf8)
            let fallback: Result<JSONValue, Failure> = bytes.withUnsafeBufferPointer { buffer in
                var reader = Reader(bytes: buffer)
                return Result { () throws(Failure) -> JSONValue in try reader.document() }
            }
            return try fallback.get()
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        var depth = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func document() throws(Failure) -> JSONValue {
            skipWhitespace()
            let value = try parseValue()
            skipWhitespace()
            if position < bytes.count { throw failure("unexpected \(describeByte(at: position)) after the JSON value") }
            return value
        }

        func failure(_ message: String, at offset: Int? = nil) -> Failure {
            let offset = min(offset ?? position, bytes.count)
            var line = 1, lineStart = 0
            var index = 0
            while index < offset {
                if bytes[index] == 0x0A {
                    line += 1
                    lineStart = index + 1
                }
                index += 1
            }
            return Failure(message: message, offset: offset, line: line, column: offset - lineStart + 1)
        }

        func describeByte(at offset: Int) -> String {
            guard offset < bytes.count else { return "end of text" }
            let byte = bytes[offset]
            if byte >= 0x21 && byte < 0x7F { return "character '\(Character(Unicode.Scalar(byte)))'" }
            let hex = String(byte, radix: 16, uppercase: true)
            return "byte 0x" + (hex.count < 2 ? "0" + hex : hex)
        }

        @inline(__always)
        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        mutating func parseValue() throws(Failure) -> JSONValue {
            guard position < bytes.count else { throw failure("unexpected end of text, expected a value") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try parseObject()
            case UInt8(ascii: "["): return try parseArray()
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
            default: throw failure("unexpected \(describeByte(at: position)), expected a value")
            }
        }

        mutating func literal(_ word: StaticString) throws(Failure) {
            let count = word.utf8CodeUnitCount
            let start = position
            guard position + count <= bytes.count else { throw failure("invalid literal, expected '\(word)'", at: start) }
            let matches = word.withUTF8Buffer { wordBytes in
                (0..<count).allSatisfy { bytes[start + $0] == wordBytes[$0] }
            }
            guard matches else { throw failure("invalid literal, expected '\(word)'", at: start) }
            position += count
        }

        mutating func enter() throws(Failure) {
            depth += 1
            if depth > JSONParser.maxDepth { throw failure("nested deeper than \(JSONParser.maxDepth) levels") }
        }

        mutating func parseObject() throws(Failure) -> JSONValue {
            try enter()
            position += 1
            var object = [String: JSONValue](minimumCapacity: 8)
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                depth -= 1
                return .object(object)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw failure("unexpected \(describeByte(at: position)), expected a property name in double quotes")
                }
                let key = try parseString()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw failure("unexpected \(describeByte(at: position)), expected ':' after a property name")
                }
                position += 1
                skipWhitespace()
                object[key] = try parseValue()
                skipWhitespace()
                guard position < bytes.count else { throw failure("unexpected end of text, expected ',' or '}'") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                if bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    depth -= 1
                    return .object(object)
                }
                throw failure("unexpected \(describeByte(at: position)), expected ',' or '}'")
            }
        }

        mutating func parseArray() throws(Failure) -> JSONValue {
            try enter()
            position += 1
            var array: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                depth -= 1
                return .array(array)
            }
            while true {
                skipWhitespace()
                array.append(try parseValue())
                skipWhitespace()
                guard position < bytes.count else { throw failure("unexpected end of text, expected ',' or ']'") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    depth -= 1
                    return .array(array)
                }
                throw failure("unexpected \(describeByte(at: position)), expected ',' or ']'")
            }
        }

        mutating func parseString() throws(Failure) -> String {
            let start = position
            position += 1
            let contentStart = position
            // Fast path: no escapes.
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<position]), as: UTF8.self)
                    position += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw failure("unescaped control character in a string") }
                position += 1
            }
            guard position < bytes.count else { throw failure("unterminated string", at: start) }
            // Slow path: escapes.
            var buffer = Array(UnsafeBufferPointer(rebasing: bytes[contentStart..<position]))
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return String(decoding: buffer, as: UTF8.self)
                }
                if byte < 0x20 { throw failure("unescaped control character in a string") }
                if byte != UInt8(ascii: "\\") {
                    buffer.append(byte)
                    position += 1
                    continue
                }
                position += 1
                guard position < bytes.count else { throw failure("unterminated string", at: start) }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): buffer.append(0x22)
                case UInt8(ascii: "\\"): buffer.append(0x5C)
                case UInt8(ascii: "/"): buffer.append(0x2F)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        // A high surrogate must be followed by an escaped low surrogate.
                        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                            let save = position
                            position += 2
                            let low = try hex4()
                            if (0xDC00..<0xE000).contains(low) {
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                position = save
                                code = 0xFFFD
                            }
                        } else {
                            code = 0xFFFD
                        }
                    } else if (0xDC00..<0xE000).contains(code) {
                        code = 0xFFFD
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    buffer.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    throw failure("invalid escape '\\\(Character(Unicode.Scalar(escape)))' in a string", at: position - 2)
                }
            }
            throw failure("unterminated string", at: start)
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard position + 4 <= bytes.count else { throw failure("incomplete \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw failure("invalid \\u escape")
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        /// Exact powers of ten representable as Double (Clinger's fast path).
        static let powersOfTen: [Double] = (0...22).map { exponent in
            var value = 1.0
            for _ in 0..<exponent { value *= 10 }
            return value
        }

        mutating func parseNumber() throws(Failure) -> Double {
            let start = position
            var negative = false
            if bytes[position] == UInt8(ascii: "-") {
                negative = true
                position += 1
            }
            var mantissa: UInt64 = 0
            var digits = 0
            var exponent = 0
            guard position < bytes.count, isDigit(bytes[position]) else { throw failure("invalid number", at: start) }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
                if position < bytes.count, isDigit(bytes[position]) { throw failure("invalid number: leading zero", at: start) }
            } else {
                while position < bytes.count, isDigit(bytes[position]) {
                    if digits < 19 {
                        mantissa = mantissa &* 10 &+ UInt64(bytes[position] - 0x30)
                        digits += 1
                    } else {
                        exponent += 1
                        digits += 1
                    }
                    position += 1
                }
            }
            var exact = digits <= 19
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard position < bytes.count, isDigit(bytes[position]) else { throw failure("invalid number: no digits after '.'", at: start) }
                while position < bytes.count, isDigit(bytes[position]) {
                    if digits < 19 {
                        mantissa = mantissa &* 10 &+ UInt64(bytes[position] - 0x30)
                        exponent -= 1
                        if mantissa != 0 || digits > 0 { digits += 1 }
                    } else {
                        exact = false
                    }
                    position += 1
                }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                position += 1
                var exponentNegative = false
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                    exponentNegative = bytes[position] == UInt8(ascii: "-")
                    position += 1
                }
                guard position < bytes.count, isDigit(bytes[position]) else { throw failure("invalid number: no digits in the exponent", at: start) }
                var explicit = 0
                while position < bytes.count, isDigit(bytes[position]) {
                    if explicit < 100_000 { explicit = explicit * 10 + Int(bytes[position] - 0x30) }
                    position += 1
                }
                exponent += exponentNegative ? -explicit : explicit
            }
            // Clinger's fast path: an exactly representable mantissa times an exact power of ten rounds correctly.
            if exact, mantissa <= (1 << 53), abs(exponent) <= 22 {
                var value = Double(mantissa)
                value = exponent < 0 ? value / Reader.powersOfTen[-exponent] : value * Reader.powersOfTen[exponent]
                return negative ? -value : value
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let value = Double(text) else { throw failure("invalid number", at: start) }
            guard value.isFinite else { throw failure("number out of range", at: start) }
            return value
        }

        @inline(__always)
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    }
}
