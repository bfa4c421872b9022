import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// An Anthropic Messages API target (`POST {base_url}/messages`), for targets and, later, judges.
///
/// System messages go to the top-level `system` field; tools are translated from the OpenAI form
/// (`{"type": "function", "function": {name, description, parameters}}`) to Anthropic's (`{name, description,
/// input_schema}`); `tool_use` blocks come back as tool calls. Streaming measures time to first token and reads
/// usage from `message_start` and `message_delta`. `max_tokens` is required by the API and defaults to 1024.
public struct AnthropicTarget: Target {
    /// The configuration from the suite.
    public let config: TargetConfig
    private let client: HTTPClient
    private let environment: [String: String]

    /// The API version header sent with every request.
    public static let apiVersion = "2023-06-01"

    /// The target's name.
    public var name: String { config.name }

    /// Creates the target.
    public init(config: TargetConfig, client: HTTPClient, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.config = config
        self.client = client
        self.environment = environment
    }

    /// The request body.
    public func body(for request: ModelRequest) -> JSONValue {
        var body = config.parameters.merging(request.parameters) { _, route in route }
        body["model"] = .string(config.model ?? "")
        if body["max_tokens"] == nil { body["max_tokens"] = .number(1024) }
        let system = request.messages.filter { $0.role == "system" }.map(\.content).joined(separator: "\n\n")
        if !system.isEmpty { body["system"] = .string(system) }
        body["messages"] = .array(request.messages.filter { $0.role != "system" }.map(Self.encode))
        if config.stream { body["stream"] = .bool(true) }
        if let tools = (request.tools ?? config.tools)?.arrayValue {
            body["tools"] = .array(tools.map { tool in
                guard let function = tool["function"] else { return tool }
                var translated: [String: JSONValue] = ["name": function["name"] ?? .string("")]
                if let description = function["description"] { translated["description"] = description }
                translated["input_schema"] = function["parameters"] ?? .object(["type": .string("object")])
                return .object(translated)
            })
        }
        return .object(body)
    }

    static func encode(_ message: Message) -> JSONValue {
        if message.role == "tool" {
            return .object([
                "role": .string("user"),
                "content": .array([.object([
                    "type": .string("tool_result"), "tool_use_id": .string(message.toolCallID ?? ""),
                    "content": .string(message.content),
                ])]),
            ])
        }
        if let calls = message.toolCalls, !calls.isEmpty {
            var blocks: [JSONValue] = message.content.isEmpty ? [] : [.object(["type": .string("text"), "text": .string(message.content)])]
            blocks += calls.enumerated().map { index, call in
                .object(["type": .string("tool_use"), "id": .string(call.id ?? "toolu_\(index)"), "name": .string(call.name), "input": call.arguments])
            }
            return .object(["role": .string("assistant"), "content": .array(blocks)])
        }
        return .object(["role": .string(message.role), "content": .string(message.content)])
    }

    public func cacheIdentity(for request: ModelRequest) -> JSONValue? {
        .object([
            "provider": .string("anthropic"), "base_url": .string(config.baseURL ?? ""),
            "body": body(for: request), "sample": .number(Double(request.sample)),
            "headers": .object(config.headers.mapValues(JSONValue.string)),
        ])
    }

    public func generate(_ request: ModelRequest) async throws -> Output {
        var headers = try HTTPSupport.headers(for: config, environment: environment, bearer: false)
        if let env = config.apiKeyEnv, let key = environment[env] { headers.replaceOrAdd(name: "x-api-key", value: key) }
        if !headers.contains(name: "anthropic-version") { headers.add(name: "anthropic-version", value: Self.apiVersion) }
        let requestHeaders = headers
        let payload = Data(body(for: request).canonicalText.utf8)
        let url = (config.baseURL ?? "https://api.anthropic.com/v1") + "/messages"
        let stream = config.stream
        let client = client
        let prices = config.prices
        let timeout = config.timeout
        return try await withDeadline(seconds: timeout) {
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await HTTPSupport.post(client: client, url: url, headers: requestHeaders, body: payload, timeout: timeout)
            var output: Output
            if stream {
                var accumulator = AnthropicStream()
                try await SSE.lines(of: response) { line in
                    try accumulator.consume(line: line, elapsed: (clock.now - start).seconds)
                    return accumulator.stopped
                }
                output = try accumulator.finish()
            } else {
                output = try Self.parseMessage(Data(try await HTTPSupport.readBody(response).readableBytesView))
            }
            output.latency = (clock.now - start).seconds
            if let prices, let usage = output.usage { output.cost = prices.cost(of: usage) }
            return output
        }
    }

