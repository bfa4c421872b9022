import Foundation
import Mustache

/// A strict Mustache template: every variable it uses must be provided, or rendering fails before anything is sent.
///
/// Wraps swift-mustache for rendering and adds the check it lacks: a `{{name}}` that the variables do not provide
/// is an error naming the variable (a model never receives a literal `{{name}}` or a silent blank). Sections
/// (`{{#name}}...{{/name}}`, `{{^name}}...{{/name}}`) may name absent values; that is how optional parts are written.
public struct TextTemplate: Sendable {
    /// How rendered values are escaped.
    public enum Escaping: Sendable {
        /// Values are inserted as they are (prompts).
        case none
        /// Values are escaped for the inside of a JSON string literal (request bodies).
        case json
    }

    /// The template text as written.
    public let text: String
    /// Where the template starts, for error messages.
    public let location: SourceLocation
    private let template: MustacheTemplate
    private let references: [Reference]

    struct Section: Sendable {
        let name: String
        let inverted: Bool
    }

    struct Reference: Sendable {
        let name: String
        let enclosingSections: [Section]
        let line: Int
    }

    /// Parses a template.
    /// - Parameters:
    ///   - text: Mustache text.
    ///   - location: Where it comes from (the line of its first character).
    ///   - escaping: How values are escaped when rendered.
    /// - Throws: `AssayError` (config) for a syntax error or an unsupported tag (partials, delimiter changes).
    public init(_ text: String, location: SourceLocation, escaping: Escaping = .none) throws {
        self.text = text
        self.location = location
        self.references = try Self.scan(text, location: location)
        let pragma: String
        switch escaping {
        case .none: pragma = "{{%CONTENT_TYPE:TEXT}}"
        case .json: pragma = "{{%CONTENT_TYPE:\(JSONStringContentType.register())}}"
        }
        do {
            self.template = try MustacheTemplate(string: pragma + text)
        } catch let error as MustacheTemplate.ParserError {
            var at = location
            at.line = (location.line ?? 1) + error.context.lineNumber - 1
            throw AssayError.config("template syntax error: \(error.error)", at: at)
        } catch {
            throw AssayError.config("template syntax error: \(error)", at: location)
        }
    }

    /// The top-level variable names the template uses (outside any section), sorted.
    public var variableNames: [String] {
        Array(Set(references.filter { $0.enclosingSections.isEmpty }.map(\.name))).sorted()
    }

    /// The variables the template needs that `variables` does not provide. A null value counts as missing. A
    /// variable inside `{{#section}}` is checked only when the section renders (its value is present and truthy)
    /// and may resolve against the section's value (on every element of a list); inside `{{^section}}` it is
    /// checked only when the section's value is absent or falsy.
    /// - Parameter variables: The values available.
    /// - Returns: Missing names with the line each is used on, in template order.
    public func missingVariables(in variables: [String: JSONValue]) -> [(name: String, line: Int)] {
        let root = JSONValue.object(variables)
        func present(_ value: JSONValue?) -> Bool {
            guard let value else { return false }
            return value != .null
        }
        func truthy(_ value: JSONValue?) -> Bool {
            switch value {
            case nil, .null?, .bool(false)?: return false
            case .array(let elements)?: return !elements.isEmpty
            default: return true
            }
        }
        var missing: [(String, Int)] = []
        for reference in references where reference.name != "." {
            // Skip references in parts that do not render for these values.
            let rendered = reference.enclosingSections.allSatisfy { section in
                truthy(root.value(atPath: section.name)) != section.inverted
            }
            guard rendered else { continue }
            if present(root.value(atPath: reference.name)) { continue }
            let resolvedInSection = reference.enclosingSections.contains { section in
                guard !section.inverted, let value = root.value(atPath: section.name) else { return false }
                switch value {
                case .object: return present(value.value(atPath: reference.name))
                case .array(let elements): return !elements.isEmpty && elements.allSatisfy { present($0.value(atPath: reference.name)) }
                default: return false
                }
            }
            if !resolvedInSection && !missing.contains(where: { $0.0 == reference.name }) {
                missing.append((reference.name, reference.line))
            }
        }
        return missing
    }

