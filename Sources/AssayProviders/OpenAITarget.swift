import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore

/// An OpenAI-compatible chat-completions target (OpenAI, llama.cpp's server, vLLM, Ollama, gateways).
///
/// Supports streaming with time to first token, token usage, `response_format` (JSON schema), log-probabilities,
/// tool definitions and tool calls.
public struct OpenAITarget: Target {
    /// The configuration from the suite.
    public let config: TargetConfig
    let client: HTTPClient
    let environment: [String: String]

    /// The target's name.
    public var name: String { config.name }

    /// Creates the target.
    /// - Parameters:
    ///   - config: The target's configuration (`base_url` and `model` are required).
    ///   - client: The shared HTTP client.
    ///   - environment: Where API keys are read from.
    public init(config: TargetConfig, client: HTTPClient, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.config = config
        self.client = client
        self.environment = environment
    }

    /// The request body for a request.
    public func body(for request: ModelRequest) -> JSONValue {
        var body = config.parameters.merging(request.parameters) { _, route in route }
        body["model"] = .string(config.model ?? "")
        body["messages"] = .array(request.messages.map(Self.encode))
        if config.stream {
            body["stream"] = .bool(true)
            body["stream_options"] = .object(["include_usage": .bool(true)])
        }
        if let format = request.responseFormat { body["response_format"] = Self.wireFormat(format, style: config.structuredOutput) }
        if let tools = request.tools ?? config.tools { body["tools"] = tools }
        if let top = config.topLogprobs {
            body["logprobs"] = .bool(true)
            body["top_logprobs"] = .number(Double(top))
        }
        return .object(body)
    }

    /// Rewrites an OpenAI `json_schema` response format into the form the server expects.
    static func wireFormat(_ format: JSONValue, style: StructuredOutputStyle) -> JSONValue {
        guard style == .llamaCpp, format["type"]?.stringValue == "json_schema", let schema = format["json_schema"]?["schema"] else {
            return format
        }
        return .object(["type": .string("json_object"), "schema": schema])
    }

    public func cacheIdentity(for request: ModelRequest) -> JSONValue? {
        .object([
            "provider": .string("openai"), "base_url": .string(config.baseURL ?? ""),
            "body": body(for: request), "sample": .number(Double(request.sample)),
            "headers": .object(config.headers.mapValues(JSONValue.string)),
        ])
    }

    static func encode(_ message: Message) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role), "content": .string(message.content)]
        if let id = message.toolCallID { object["tool_call_id"] = .string(id) }
        if let calls = message.toolCalls {
            object["tool_calls"] = .array(calls.enumerated().map { index, call in
                .object([
                    "id": .string(call.id ?? "call_\(index)"), "type": .string("function"),
                    "function": .object(["name": .string(call.name), "arguments": .string(call.arguments.canonicalText)]),
                ])
            })
        }
        return .object(object)
    }

    public func generate(_ request: ModelRequest) async throws -> Output {
        let headers = try HTTPSupport.headers(for: config, environment: environment)
        let payload = Data(body(for: request).canonicalText.utf8)
        let url = (config.baseURL ?? "") + "/chat/completions"
        let stream = config.stream
        let client = client
        let prices = config.prices
        return try await withDeadline(seconds: config.timeout) {
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await HTTPSupport.post(client: client, url: url, headers: headers, body: payload, timeout: config.timeout)
            var output: Output
            if stream {
                output = try await Self.readStream(response, start: start, clock: clock)
            } else {
                let buffer = try await HTTPSupport.readBody(response)
                output = try Self.parseCompletion(Data(buffer.readableBytesView))
            }
            output.latency = (clock.now - start).seconds
            if let prices, let usage = output.usage { output.cost = prices.cost(of: usage) }
            return output
        }
    }

    /// Parses a non-streamed chat completion.
    /// - Parameter data: The response body.
    /// - Returns: The output (latency not set).
    /// - Throws: A transient `ProviderError` when the body is not a completion.
    public static func parseCompletion(_ data: Data) throws -> Output {
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw ProviderError(.transient, "malformed JSON in the response")
        }
        if let message = json["error"]?["message"]?.stringValue {
            throw ProviderError(.fatal, "provider error: \(message)")
        }
        guard let choice = json["choices"]?.arrayValue?.first, let message = choice["message"] else {
            throw ProviderError(.transient, "the response has no choices[0].message")
        }
        // A refusal (OpenAI's `refusal` field, with null content) is the model's answer.
        var output = Output(text: message["content"]?.stringValue ?? message["refusal"]?.stringValue ?? "")
        output.toolCalls = (message["tool_calls"]?.arrayValue ?? []).compactMap(parseToolCall)
        output.finishReason = choice["finish_reason"]?.stringValue
        output.usage = parseUsage(json["usage"])
        output.logprobs = parseLogprobs(choice["logprobs"])
        return output
    }

    static func parseToolCall(_ value: JSONValue) -> ToolCall? {
        guard let function = value["function"], let name = function["name"]?.stringValue else { return nil }
        return ToolCall(id: value["id"]?.stringValue, name: name, arguments: parseArguments(function["arguments"]))
    }

    static func parseArguments(_ value: JSONValue?) -> JSONValue {
        switch value {
        case .string(let text)?: return (try? JSONValue.parse(text)) ?? .string(text)
        case let other?: return other
        case nil: return .object([:])
        }
    }

    static func parseUsage(_ value: JSONValue?) -> TokenUsage? {
        guard let value, let prompt = value["prompt_tokens"]?.intValue, let completion = value["completion_tokens"]?.intValue,
              prompt >= 0, completion >= 0 else {
            return nil
        }
        return TokenUsage(promptTokens: prompt, completionTokens: completion)
    }

    static func parseLogprobs(_ value: JSONValue?) -> [TokenLogprob]? {
        guard let content = value?["content"]?.arrayValue else { return nil }
        return content.compactMap { entry in
            guard let token = entry["token"]?.stringValue, let logprob = entry["logprob"]?.numberValue else { return nil }
            var top: [String: Double]?
            if let alternatives = entry["top_logprobs"]?.arrayValue {
                top = [:]
                for alternative in alternatives {
                    if let t = alternative["token"]?.stringValue, let l = alternative["logprob"]?.numberValue { top?[t] = l }
                }
            }
            return TokenLogprob(token: token, logprob: logprob, top: top)
        }
    }

    /// Accumulates a server-sent-events stream of chat-completion chunks.
    static func readStream(_ response: HTTPClientResponse, start: ContinuousClock.Instant, clock: ContinuousClock) async throws -> Output {
        var accumulator = StreamAccumulator()
        try await SSE.lines(of: response) { line in
            try accumulator.consume(line: line, elapsed: (clock.now - start).seconds)
            return accumulator.done
        }
        return try accumulator.finish()
    }
}

