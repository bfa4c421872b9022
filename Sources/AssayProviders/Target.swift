import AssayCore
import Foundation

/// What the engine asks a target for: one case, its rendered messages and the sample index.
public struct ModelRequest: Sendable, Hashable {
    /// The case.
    public var testCase: Case
    /// The rendered conversation (for chat targets).
    public var messages: [Message]
    /// A `response_format` for structured output, when the route sets one.
    public var responseFormat: JSONValue?
    /// The sample index, from 0.
    public var sample: Int
    /// Tool definitions (OpenAI form) for this request, when its route offers its own; they replace the target's.
    public var tools: JSONValue?
    /// Generation parameters of this request's route, laid over the target's (e.g. `tool_choice`, `max_tokens`).
    public var parameters: [String: JSONValue] = [:]

    /// Creates a request.
    public init(testCase: Case, messages: [Message], responseFormat: JSONValue? = nil, sample: Int = 0, tools: JSONValue? = nil) {
        self.testCase = testCase
        self.messages = messages
        self.responseFormat = responseFormat
        self.sample = sample
        self.tools = tools
    }
}

/// The system under test.
public protocol Target: Sendable {
    /// The target's name from the suite.
    var name: String { get }
    /// Everything that determines the answer to `request`, without secrets; its SHA-256 is the response-cache key.
    /// Nil when answers must not be cached (recorded outputs).
    func cacheIdentity(for request: ModelRequest) -> JSONValue?
    /// Produces one output. Throws `ProviderError`, which says whether a retry may help.
    func generate(_ request: ModelRequest) async throws -> Output
}

extension Target {
    /// The response-cache key of a request: SHA-256 of its canonical identity, or nil when not cacheable.
    public func cacheKey(for request: ModelRequest) -> String? {
        cacheIdentity(for: request).map(Fingerprint.sha256)
    }
}

/// A provider failure, classified the way retries need it.
public struct ProviderError: Error, Sendable, CustomStringConvertible {
    /// Whether to retry.
    public enum Kind: Sendable, Hashable {
        /// 429: retry after the server's `Retry-After`, or with backoff.
        case rateLimited
        /// 5xx, timeouts, resets, truncated or malformed responses: retry with backoff.
        case transient
        /// Anything a retry cannot fix (4xx, bad configuration, unparseable by design).
        case fatal
    }

    /// The classification.
    public let kind: Kind
    /// A short human reason (status code and the server's message; never the request, prompt or key).
    public let message: String
    /// Seconds the server asked us to wait, from `Retry-After`.
    public let retryAfter: Double?

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, retryAfter: Double? = nil) {
        self.kind = kind
        self.message = message
        self.retryAfter = retryAfter
    }

    /// True unless fatal.
    public var isRetryable: Bool { kind != .fatal }
    /// The message.
    public var description: String { message }

    /// Classifies an HTTP status.
    /// - Parameters:
    ///   - status: The status code.
    ///   - body: The response body (a short excerpt goes into the message).
    ///   - retryAfter: The parsed `Retry-After`, if any.
    /// - Returns: The error.
    public static func http(status: Int, body: String, retryAfter: Double?) -> ProviderError {
        // Prefer the API's own error message; cut any echo of the request (validation errors quote the input,
        // which may hold prompt text).
        var text = (try? JSONValue.parse(body))?["error"]?["message"]?.stringValue ?? (try? JSONValue.parse(body))?["error"]?.stringValue ?? body
        for marker in ["'input':", "\"input\":"] {
            if let range = text.range(of: marker) { text = String(text[..<range.lowerBound]) + "…" }
        }
        let excerpt = text.count > 200 ? String(text.prefix(200)) + "…" : text
        let message = "HTTP \(status)\(excerpt.isEmpty ? "" : ": \(excerpt.replacingOccurrences(of: "\n", with: " "))")"
        switch status {
        case 429: return ProviderError(.rateLimited, message, retryAfter: retryAfter)
        case 408, 409, 425, 500, 502, 503, 504, 520...529: return ProviderError(.transient, message, retryAfter: retryAfter)
        default: return ProviderError(.fatal, message)
        }
    }

    /// Parses a `Retry-After` header: delay-seconds or an HTTP date.
    /// - Parameters:
    ///   - value: The header value.
    ///   - now: The current time.
    /// - Returns: Seconds to wait, or nil when absent or unparseable.
    public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0, seconds.isFinite { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: value) { return max(0, date.timeIntervalSince(now)) }
        return nil
    }
}

/// Runs an operation with a deadline; throws a transient `ProviderError` when it passes.
/// - Parameters:
///   - seconds: The deadline from now.
///   - operation: The work.
/// - Returns: The work's result.
/// - Throws: The work's error, or a timeout `ProviderError`.
public func withDeadline<T: Sendable>(seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw ProviderError(.transient, "timed out after \(JSONValue.formatNumber(seconds)) s")
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else {
            throw ProviderError(.transient, "timed out after \(JSONValue.formatNumber(seconds)) s")
        }
        return first
    }
}