    /// Renders the template.
    /// - Parameters:
    ///   - variables: The values.
    ///   - caseID: The case being rendered, for the error message.
    /// - Returns: The rendered text.
    /// - Throws: `AssayError` (dataset) naming each missing variable.
    public func render(_ variables: [String: JSONValue], caseID: String? = nil) throws -> String {
        let missing = missingVariables(in: variables)
        if let first = missing.first {
            let names = missing.map { "'\($0.name)'" }.joined(separator: ", ")
            let who = caseID.map { "case '\($0)' does not provide" } ?? "no value for"
            var at = location
            at.line = first.line
            throw AssayError(
                .dataset, "\(who) template variable \(names); add it to the case's input or remove it from the template",
                location: at
            )
        }
        return template.render(variables.compactMapValues(MustacheValue.make))
    }

    // MARK: - Tag scanning

    private static func scan(_ text: String, location: SourceLocation) throws -> [Reference] {
        var references: [Reference] = []
        var sections: [Section] = []
        var line = location.line ?? 1
        var index = text.startIndex
        func lineError(_ message: String) -> AssayError {
            var at = location
            at.line = line
            return AssayError.config(message, at: at)
        }
        func checkPath(_ name: String) throws {
            if name.split(separator: ".").contains(where: { $0.allSatisfy(\.isNumber) }) {
                throw lineError("'{{\(name)}}': list indexes are not supported in templates; iterate with {{#list}}...{{/list}}")
            }
        }
        while index < text.endIndex {
            guard let open = text[index...].range(of: "{{") else { break }
            line += text[index..<open.lowerBound].filter { $0 == "\n" }.count
            var tagStart = open.upperBound
            var closing = "}}"
            if tagStart < text.endIndex, text[tagStart] == "{" {
                closing = "}}}"
                tagStart = text.index(after: tagStart)
            }
            guard let close = text[tagStart...].range(of: closing) else {
                throw lineError("unclosed tag '{{': add the matching '}}'")
            }
            let inner = text[tagStart..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let tagLine = line
            line += text[open.lowerBound..<close.upperBound].filter { $0 == "\n" }.count
            index = close.upperBound
            guard let sigil = inner.first else { throw lineError("empty tag '{{}}'") }
            let name = String(inner.dropFirst()).trimmingCharacters(in: .whitespaces)
            switch sigil {
            case "!", "%":
                continue
            case "#", "^":
                try checkPath(name)
                sections.append(Section(name: name, inverted: sigil == "^"))
            case "/":
                guard sections.last?.name == name else {
                    throw lineError("section '\(name)' closed but '\(sections.last?.name ?? "none")' is open")
                }
                sections.removeLast()
            case ">", "<", "$":
                throw lineError("partials and blocks ('{{\(sigil)') are not supported in Assay templates")
            case "=":
                throw lineError("changing delimiters ('{{=') is not supported in Assay templates")
            case "&":
                try checkPath(name)
                references.append(Reference(name: name, enclosingSections: sections, line: tagLine))
            default:
                try checkPath(inner)
                references.append(Reference(name: inner, enclosingSections: sections, line: tagLine))
            }
        }
        if let open = sections.last {
            throw lineError("section '\(open)' is never closed: add {{/\(open)}}")
        }
        return references
    }
}

/// Template values: scalars as they are; objects and lists wrapped so that sections can walk them while
/// `{{value}}` renders them as canonical JSON (never as Swift's description, whose order varies).
enum MustacheValue {
    static func make(_ value: JSONValue) -> Any? {
        switch value {
        case .null: return nil
        case .bool(let flag): return flag
        case .number(let number): return JSONValue.formatNumber(number)
        case .string(let text): return text
        case .array(let elements): return ListBox(elements: elements.map { make($0) ?? NullBox() }, json: value)
        case .object(let members): return ObjectBox(members: members.compactMapValues(make), json: value)
        }
    }

