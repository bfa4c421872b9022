import AssayCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A fault the fake server can inject into a response.
public enum Fault: String, Sendable, CaseIterable, Codable {
    /// 429 with `Retry-After`.
    case rateLimitWithRetryAfter
    /// 429 without `Retry-After`.
    case rateLimit
    /// 500.
    case serverError
    /// 503 with `Retry-After`.
    case unavailable
    /// Answers only after the client's timeout.
    case timeout
    /// 200 with a body that is not JSON.
    case malformedJSON
    /// A stream that stops before `[DONE]` (or a body cut short when not streaming).
    case truncatedStream
    /// The connection drops mid-response.
    case connectionReset
}

/// An in-process OpenAI-compatible chat server for tests and benchmarks: answers with a function of the prompt,
/// after a delay, with faults injected at a given rate. Records every request so tests can count calls per case.
public final class FakeModelServer: Sendable {
    /// How the server behaves.
    public struct Behaviour: Sendable {
        /// Delay before answering, in seconds.
        public var latency: Double = 0
        /// Fraction of requests that get a fault.
        public var faultRate: Double = 0
        /// Which faults, chosen uniformly.
        public var faults: [Fault] = Fault.allCases
        /// The `Retry-After` value in seconds sent with 429/503.
        public var retryAfter: Double = 0.05
        /// How long a `timeout` fault waits before answering.
        public var timeoutDelay: Double = 2
        /// Seed of the fault generator.
        public var seed: UInt64 = 42
        /// The answer for a prompt (the last user message).
        public var answer: @Sendable (String) -> String = { "Echo: \($0)" }
        /// The vector `/v1/embeddings` returns for a text (default: `FakeModelServer.bagOfWords`).
        public var embedding: @Sendable (String) -> [Double] = { FakeModelServer.bagOfWords($0) }

        /// Default behaviour: instant echo, no faults.
        public init() {}
    }

    /// One request as the server saw it.
    public struct Received: Sendable {
        /// The last user message.
        public var prompt: String
        /// The fault injected, if any.
        public var fault: Fault?
        /// When it arrived.
        public var at: Date
    }

    private let behaviour: Behaviour
    private let state = LockedState()
    private let task = LockedTask()

    /// Creates a server (not yet started).
    public init(behaviour: Behaviour = Behaviour()) {
        self.behaviour = behaviour
    }

    /// Every request received so far.
    public var received: [Received] { state.received }

