import AssayCore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// A minimal OpenAI-compatible chat server for the orchestration benchmark: every `POST /v1/chat/completions`
/// answers `Echo: <last user message>` after a fixed delay. The delay is a `Task.sleep`, so a waiting request holds
/// no thread: the server can keep hundreds of requests waiting on its two event-loop threads.
public enum FakeChatServer {
    /// Runs the server on 127.0.0.1 at a free port until the calling task is cancelled.
    /// - Parameters:
    ///   - latency: The delay before each answer.
    ///   - onRunning: Called once with the bound port.
    /// - Throws: When the server cannot bind.
    public static func run(latency: Duration, onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let prompt = lastUserMessage(in: body)
            try await Task.sleep(for: latency)
            return completion(answer: "Echo: \(prompt)", promptLength: prompt.count)
        }
        var logger = Logger(label: "assay-bench.fake-server")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "assay-bench-fake", backlog: 1024),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await app.runService(gracefulShutdownSignals: [])
    }

    /// Starts the server in this process.
    /// - Parameter latency: The delay before each answer.
    /// - Returns: The running server; `stop()` it when done.
    /// - Throws: When the server cannot bind.
    public static func startInProcess(latency: Duration) async throws -> RunningServer {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            try await run(latency: latency) { port in
                continuation.yield(port)
                continuation.finish()
            }
        }
        for await port in ports where port > 0 {
            return RunningServer(port: port, placement: .inProcess(task))
        }
        task.cancel()
        throw BenchmarkFailure("the in-process fake server did not start")
    }

    static func lastUserMessage(in body: ByteBuffer) -> String {
        guard let json = try? JSONValue.parse(Data(body.readableBytesView)) else { return "" }
        let messages = json["messages"]?.arrayValue ?? []
        return messages.last(where: { $0["role"]?.stringValue == "user" })?["content"]?.stringValue ?? ""
    }

    static func completion(answer: String, promptLength: Int) -> Response {
        let text = JSONValue.object([
            "id": .string("bench"), "object": .string("chat.completion"), "model": .string("fake"),
            "choices": .array([.object([
                "index": .number(0), "finish_reason": .string("stop"),
                "message": .object(["role": .string("assistant"), "content": .string(answer)]),
            ])]),
            "usage": .object([
                "prompt_tokens": .number(Double(promptLength / 4 + 1)),
                "completion_tokens": .number(Double(answer.count / 4 + 1)),
            ]),
        ]).canonicalText
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// A benchmark setup failure (a missing server, a failed trial...).
public struct BenchmarkFailure: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// Creates a failure.
    public init(_ description: String) { self.description = description }
}
