import Foundation

/// A dataset's manifest: what was loaded, from where, and its content hash.
public struct DatasetManifest: Sendable, Hashable, Codable {
    /// The dataset's name (the file name without extension unless the suite names it).
    public var name: String
    /// A version label, when the suite gives one.
    public var version: String?
    /// SHA-256 of the canonical content: each case's canonical JSON, sorted by id, joined by newlines.
    public var sha256: String
    /// Number of cases.
    public var caseCount: Int
    /// Cases per route.
    public var routes: [String: Int]
    /// Cases per tag value, keyed `tag=value` (e.g. `risk=high`).
    public var strata: [String: Int]
    /// The files the cases came from, as given in the suite.
    public var sources: [String]

    /// Creates a manifest.
    public init(name: String, version: String?, sha256: String, caseCount: Int, routes: [String: Int], strata: [String: Int], sources: [String]) {
        self.name = name
        self.version = version
        self.sha256 = sha256
        self.caseCount = caseCount
        self.routes = routes
        self.strata = strata
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey {
        case name, version, sha256, routes, strata, sources
        case caseCount = "case_count"
    }
}

/// A named, versioned set of cases with its manifest.
public struct Dataset: Sendable {
    /// The cases in file order.
    public var cases: [Case]
    /// The manifest.
    public var manifest: DatasetManifest

    /// Builds a dataset and computes its manifest.
    /// - Parameters:
    ///   - name: The dataset's name.
    ///   - version: Optional version label.
    ///   - cases: The cases.
    ///   - sources: Where they came from.
    public init(name: String, version: String? = nil, cases: [Case], sources: [String]) {
        self.cases = cases
        var routes: [String: Int] = [:]
        var strata: [String: Int] = [:]
        for testCase in cases {
            routes[testCase.route, default: 0] += 1
            for (key, value) in testCase.tags { strata["\(key)=\(value)", default: 0] += 1 }
        }
        let canonical = cases.sorted { $0.id < $1.id }.map(\.canonicalJSON.canonicalText).joined(separator: "\n")
        self.manifest = DatasetManifest(
            name: name, version: version, sha256: Fingerprint.sha256(canonical), caseCount: cases.count,
            routes: routes, strata: strata, sources: sources
        )
    }
}

/// Reads cases from JSONL and CSV files, with errors that name the file, line and field.
public enum DatasetLoader {
    /// Fields a JSONL case may have; tag shorthands go into `tags`.
    static let caseFields: Set<String> = [
        "id", "input", "messages", "expected", "expected_outcome", "expected_tool_calls", "context", "route", "tags",
        "weight", "metadata",
    ]
    /// Top-level shorthands for common strata.
    static let tagShorthands: Set<String> = ["intent", "difficulty", "risk", "risk_tier", "tenant", "source"]