    /// Starts listening on 127.0.0.1 at a free port.
    /// - Returns: The port.
    /// - Throws: When the server cannot bind.
    public func start() async throws -> Int {
        let router = Router()
        let behaviour = behaviour
        let state = state
        router.post("/v1/chat/completions") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 16 << 20)
            return try await FakeModelServer.respond(to: body, behaviour: behaviour, state: state)
        }
        // OpenAI's embeddings API: {"model", "input": text or [texts]} -> {"data": [{"index", "embedding"}], "usage"}.
        // Faults are all answered with a 500.
        router.post("/v1/embeddings") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 16 << 20)
            let json = try JSONValue.parse(Data(body.readableBytesView))
            let inputs = json["input"]?.arrayValue?.compactMap(\.stringValue) ?? json["input"]?.stringValue.map { [$0] } ?? []
            let fault = state.nextFault(behaviour: behaviour)
            for input in inputs { state.append(Received(prompt: input, fault: fault, at: Date())) }
            if fault != nil { return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "boom"))) }
            let data = inputs.enumerated().map { index, input in
                JSONValue.object([
                    "object": .string("embedding"), "index": .number(Double(index)),
                    "embedding": .array(behaviour.embedding(input).map(JSONValue.number)),
                ])
            }
            let tokens = Double(inputs.reduce(0) { $0 + FakeModelServer.words($1).count })
            let reply = JSONValue.object([
                "object": .string("list"), "data": .array(data), "model": json["model"] ?? .null,
                "usage": .object(["prompt_tokens": .number(tokens), "total_tokens": .number(tokens)]),
            ])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: reply.canonicalText)))
        }
        // A user's own agent endpoint: {"question": ...} -> {"data": {"answer": ..., "tool_calls": [...]}, "usage": {...}}.
        router.post("/agent") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let json = try JSONValue.parse(Data(body.readableBytesView))
            let question = json["question"]?.stringValue ?? ""
            state.append(Received(prompt: question, fault: nil, at: Date()))
            let reply = JSONValue.object([
                "data": .object([
                    "answer": .string(behaviour.answer(question)),
                    "tool_calls": .array([.object(["name": .string("lookup"), "arguments": .string(#"{"q":"x"}"#)])]),
                ]),
                "usage": .object(["prompt_tokens": .number(10), "completion_tokens": .number(5)]),
            ])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: reply.canonicalText)))
        }
        // Anthropic's Messages API: the answer as text, and a tool_use block when the prompt mentions "weather".
        router.post("/v1/messages") { request, _ -> Response in
            var request = request
            let names = ["x-api-key", "anthropic-version"].compactMap { HTTPField.Name($0) }
            guard names.count == 2, names.allSatisfy({ request.headers[$0] != nil }) else {
                return Response(status: .unauthorized, body: .init(byteBuffer: ByteBuffer(string: #"{"type":"error","error":{"message":"missing x-api-key"}}"#)))
            }
            let body = try await request.collectBody(upTo: 1 << 20)
            let json = try JSONValue.parse(Data(body.readableBytesView))
            let prompt = json["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
            state.append(Received(prompt: prompt, fault: nil, at: Date()))
            let answer = behaviour.answer(prompt)
            let wantsTool = prompt.contains("weather")
            if json["stream"]?.boolValue == true {
                var events: [JSONValue] = [
                    .object(["type": .string("message_start"), "message": .object(["usage": .object(["input_tokens": .number(11)])])]),
                    .object(["type": .string("content_block_start"), "index": .number(0), "content_block": .object(["type": .string("text"), "text": .string("")])]),
                ]
                for word in answer.split(separator: " ") {
                    events.append(.object(["type": .string("content_block_delta"), "index": .number(0), "delta": .object(["type": .string("text_delta"), "text": .string(String(word) + " ")])]))
                }
                if wantsTool {
                    events.append(.object(["type": .string("content_block_start"), "index": .number(1), "content_block": .object(["type": .string("tool_use"), "id": .string("toolu_1"), "name": .string("get_weather")])]))
                    events.append(.object(["type": .string("content_block_delta"), "index": .number(1), "delta": .object(["type": .string("input_json_delta"), "partial_json": .string(#"{"city": "#)])]))
                    events.append(.object(["type": .string("content_block_delta"), "index": .number(1), "delta": .object(["type": .string("input_json_delta"), "partial_json": .string(#""Paris"}"#)])]))
                }
                events.append(.object(["type": .string("message_delta"), "delta": .object(["stop_reason": .string(wantsTool ? "tool_use" : "end_turn")]), "usage": .object(["output_tokens": .number(7)])]))
                events.append(.object(["type": .string("message_stop")]))
                let text = events.map { "event: \($0["type"]?.stringValue ?? "")\ndata: \($0.canonicalText)\n\n" }.joined()
                return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: ByteBuffer(string: text)))
            }
            var content: [JSONValue] = [.object(["type": .string("text"), "text": .string(answer)])]
            if wantsTool {
                content.append(.object(["type": .string("tool_use"), "id": .string("toolu_1"), "name": .string("get_weather"), "input": .object(["city": .string("Paris")])]))
            }
            let reply = JSONValue.object([
                "type": .string("message"), "content": .array(content), "stop_reason": .string(wantsTool ? "tool_use" : "end_turn"),
                "usage": .object(["input_tokens": .number(11), "output_tokens": .number(7)]),
            ])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: reply.canonicalText)))
        }
        router.get("/v1/models") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"data":[{"id":"fake"}]}"#)))
        }
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "fake-model"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: {
                var logger = Logger(label: "fake-model")
                logger.logLevel = .critical
                return logger
            }()
        )
        task.set(Task { try await app.runService(gracefulShutdownSignals: []) })
        for await port in stream { return port }
        throw AssayError(.incomplete, "the fake server did not start")
    }

    /// A deterministic embedding: a 64-dimensional bag of words, each lower-cased word (a run of letters and
    /// digits) adding 1 at the position its FNV-1a hash selects. Texts with the same words point the same way;
    /// texts with no word in common are (nearly) orthogonal; a text without words is the zero vector.
    /// - Parameter text: The text.
    /// - Returns: The vector.
    public static func bagOfWords(_ text: String) -> [Double] {
        var vector = [Double](repeating: 0, count: 64)
        for word in words(text) {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            vector[Int(hash % 64)] += 1
        }
        return vector
    }

    /// The lower-cased words of a text (runs of letters and digits).
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// Stops the server.
    public func stop() async {
        task.cancel()
    }

    static func respond(to body: ByteBuffer, behaviour: Behaviour, state: LockedState) async throws -> Response {
        let json = try JSONValue.parse(Data(body.readableBytesView))
        let messages = json["messages"]?.arrayValue ?? []
        let prompt = messages.last(where: { $0["role"]?.stringValue == "user" })?["content"]?.stringValue ?? ""
        let stream = json["stream"]?.boolValue ?? false
        let fault = state.nextFault(behaviour: behaviour)
        state.append(Received(prompt: prompt, fault: fault, at: Date()))
        if behaviour.latency > 0 { try await Task.sleep(for: .seconds(behaviour.latency)) }
        let answer = behaviour.answer(prompt)
        let retryAfter = JSONValue.formatNumber(behaviour.retryAfter)
        switch fault {
        case .rateLimitWithRetryAfter:
            return Response(status: .tooManyRequests, headers: [.retryAfter: retryAfter], body: .init(byteBuffer: ByteBuffer(string: "slow down")))
        case .rateLimit:
            return Response(status: .tooManyRequests, body: .init(byteBuffer: ByteBuffer(string: "slow down")))
        case .serverError:
            return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "boom")))
        case .unavailable:
            return Response(status: .serviceUnavailable, headers: [.retryAfter: retryAfter], body: .init(byteBuffer: ByteBuffer(string: "busy")))
        case .timeout:
            try await Task.sleep(for: .seconds(behaviour.timeoutDelay))
        case .malformedJSON:
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"choices\": [")))
        case .truncatedStream, .connectionReset, nil:
            break
        }
        let usage: JSONValue = .object(["prompt_tokens": .number(Double(prompt.count / 4 + 1)), "completion_tokens": .number(Double(answer.count / 4 + 1))])
        if stream {
            var chunks: [String] = []
            let words = answer.split(separator: " ", omittingEmptySubsequences: false)
            for (index, word) in words.enumerated() {
                let piece = (index == 0 ? "" : " ") + word
                chunks.append(JSONValue.object(["choices": .array([.object(["index": .number(0), "delta": .object(["content": .string(String(piece))])])])]).canonicalText)
            }
            chunks.append(JSONValue.object(["choices": .array([.object(["index": .number(0), "delta": .object([:]), "finish_reason": .string("stop")])]), "usage": usage]).canonicalText)
            let cut = fault == .truncatedStream || fault == .connectionReset
            let allChunks = chunks
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                for (index, chunk) in allChunks.enumerated() {
                    if cut && index >= max(1, allChunks.count / 2) {
                        if fault == .connectionReset { throw CancellationError() }
                        try await writer.finish(nil)
                        return
                    }
                    try await writer.write(ByteBuffer(string: "data: \(chunk)\n\n"))
                }
                try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                try await writer.finish(nil)
            })
        }
        let completion = JSONValue.object([
            "id": .string("fake"), "object": .string("chat.completion"),
            "choices": .array([.object(["index": .number(0), "message": .object(["role": .string("assistant"), "content": .string(answer)]), "finish_reason": .string("stop")])]),
            "usage": usage,
        ]).canonicalText
        if fault == .truncatedStream || fault == .connectionReset {
            // Promise the whole body, send half, then drop the connection.
            let half = String(completion.prefix(completion.count / 2))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(contentLength: completion.utf8.count) { writer in
                try await writer.write(ByteBuffer(string: half))
                throw CancellationError()
            })
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: completion)))
    }
}

/// The server's mutable state behind a lock.
final class LockedState: @unchecked Sendable {
    private let lock = NSLock()
    private var _received: [Received] = []
    private var generator: SplitMix64?
    typealias Received = FakeModelServer.Received

    var received: [Received] { lock.withLock { _received } }

    func append(_ item: Received) { lock.withLock { _received.append(item) } }

    func nextFault(behaviour: FakeModelServer.Behaviour) -> Fault? {
        lock.withLock {
            guard behaviour.faultRate > 0, !behaviour.faults.isEmpty else { return nil }
            var rng = generator ?? SplitMix64(seed: behaviour.seed)
            defer { generator = rng }
            let draw = Double(rng.next() >> 11) / Double(1 << 53)
            guard draw < behaviour.faultRate else { return nil }
            return behaviour.faults[Int(rng.next() % UInt64(behaviour.faults.count))]
        }
    }
}

/// The server's task, cancellable from `stop()`.
final class LockedTask: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, any Error>?
    func set(_ task: Task<Void, any Error>) { lock.withLock { self.task = task } }
    func cancel() { lock.withLock { task?.cancel() } }
}

/// A small seeded generator (SplitMix64) so fault sequences repeat.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
