import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore

/// The user's own agent endpoint: POSTs a templated JSON body and reads the answer at a JSON path.
///
/// The body template sees the case's template variables plus `messages_json` (the rendered conversation as JSON)
/// and `sample`; values are JSON-escaped, so `"{{input}}"` is always a valid JSON string.
public struct HTTPTarget: Target {
    /// The configuration from the suite.
    public let config: TargetConfig
    private let client: HTTPClient
    private let environment: [String: String]

    /// The target's name.
    public var name: String { config.name }

    /// Creates the target.
    public init(config: TargetConfig, client: HTTPClient, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.config = config
        self.client = client
        self.environment = environment
    }

    /// Renders the request body.
    /// - Throws: `AssayError` when the case lacks a variable the body uses.
    public func renderBody(for request: ModelRequest) throws -> String {
        guard let template = config.bodyTemplate else { throw ProviderError(.fatal, "target '\(name)' has no body template") }
        var variables = request.testCase.templateVariables
        variables["messages_json"] = .string(JSONValue.array(request.messages.map(OpenAITarget.encode)).canonicalText)
        variables["sample"] = .number(Double(request.sample))
        return try template.render(variables, caseID: request.testCase.id)
    }

    public func cacheIdentity(for request: ModelRequest) -> JSONValue? {
        guard let body = try? renderBody(for: request) else { return nil }
        return .object([
            "provider": .string("http"), "url": .string(config.url ?? ""), "body": .string(body),
            "answer_path": .string(config.answerPath ?? ""), "sample": .number(Double(request.sample)),
            "tool_calls_path": .string(config.toolCallsPath ?? ""), "headers": .object(config.headers.mapValues(JSONValue.string)),
        ])
    }

    public func generate(_ request: ModelRequest) async throws -> Output {
        let rendered: String
        do {
            rendered = try renderBody(for: request)
        } catch let error as AssayError {
            throw ProviderError(.fatal, error.message)
        }
        guard (try? JSONValue.parse(rendered)) != nil else {
            throw ProviderError(.fatal, "the rendered body of target '\(name)' is not valid JSON; check 'body' in the suite")
        }
        let headers = try HTTPSupport.headers(for: config, environment: environment)
        let client = client
        let config = config
        return try await withDeadline(seconds: config.timeout) {
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await HTTPSupport.post(
                client: client, url: config.url ?? "", headers: headers, body: Data(rendered.utf8), timeout: config.timeout
            )
            let buffer = try await HTTPSupport.readBody(response)
            var output = try Self.parse(Data(buffer.readableBytesView), config: config)
            output.latency = (clock.now - start).seconds
            return output
        }
    }

    static func parse(_ data: Data, config: TargetConfig) throws -> Output {
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw ProviderError(.transient, "malformed JSON in the response")
        }
        let path = config.answerPath ?? ""
        guard let answer = json.value(atPath: path), answer != .null else {
            throw ProviderError(.fatal, "the response has nothing at answer_path '\(path)'")
        }
        var output = Output(text: answer.displayText)
        if let toolPath = config.toolCallsPath, let calls = json.value(atPath: toolPath)?.arrayValue {
            output.toolCalls = calls.compactMap { call in
                guard let name = call["name"]?.stringValue ?? call["function"]?["name"]?.stringValue else { return nil }
                return ToolCall(
                    id: call["id"]?.stringValue, name: name,
                    arguments: OpenAITarget.parseArguments(call["arguments"] ?? call["function"]?["arguments"])
                )
            }
        }
        output.usage = OpenAITarget.parseUsage(json["usage"])
        if let prices = config.prices, let usage = output.usage { output.cost = prices.cost(of: usage) }
        return output
    }
}