    /// Loads a dataset file by its extension (`.jsonl`/`.ndjson` or `.csv`).
    /// - Parameters:
    ///   - url: The file.
    ///   - displayPath: The path to show in errors.
    /// - Returns: The cases.
    /// - Throws: `AssayError` (dataset) for unreadable files, malformed lines and duplicate ids.
    public static func load(url: URL, displayPath: String) throws -> [Case] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw AssayError.dataset("cannot read the dataset file (\(error.localizedDescription)); check the path, which is relative to the suite file", at: SourceLocation(file: displayPath))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AssayError.dataset("the file is not UTF-8 text", at: SourceLocation(file: displayPath))
        }
        let cases: [Case]
        switch url.pathExtension.lowercased() {
        case "jsonl", "ndjson":
            cases = try parseJSONL(text, file: displayPath)
        case "csv":
            cases = try parseCSV(text, file: displayPath)
        default:
            throw AssayError.dataset("unknown dataset format '.\(url.pathExtension)'; use .jsonl or .csv", at: SourceLocation(file: displayPath))
        }
        if cases.isEmpty {
            throw AssayError.dataset("the dataset has no cases", at: SourceLocation(file: displayPath))
        }
        return cases
    }

    /// Parses JSON Lines: one case object per non-blank line; `//` and `#` comment lines are skipped.
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The path for errors.
    /// - Returns: The cases.
    /// - Throws: `AssayError` (dataset).
    public static func parseJSONL(_ text: String, file: String) throws -> [Case] {
        var cases: [Case] = []
        var seen: [String: Int] = [:]
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("//") || line.hasPrefix("#") { continue }
            let at = SourceLocation(file: file, line: lineNumber)
            let value: JSONValue
            do {
                value = try JSONValue.parse(line)
            } catch {
                throw AssayError.dataset("malformed JSON: \(describe(error))", at: at)
            }
            guard case .object(let object) = value else {
                throw AssayError.dataset("each line must be a JSON object", at: at)
            }
            let testCase = try makeCase(object, at: at)
            if let previous = seen[testCase.id] {
                throw AssayError.dataset("duplicate case id '\(testCase.id)' (first used on line \(previous))", at: at, field: "id")
            }
            seen[testCase.id] = lineNumber
            cases.append(testCase)
        }
        return cases
    }

    private static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError, case .dataCorrupted(let context) = decoding {
            if let underlying = context.underlyingError as NSError? {
                return underlying.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
            }
            return context.debugDescription
        }
        return "\(error)"
    }

    /// Builds a case from a JSON object.
    /// - Parameters:
    ///   - object: The case's fields.
    ///   - at: Where it is, for errors.
    /// - Returns: The case.
    /// - Throws: `AssayError` (dataset) naming the field at fault.
    public static func makeCase(_ object: [String: JSONValue], at: SourceLocation) throws -> Case {
        func fail(_ field: String, _ message: String) -> AssayError {
            AssayError.dataset(message, at: at, field: field)
        }
        for key in object.keys where !caseFields.contains(key) && !tagShorthands.contains(key) {
            let allowed = caseFields.union(tagShorthands)
            let hint = ConfigNode.closest(to: key, in: allowed).map { "; did you mean '\($0)'?" } ?? "; put extra data under 'tags' or 'metadata'"
            throw fail(key, "unknown field '\(key)'\(hint)")
        }
        let id: String
        switch object["id"] {
        case .string(let value) where !value.isEmpty: id = value
        case .number(let value): id = JSONValue.formatNumber(value)
        case nil: throw fail("id", "missing required field 'id'")
        default: throw fail("id", "'id' must be a non-empty string")
        }
        let messages = try object["messages"].map { try decodeMessages($0, fail: fail) }
        let input: JSONValue
        switch object["input"] {
        case .string(let text)?: input = .string(text)
        case .object(let members)?: input = .object(members)
        case nil:
            guard let messages, let last = messages.last(where: { $0.role == "user" }) else {
                throw fail("input", "missing required field 'input' (a string or an object of template variables, or give 'messages')")
            }
            input = .string(last.content)
        default: throw fail("input", "'input' must be a string or an object of template variables")
        }
        let expected: String?
        switch object["expected"] {
        case nil, .null?: expected = nil
        case .string(let value)?: expected = value
        case .number(let value)?: expected = JSONValue.formatNumber(value)
        case .bool(let value)?: expected = value ? "true" : "false"
        case let value?: expected = value.canonicalText
        }
        var outcome: ExpectedOutcome?
        if let raw = object["expected_outcome"] {
            guard let text = raw.stringValue, let value = ExpectedOutcome(rawValue: text) else {
                throw fail("expected_outcome", "'expected_outcome' must be one of answer, refuse, escalate")
            }
            outcome = value
        }
        var toolCalls: [ToolCall]?
        if let raw = object["expected_tool_calls"] {
            guard let array = raw.arrayValue else { throw fail("expected_tool_calls", "'expected_tool_calls' must be a list") }
            toolCalls = try array.enumerated().map { index, element in
                guard let name = element["name"]?.stringValue else {
                    throw fail("expected_tool_calls[\(index)].name", "each expected tool call needs a 'name'")
                }
                return ToolCall(name: name, arguments: element["arguments"] ?? .object([:]))
            }
        }
        var context: [String]?
        switch object["context"] {
        case nil, .null?: break
        case .string(let value)?: context = [value]
        case .array(let values)?:
            context = try values.enumerated().map { index, element in
                if let text = element.stringValue { return text }
                if let text = element["text"]?.stringValue ?? element["content"]?.stringValue { return text }
                throw fail("context[\(index)]", "each context passage must be a string (or an object with 'text')")
            }
        default: throw fail("context", "'context' must be a string or a list of strings")
        }
        var route = Case.defaultRoute
        if let raw = object["route"] {
            guard let text = raw.stringValue, !text.isEmpty else { throw fail("route", "'route' must be a non-empty string") }
            route = text
        }
        var tags: [String: String] = [:]
        if let raw = object["tags"] {
            guard let members = raw.objectValue else { throw fail("tags", "'tags' must be an object of strings") }
            for (key, value) in members {
                guard let text = value.stringValue ?? value.numberValue.map(JSONValue.formatNumber) ?? value.boolValue.map({ "\($0)" }) else {
                    throw fail("tags.\(key)", "tag values must be strings")
                }
                tags[key] = text
            }
        }
        for key in tagShorthands.sorted() {
            guard let value = object[key] else { continue }
            // `risk` wins over its alias `risk_tier`, whatever the order.
            if key == "risk_tier", object["risk"] != nil { continue }
            tags[key == "risk_tier" ? "risk" : key] = value.displayText
        }
        if let source = tags["source"], CaseSource(rawValue: source) == nil {
            throw fail("source", "source must be one of \(CaseSource.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var weight = 1.0
        if let raw = object["weight"] {
            guard let value = raw.numberValue, value >= 0, value.isFinite else { throw fail("weight", "'weight' must be a number >= 0") }
            weight = value
        }
        return Case(
            id: id, input: input, messages: messages, expected: expected, expectedOutcome: outcome,
            expectedToolCalls: toolCalls, context: context, route: route, tags: tags, weight: weight
        )
    }

    private static func decodeMessages(_ value: JSONValue, fail: (String, String) -> AssayError) throws -> [Message] {
        guard let array = value.arrayValue, !array.isEmpty else { throw fail("messages", "'messages' must be a non-empty list") }
        return try array.enumerated().map { index, element in
            guard let role = element["role"]?.stringValue, ["system", "user", "assistant", "tool"].contains(role) else {
                throw fail("messages[\(index)].role", "role must be system, user, assistant or tool")
            }
            guard let content = element["content"]?.stringValue else {
                throw fail("messages[\(index)].content", "content must be a string")
            }
            return Message(role: role, content: content, toolCallID: element["tool_call_id"]?.stringValue)
        }
    }

    /// Parses CSV with a header row. Columns: `id`, `input`, `expected`, `route`, `expected_outcome`, `context`
    /// (a JSON list or one passage), `weight`; `input.NAME` columns make an object input with variable NAME;
    /// `tag.NAME` columns (and `intent`, `difficulty`, `risk`, `tenant`, `source`) become tags.
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The path for errors.
    /// - Returns: The cases.
    /// - Throws: `AssayError` (dataset).
    public static func parseCSV(_ text: String, file: String) throws -> [Case] {
        let rows = try CSVReader.rows(text, file: file)
        guard let header = rows.first else { return [] }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.contains("id") else {
            throw AssayError.dataset("the header row has no 'id' column", at: SourceLocation(file: file, line: header.line), field: "id")
        }
        var cases: [Case] = []
        var seen: [String: Int] = [:]
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.isEmpty }) { continue }
            let at = SourceLocation(file: file, line: row.line)
            guard row.fields.count == names.count else {
                throw AssayError.dataset("expected \(names.count) columns as in the header, found \(row.fields.count)", at: at)
            }
            var object: [String: JSONValue] = [:]
            var variables: [String: JSONValue] = [:]
            var tags: [String: JSONValue] = [:]
            for (name, value) in zip(names, row.fields) {
                if name.hasPrefix("input.") {
                    variables[String(name.dropFirst(6))] = .string(value)
                } else if name.hasPrefix("tag.") {
                    if !value.isEmpty { tags[String(name.dropFirst(4))] = .string(value) }
                } else if value.isEmpty {
                    continue
                } else if name == "context", value.hasPrefix("["), let parsed = try? JSONValue.parse(value) {
                    object[name] = parsed
                } else if name == "weight" {
                    guard let number = Double(value) else {
                        throw AssayError.dataset("'weight' must be a number", at: at, field: "weight")
                    }
                    object[name] = .number(number)
                } else {
                    object[name] = .string(value)
                }
            }
            if !variables.isEmpty {
                if let plain = object["input"] { variables["input"] = plain }
                object["input"] = .object(variables)
            }
            if !tags.isEmpty { object["tags"] = .object(tags) }
            let testCase = try makeCase(object, at: at)
            if let previous = seen[testCase.id] {
                throw AssayError.dataset("duplicate case id '\(testCase.id)' (first used on line \(previous))", at: at, field: "id")
            }
            seen[testCase.id] = row.line
            cases.append(testCase)
        }
        return cases
    }
}

/// A small RFC 4180 CSV reader: quoted fields, doubled quotes, newlines inside quotes, CRLF or LF.
public enum CSVReader {
    /// One record with the line it starts on.
    public struct Row: Sendable {
        /// The fields.
        public var fields: [String]
        /// 1-based line where the record starts.
        public var line: Int
    }

    /// Splits CSV text into records.
    /// - Parameters:
    ///   - text: The CSV text.
    ///   - file: The path for errors.
    /// - Returns: The records.
    /// - Throws: `AssayError` (dataset) for an unterminated quote.
    public static func rows(_ text: String, file: String) throws -> [Row] {
        var rows: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var quoteStart = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            if inQuotes {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty:
                inQuotes = true
                quoteStart = line
            case ",":
                fields.append(field)
                field = ""
            case "\r":
                continue
            case "\n":
                fields.append(field)
                rows.append(Row(fields: fields, line: rowStart))
                fields = []
                field = ""
                line += 1
                rowStart = line
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes {
            throw AssayError.dataset("a quoted field is never closed", at: SourceLocation(file: file, line: quoteStart))
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append(Row(fields: fields, line: rowStart))
        }
        return rows
    }
}
