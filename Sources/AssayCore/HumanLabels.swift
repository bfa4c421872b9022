import Foundation

/// A person's verdict on one trial's output for one scorer: what a judge's verdicts are checked against.
public struct HumanLabel: Sendable, Hashable, Codable {
    /// The case.
    public var caseID: String
    /// The sample; nil labels every sample of the case.
    public var sample: Int?
    /// The scorer the label is about; nil when the command names the scorer.
    public var scorer: String?
    /// Pass or fail, by the person.
    public var passed: Bool?
    /// A graded score by the person (any scale), compared with the judge's value by rank correlation.
    public var score: Double?
    /// Where the label is.
    public var location: SourceLocation

    /// Creates a label.
    public init(caseID: String, sample: Int? = nil, scorer: String? = nil, passed: Bool? = nil, score: Double? = nil, location: SourceLocation) {
        self.caseID = caseID
        self.sample = sample
        self.scorer = scorer
        self.passed = passed
        self.score = score
        self.location = location
    }
}

/// Reads human labels from JSONL: `{"id": "case-id", "scorer": "helpful", "passed": true, "sample": 0,
/// "score": 4}`, one per line (`id` and `passed` or `score` required; blank lines and `#` or `//` lines skipped).
public enum HumanLabels {
    static let fields: Set<String> = ["id", "sample", "scorer", "passed", "score", "note"]

    /// Loads a labels file.
    /// - Parameters:
    ///   - url: The file.
    ///   - displayPath: The path shown in errors.
    /// - Returns: The labels in file order.
    /// - Throws: `AssayError` (dataset) naming the file, line and field of a bad line, an unknown field or a label
    ///   given twice.
    public static func load(url: URL, displayPath: String) throws -> [HumanLabel] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw AssayError(.usage, "cannot read labels file \(displayPath): \(error.localizedDescription)")
        }
        return try parse(text, displayPath: displayPath)
    }

    /// Parses labels (see `load`).
    public static func parse(_ text: String, displayPath: String) throws -> [HumanLabel] {
        var labels: [HumanLabel] = []
        var seen: [String: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") { continue }
            let at = SourceLocation(file: displayPath, line: lineNumber)
            guard let json = try? JSONValue.parse(line), let object = json.objectValue else {
                throw AssayError.dataset("line \(lineNumber) is not a JSON object", at: at)
            }
            if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
                let hint = ConfigNode.closest(to: unknown, in: fields).map { "; did you mean '\($0)'?" } ?? ""
                throw AssayError.dataset("unknown field '\(unknown)'\(hint)", at: at, field: unknown)
            }
            guard let id = object["id"]?.stringValue, !id.isEmpty else {
                throw AssayError.dataset("a label needs 'id' (the case id, a string)", at: at, field: "id")
            }
            var label = HumanLabel(caseID: id, location: at)
            if let value = object["sample"], value != .null {
                guard let sample = value.intValue, sample >= 0 else { throw AssayError.dataset("'sample' is a whole number >= 0", at: at, field: "sample") }
                label.sample = sample
            }
            if let value = object["scorer"], value != .null {
                guard let scorer = value.stringValue, !scorer.isEmpty else { throw AssayError.dataset("'scorer' is a scorer's name", at: at, field: "scorer") }
                label.scorer = scorer
            }
            if let value = object["passed"], value != .null {
                guard case .bool(let passed) = value else { throw AssayError.dataset("'passed' is true or false", at: at, field: "passed") }
                label.passed = passed
            }
            if let value = object["score"], value != .null {
                guard let score = value.numberValue, score.isFinite else { throw AssayError.dataset("'score' is a number", at: at, field: "score") }
                label.score = score
            }
            guard label.passed != nil || label.score != nil else {
                throw AssayError.dataset("a label needs 'passed' (true or false) or 'score' (a number)", at: at, field: "passed")
            }
            let key = "\(id)\u{0}\(label.sample.map(String.init) ?? "*")\u{0}\(label.scorer ?? "")"
            if let first = seen[key] {
                throw AssayError.dataset("case '\(id)' is labelled twice for the same sample and scorer (first on line \(first))", at: at, field: "id")
            }
            seen[key] = lineNumber
            labels.append(label)
        }
        return labels
    }
}