/// Folds chat-completion stream chunks into one output.
struct StreamAccumulator {
    var text = ""
    var firstToken: Double?
    var finishReason: String?
    var usage: TokenUsage?
    var done = false
    var toolCalls: [Int: (id: String?, name: String, arguments: String)] = [:]
    var logprobs: [TokenLogprob] = []

    mutating func consume(line rawLine: String, elapsed: Double) throws {
        let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("data:") else { return }
        let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
        if payload == "[DONE]" {
            done = true
            return
        }
        let chunk: JSONValue
        do {
            chunk = try JSONValue.parse(payload)
        } catch {
            throw ProviderError(.transient, "malformed JSON in the stream")
        }
        if let message = chunk["error"]?["message"]?.stringValue {
            throw ProviderError(.transient, "provider error in the stream: \(message)")
        }
        if let parsed = OpenAITarget.parseUsage(chunk["usage"]) { usage = parsed }
        guard let choice = chunk["choices"]?.arrayValue?.first else { return }
        if let delta = choice["delta"] {
            if let content = delta["content"]?.stringValue, !content.isEmpty {
                if firstToken == nil { firstToken = elapsed }
                text += content
            }
            for call in delta["tool_calls"]?.arrayValue ?? [] {
                let index = call["index"]?.intValue ?? 0
                var entry = toolCalls[index] ?? (nil, "", "")
                if let id = call["id"]?.stringValue { entry.id = id }
                if let name = call["function"]?["name"]?.stringValue { entry.name += name }
                if let arguments = call["function"]?["arguments"]?.stringValue { entry.arguments += arguments }
                if firstToken == nil { firstToken = elapsed }
                toolCalls[index] = entry
            }
        }
        if let parsed = OpenAITarget.parseLogprobs(choice["logprobs"]) { logprobs += parsed }
        if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
    }

    func finish() throws -> Output {
        guard done || finishReason != nil else {
            throw ProviderError(.transient, "the stream ended before it finished (truncated)")
        }
        let calls = toolCalls.keys.sorted().compactMap { index -> ToolCall? in
            guard let entry = toolCalls[index] else { return nil }
            return ToolCall(id: entry.id, name: entry.name, arguments: OpenAITarget.parseArguments(.string(entry.arguments)))
        }
        return Output(
            text: text, toolCalls: calls, usage: usage, timeToFirstToken: firstToken, finishReason: finishReason,
            logprobs: logprobs.isEmpty ? nil : logprobs
        )
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
