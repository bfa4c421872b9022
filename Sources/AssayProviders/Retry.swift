import AssayCore
import Foundation

/// The result of an operation run under a retry policy.
public struct Attempted<Value: Sendable>: Sendable {
    /// The value.
    public var value: Value
    /// Attempts made, the successful one included.
    public var attempts: Int
}

/// Retries exhausted (or a fatal error): the last error and how many attempts were made.
public struct RetryFailure: Error, Sendable, CustomStringConvertible {
    /// The last error.
    public let last: ProviderError
    /// Attempts made.
    public let attempts: Int
    /// `reason (after N attempts)`.
    public var description: String {
        last.kind == .fatal && attempts == 1 ? last.message : "\(last.message) (after \(attempts) attempts)"
    }
}

/// Retries with exponential backoff and full jitter, honouring `Retry-After`, and failing fast on fatal errors.
public struct Retrier: Sendable {
    /// The policy.
    public var policy: RetryPolicy
    /// Sleeps; replaceable in tests.
    public var sleep: @Sendable (Double) async throws -> Void

    /// Creates a retrier.
    public init(policy: RetryPolicy, sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }) {
        self.policy = policy
        self.sleep = sleep
    }

    /// The delay before retry number `retry` (1-based): `Retry-After` when the server gave one, else a random
    /// delay in 0...min(maxDelay, initialDelay x 2^(retry-1)); never more than `maxDelay`.
    public func delay(beforeRetry retry: Int, error: ProviderError) -> Double {
        if let after = error.retryAfter { return min(after, policy.maxDelay) }
        let ceiling = min(policy.maxDelay, policy.initialDelay * pow(2, Double(retry - 1)))
        return Double.random(in: 0...max(0, ceiling))
    }

    /// Runs `operation` until it succeeds, fails fatally, or the attempts run out.
    /// - Parameter operation: The work; errors other than `ProviderError` count as transient.
    /// - Returns: The value and the attempts made.
    /// - Throws: `RetryFailure`, or `CancellationError` when the task is cancelled.
    public func run<T: Sendable>(_ operation: () async throws -> T) async throws -> Attempted<T> {
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            do {
                return Attempted(value: try await operation(), attempts: attempt)
            } catch let error as CancellationError {
                throw error
            } catch {
                let providerError = (error as? ProviderError) ?? ProviderError(.transient, "\(error)")
                guard providerError.isRetryable, attempt < policy.maxAttempts else {
                    throw RetryFailure(last: providerError, attempts: attempt)
                }
                try await sleep(delay(beforeRetry: attempt, error: providerError))
            }
        }
    }
}