    struct ListBox: MustacheSequence, MustacheCustomRenderable {
        let elements: [Any]
        let json: JSONValue
        func makeIterator() -> IndexingIterator<[Any]> { elements.makeIterator() }
        var renderText: String { json.canonicalText }
        var isNull: Bool { false }
    }

    struct ObjectBox: MustacheParent, MustacheCustomRenderable {
        let members: [String: Any]
        let json: JSONValue
        func child(named name: String) -> Any? { members[name] }
        var renderText: String { json.canonicalText }
        var isNull: Bool { false }
    }

    struct NullBox: MustacheCustomRenderable {
        var renderText: String { "" }
        var isNull: Bool { true }
    }
}

/// Escapes values for the inside of a JSON string literal.
struct JSONStringContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var out = ""
        JSONValue.writeString(text, into: &out)
        return String(out.dropFirst().dropLast())
    }

    private static let name: String = {
        MustacheContentTypes.register(JSONStringContentType(), named: "ASSAY_JSON")
        return "ASSAY_JSON"
    }()

    /// Registers the content type once and returns its name.
    static func register() -> String { name }
}

/// A chat prompt: one or more role-tagged message templates.
///
/// In a prompt file, a line that is exactly `[system]`, `[user]` or `[assistant]` starts a message with that role;
/// a file with no such line is a single user message.
public struct PromptTemplate: Sendable {
    /// The message templates in order.
    public let messages: [(role: String, template: TextTemplate)]

    /// Builds a prompt from explicit message templates.
    public init(messages: [(role: String, template: TextTemplate)]) {
        self.messages = messages
    }

    /// Parses a prompt file's text.
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The file path, for errors.
    /// - Throws: `AssayError` (config).
    public init(fileText text: String, file: String) throws {
        let roles: Set<String> = ["system", "user", "assistant"]
        var parts: [(role: String, lines: [Substring], line: Int)] = []
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let trimmed = rawLine.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("["), trimmed.hasSuffix("]"), roles.contains(String(trimmed.dropFirst().dropLast())) {
                parts.append((String(trimmed.dropFirst().dropLast()), [], lineNumber + 1))
            } else if parts.isEmpty {
                if trimmed.isEmpty { continue }
                parts.append(("user", [rawLine], lineNumber))
            } else {
                parts[parts.count - 1].lines.append(rawLine)
            }
        }
        var messages: [(role: String, template: TextTemplate)] = []
        for part in parts {
            let body = part.lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if body.isEmpty { continue }
            let leading = part.lines.prefix { $0.trimmingCharacters(in: .whitespaces).isEmpty }.count
            messages.append((part.role, try TextTemplate(body, location: SourceLocation(file: file, line: part.line + leading))))
        }
        guard !messages.isEmpty else {
            throw AssayError.config("the prompt template is empty", at: SourceLocation(file: file, line: 1))
        }
        self.messages = messages
    }

    /// The variables any message needs that `variables` lacks.
    public func missingVariables(in variables: [String: JSONValue]) -> [(name: String, line: Int)] {
        messages.flatMap { $0.template.missingVariables(in: variables) }
    }

    /// Renders every message for a case; a case with its own `messages` keeps the template's system messages and
    /// then its own conversation.
    /// - Parameter testCase: The case.
    /// - Returns: The messages to send.
    /// - Throws: `AssayError` (dataset) when the case lacks a variable.
    public func render(for testCase: Case) throws -> [Message] {
        let variables = testCase.templateVariables
        if let conversation = testCase.messages {
            let system = try messages.filter { $0.role == "system" }.map {
                Message(role: "system", content: try $0.template.render(variables, caseID: testCase.id))
            }
            return system + conversation
        }
        return try messages.map { Message(role: $0.role, content: try $0.template.render(variables, caseID: testCase.id)) }
    }
}
