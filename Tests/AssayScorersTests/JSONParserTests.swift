import AssayCore
import Foundation
import Testing
@testable import AssayScorers

@Suite("JSON parser")
struct JSONParserTests {
    /// (text, the value it parses to)
    static let valid: [(String, JSONValue)] = [
        ("null", .null), ("true", .bool(true)), (" false ", .bool(false)),
        ("0", .number(0)), ("-0.5", .number(-0.5)), ("12.5e2", .number(1250)), ("1E-3", .number(0.001)),
        ("123456789012345678901234", .number(1.2345678901234568e23)), ("0.1", .number(0.1)),
        (#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#, .string("a\"b\\c/d\n\té😀")),
        (#""\ud800""#, .string("\u{FFFD}")),
        ("[]", .array([])), ("[1, [2, []]]", .array([.number(1), .array([.number(2), .array([])])])),
        (#"{"a": {"b": [true, null]}, "c": "d"}"#, .object(["a": .object(["b": .array([.bool(true), .null])]), "c": .string("d")])),
        (#"{"a": 1, "a": 2}"#, .object(["a": .number(2)])),
        ("\n\t{ }\r\n", .object([:])),
    ]

    @Test("valid JSON parses to the right value", arguments: valid)
    func parsesValid(text: String, value: JSONValue) throws {
        #expect(try JSONParser.parse(text) == value)
    }

    @Test("numbers agree with Foundation's parser", arguments: [
        "3.14159", "2.5e-308", "1.7976931348623157e308", "9007199254740993", "0.30000000000000004", "-123.456e7",
        "5e-324", "1e22", "1e23", "123456.789012",
    ])
    func numbersMatchFoundation(text: String) throws {
        #expect(try JSONParser.parse(text) == .number(try #require(Double(text))))
    }

    /// (text, the start of the error message, line, column)
    static let invalid: [(String, String, Int, Int)] = [
        ("", "unexpected end of text", 1, 1),
        ("{\"a\": 1,}", "unexpected character '}', expected a property name", 1, 9),
        ("[1, 2", "unexpected end of text, expected ',' or ']'", 1, 6),
        ("{\n  \"a\": tru\n}", "invalid literal", 2, 8),
        ("01", "invalid number: leading zero", 1, 1),
        ("1.", "invalid number: no digits after '.'", 1, 1),
        ("\"abc", "unterminated string", 1, 1),
        ("\"a\u{1}\"", "unescaped control character", 1, 3),
        ("\"\\x\"", "invalid escape", 1, 2),
        ("{'a': 1}", "unexpected character ''', expected a property name", 1, 2),
        ("Sure! {\"a\": 1}", "unexpected character 'S', expected a value", 1, 1),
        ("{} {}", "unexpected character '{' after the JSON value", 1, 4),
        ("NaN", "unexpected character 'N'", 1, 1),
        ("[1e999]", "number out of range", 1, 2),
        ("[1,]", "unexpected character ']', expected a value", 1, 4),
    ]

    @Test("invalid JSON reports what and where", arguments: invalid)
    func rejectsInvalid(text: String, message: String, line: Int, column: Int) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            guard let failure = error as? JSONParser.Failure else { return false }
            return failure.message.hasPrefix(message) && failure.line == line && failure.column == column
        }
    }

    @Test("deep nesting is an error, not a crash")
    func deepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try JSONParser.parse(fine) }
    }

    @Test("agrees with JSONValue.parse on a realistic document")
    func agreesWithCore() throws {
        let text = #"{"order": {"id": "AB-1234", "items": [{"sku": "A1", "price": 12.5, "qty": 2}], "paid": true, "note": null, "tags": ["a", "é"]}}"#
        #expect(try JSONParser.parse(text) == (try JSONValue.parse(text)))
    }

    @Test("fenced blocks are found", arguments: [
        ("Here:\n```json\n{\"a\": 1}\n```\nDone", "{\"a\": 1}\n"),
        ("```\n[1]\n```", "[1]\n"),
        ("``` json\n{}\n", "{}\n"),
        ("```json {\"a\": 1}```", " {\"a\": 1}"),
    ] as [(String, String)])
    func fencedBlocks(text: String, content: String) throws {
        #expect(try #require(FencedBlock.firstContent(in: text)) == Substring(content))
    }

    @Test("text without a fence has no fenced block")
    func noFence() {
        #expect(FencedBlock.firstContent(in: "{\"a\": 1}") == nil)
    }
}
