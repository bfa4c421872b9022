import AssayCore
import AssayProviders
import Foundation

/// An LLM judge: a target used for scoring, called through the same response cache and retries as targets.
public struct JudgeClient: Sendable {
    /// The judge's name in the suite (`judges:`).
    public let name: String
    /// The judge's configuration.
    public let config: TargetConfig
    private let target: any Target
    private let cache: (any ResponseCache)?
    private let retrier: Retrier

    /// Creates a judge client.
    /// - Parameters:
    ///   - config: The judge's target configuration.
    ///   - target: The target built from it.
    ///   - cache: The response cache, or nil to bypass it.
    ///   - retrier: Retries for judge calls (defaults to the judge's own policy).
    public init(config: TargetConfig, target: any Target, cache: (any ResponseCache)?, retrier: Retrier? = nil) {
        self.name = config.name
        self.config = config
        self.target = target
        self.cache = cache
        self.retrier = retrier ?? Retrier(policy: config.retry)
    }

    /// SHA-256 of the judge's identity (provider, URL, model, parameters; no secrets): part of every judge
    /// scorer's fingerprint.
    public var fingerprint: String { Fingerprint.sha256(config.identity) }

    /// Whether the judge was configured to return top log-probabilities.
    public var returnsLogprobs: Bool { (config.topLogprobs ?? 0) > 0 }

    /// What a judge call produced.
    public enum Reply: Sendable {
        /// The judge answered.
        case answered(Output)
        /// The call failed after retries; the reason says why.
        case failed(String)
    }

    /// Asks the judge.
    /// - Parameters:
    ///   - messages: The judge prompt.
    ///   - responseFormat: A JSON-schema response format, in OpenAI form (translated per the judge's
    ///     `structured_output`).
    ///   - testCase: The case being judged (for providers that template on it).
    ///   - repeat: The repeat index (part of the cache key, so repeats are distinct calls).
    /// - Returns: The reply.
    public func ask(_ messages: [Message], responseFormat: JSONValue?, for testCase: Case, repeat index: Int = 0) async -> Reply {
        let request = ModelRequest(testCase: testCase, messages: messages, responseFormat: responseFormat, sample: index)
        let key = target.cacheKey(for: request)
        if let cache, let key, let hit = try? await cache.cachedOutput(forKey: key) {
            return .answered(hit)
        }
        do {
            let result = try await retrier.run { try await target.generate(request) }
            if let cache, let key { try? await cache.storeOutput(result.value, forKey: key) }
            return .answered(result.value)
        } catch let error as RetryFailure {
            return .failed("judge '\(name)' failed: \(error.description)")
        } catch {
            return .failed("judge '\(name)' failed: \(error)")
        }
    }
}

/// What scorers may need beyond their own options: the suite's judges and folder.
public struct ScorerContext: Sendable {
    /// Judges by name.
    public var judges: [String: JudgeClient]
    /// The suite's folder, for files scorers refer to.
    public var suiteFolder: URL?

    /// Creates a context.
    public init(judges: [String: JudgeClient] = [:], suiteFolder: URL? = nil) {
        self.judges = judges
        self.suiteFolder = suiteFolder
    }

    /// No judges: enough for deterministic scorers.
    public static let empty = ScorerContext()

    /// The judge an option names, or a config error listing the suite's judges.
    /// - Parameter node: The `judge:` option.
    /// - Returns: The judge.
    /// - Throws: `AssayError` (config) at the option's line.
    public func judge(named node: ConfigNode?, in config: ScorerConfig) throws -> JudgeClient {
        guard let node else {
            if judges.count == 1, let only = judges.values.first { return only }
            throw config.options.error("scorer type '\(config.type)' needs 'judge: NAME' naming one of the suite's 'judges:'\(judges.isEmpty ? " (the suite has none; add a 'judges:' list)" : "")")
        }
        let name = try node.string()
        guard let judge = judges[name] else {
            let known = judges.keys.sorted()
            let hint = ConfigNode.closest(to: name, in: known).map { "; did you mean '\($0)'?" } ?? ""
            throw node.error("unknown judge '\(name)'\(hint) (judges: \(known.isEmpty ? "none; add a 'judges:' list to the suite" : known.joined(separator: ", ")))")
        }
        return judge
    }
}