    /// Parses a non-streamed Messages API response.
    /// - Parameter data: The body.
    /// - Returns: The output (latency not set).
    /// - Throws: `ProviderError`: transient for a malformed body, fatal for an API error object.
    public static func parseMessage(_ data: Data) throws -> Output {
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw ProviderError(.transient, "malformed JSON in the response")
        }
        if json["type"]?.stringValue == "error" {
            throw ProviderError(.fatal, "provider error: \(json["error"]?["message"]?.stringValue ?? "unknown")")
        }
        guard let blocks = json["content"]?.arrayValue else {
            throw ProviderError(.transient, "the response has no content")
        }
        var output = Output(text: blocks.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined())
        output.toolCalls = blocks.compactMap { block in
            guard block["type"]?.stringValue == "tool_use", let name = block["name"]?.stringValue else { return nil }
            return ToolCall(id: block["id"]?.stringValue, name: name, arguments: block["input"] ?? .object([:]))
        }
        output.finishReason = json["stop_reason"]?.stringValue
        if let input = json["usage"]?["input_tokens"]?.intValue, let outputTokens = json["usage"]?["output_tokens"]?.intValue {
            output.usage = TokenUsage(promptTokens: input, completionTokens: outputTokens)
        }
        return output
    }
}

/// Folds Anthropic stream events into one output.
struct AnthropicStream {
    var text = ""
    var firstToken: Double?
    var stopReason: String?
    var inputTokens: Int?
    var outputTokens: Int?
    var stopped = false
    var tools: [Int: (id: String?, name: String, json: String)] = [:]

    mutating func consume(line rawLine: String, elapsed: Double) throws {
        let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("data:") else { return }
        let event: JSONValue
        do {
            event = try JSONValue.parse(String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces))
        } catch {
            throw ProviderError(.transient, "malformed JSON in the stream")
        }
        switch event["type"]?.stringValue {
        case "message_start":
            inputTokens = event["message"]?["usage"]?["input_tokens"]?.intValue
        case "content_block_start":
            let index = event["index"]?.intValue ?? 0
            if let block = event["content_block"], block["type"]?.stringValue == "tool_use" {
                tools[index] = (block["id"]?.stringValue, block["name"]?.stringValue ?? "", "")
            }
        case "content_block_delta":
            let index = event["index"]?.intValue ?? 0
            if firstToken == nil { firstToken = elapsed }
            if let piece = event["delta"]?["text"]?.stringValue { text += piece }
            if let piece = event["delta"]?["partial_json"]?.stringValue { tools[index]?.json += piece }
        case "message_delta":
            stopReason = event["delta"]?["stop_reason"]?.stringValue ?? stopReason
            if let count = event["usage"]?["output_tokens"]?.intValue { outputTokens = count }
        case "message_stop":
            stopped = true
        case "error":
            throw ProviderError(.transient, "provider error in the stream: \(event["error"]?["message"]?.stringValue ?? "unknown")")
        default:
            break
        }
    }

    func finish() throws -> Output {
        guard stopped else { throw ProviderError(.transient, "the stream ended before message_stop (truncated)") }
        var output = Output(text: text, timeToFirstToken: firstToken, finishReason: stopReason)
        output.toolCalls = tools.keys.sorted().compactMap { index in
            guard let tool = tools[index] else { return nil }
            return ToolCall(id: tool.id, name: tool.name, arguments: tool.json.isEmpty ? .object([:]) : OpenAITarget.parseArguments(.string(tool.json)))
        }
        if let inputTokens, let outputTokens { output.usage = TokenUsage(promptTokens: inputTokens, completionTokens: outputTokens) }
        return output
    }
}

/// Reads a server-sent-events body: joins the `data:` lines of each event (an event ends at a blank line),
/// splits on bytes (so a UTF-8 character cut between chunks survives), and stops as soon as the handler says the
/// stream is complete (a proxy that keeps the connection open cannot make a finished answer time out).
enum SSE {
    /// Calls `handle` with `data: <payload>` for every event; `handle` returns true when the stream is complete.
    static func lines(of response: HTTPClientResponse, _ handle: (String) throws -> Bool) async throws {
        var pending = [UInt8]()
        var data: [String] = []
        func flush() throws -> Bool {
            guard !data.isEmpty else { return false }
            defer { data.removeAll() }
            return try handle("data: " + data.joined(separator: "\n"))
        }
        func line(_ bytes: ArraySlice<UInt8>) throws -> Bool {
            var text = String(decoding: bytes, as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            if text.isEmpty { return try flush() }
            if text.hasPrefix("data:") {
                var payload = text.dropFirst(5)
                if payload.first == " " { payload = payload.dropFirst() }
                data.append(String(payload))
            }
            return false
        }
        do {
            for try await buffer in response.body {
                pending.append(contentsOf: buffer.readableBytesView)
                var start = pending.startIndex
                while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    if try line(pending[start..<newline]) { return }
                    start = pending.index(after: newline)
                }
                pending.removeSubrange(..<start)
            }
        } catch let error as ProviderError {
            throw error
        } catch {
            throw ProviderError(.transient, "stream interrupted: \(error)")
        }
        if !pending.isEmpty, try line(pending[...]) { return }
        _ = try flush()
    }
}
