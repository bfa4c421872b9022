import AssayCore
import Foundation

/// Outputs already recorded in a JSONL file, scored without calling anything.
///
/// Each line: `{"id": "case-id", "output": "text", "sample"?: 0, "tool_calls"?: [...], "latency"?: s, "usage"?: {...}}`
/// (`text` is accepted for `output`). A case with no recorded output is unmeasured.
public struct RecordedTarget: Target {
    /// The target's name.
    public let name: String
    private let outputs: [String: Output]

    /// Loads the recorded outputs.
    /// - Parameters:
    ///   - config: The target's configuration (`path` is required).
    ///   - displayPath: The file's path for errors.
    /// - Throws: `AssayError` (dataset) naming the line of a malformed record.
    public init(config: TargetConfig, displayPath: String? = nil) throws {
        self.name = config.name
        guard let url = config.recordedPath else {
            throw AssayError.config("target '\(config.name)' needs 'path'", at: config.location)
        }
        let shown = displayPath ?? url.path
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw AssayError.dataset("cannot read recorded outputs", at: SourceLocation(file: shown))
        }
        var outputs: [String: Output] = [:]
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let at = SourceLocation(file: shown, line: lineNumber)
            guard let json = try? JSONValue.parse(line), case .object = json else {
                throw AssayError.dataset("malformed JSON", at: at)
            }
            guard let id = json["id"]?.stringValue ?? json["id"]?.numberValue.map(JSONValue.formatNumber) else {
                throw AssayError.dataset("missing 'id'", at: at, field: "id")
            }
            guard let answer = json["output"] ?? json["text"], answer != .null else {
                throw AssayError.dataset("missing 'output'", at: at, field: "output")
            }
            var output = Output(text: answer.displayText)
            output.toolCalls = (json["tool_calls"]?.arrayValue ?? []).compactMap { call in
                guard let name = call["name"]?.stringValue else { return nil }
                return ToolCall(id: call["id"]?.stringValue, name: name, arguments: call["arguments"] ?? .object([:]))
            }
            output.latency = json["latency"]?.numberValue ?? 0
            output.usage = OpenAITarget.parseUsage(json["usage"])
            if let prices = config.prices, let usage = output.usage { output.cost = prices.cost(of: usage) }
            guard let sample = json["sample"].map({ $0.intValue }) ?? 0, sample >= 0 else {
                throw AssayError.dataset("'sample' must be a whole number >= 0", at: at, field: "sample")
            }
            outputs[Self.key(id, sample)] = output
        }
        self.outputs = outputs
    }

    static func key(_ id: String, _ sample: Int) -> String { "\(id)#\(sample)" }

    /// The output recorded for a case and sample.
    /// - Parameters:
    ///   - caseID: The case's id.
    ///   - sample: The sample index (records without `sample` are sample 0).
    /// - Returns: The output, or nil when none was recorded.
    public func recordedOutput(caseID: String, sample: Int = 0) -> Output? {
        outputs[Self.key(caseID, sample)]
    }

    /// True when the file holds no records.
    public var isEmpty: Bool { outputs.isEmpty }

    public func cacheIdentity(for request: ModelRequest) -> JSONValue? { nil }

    public func generate(_ request: ModelRequest) async throws -> Output {
        guard let output = recordedOutput(caseID: request.testCase.id, sample: request.sample) else {
            throw ProviderError(.fatal, "no recorded output for case '\(request.testCase.id)' sample \(request.sample)")
        }
        return output
    }
}

extension TargetConfig {
    /// Builds the target this configuration describes.
    /// - Parameters:
    ///   - client: The shared HTTP client.
    ///   - suiteFolder: The suite's folder (where `exec` commands run).
    /// - Returns: The target.
    /// - Throws: `AssayError` for a recorded file that cannot be read.
    public func makeTarget(client: HTTPClientBox, suiteFolder: URL) throws -> any Target {
        switch kind {
        case .openai: return OpenAITarget(config: self, client: client.client)
        case .anthropic: return AnthropicTarget(config: self, client: client.client)
        case .http: return HTTPTarget(config: self, client: client.client)
        case .exec: return ExecTarget(config: self, workingDirectory: suiteFolder)
        case .recorded: return try RecordedTarget(config: self)
        }
    }
}
