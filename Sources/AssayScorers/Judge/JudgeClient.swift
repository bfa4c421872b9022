import AssayCore
import AssayProviders
import Foundation

/// An LLM judge: a target used for scoring, called through the same response cache and retries as targets.
public struct JudgeClient: Sendable {
    /// The judge's name in the suite (`judges:`).
    public let name: String
    /// The judge's configuration.
    public let config: TargetConfig
    let target: any Target
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
    ///   - index: The repeat index (part of the cache key, so repeats are distinct calls).
    ///   - spend: Where the call's cost, tokens and count are added (a cached answer adds its cost at today's
    ///     prices but no call).
    /// - Returns: The reply.
    public func ask(
        _ messages: [Message], responseFormat: JSONValue?, for testCase: Case, repeat index: Int = 0, spend: inout JudgeSpend
    ) async -> Reply {
        let request = ModelRequest(testCase: testCase, messages: messages, responseFormat: responseFormat, sample: index)
        switch await cachedCall(key: target.cacheKey(for: request), spend: &spend, fetch: { try await target.generate(request) }) {
        case .success(let output): return .answered(output)
        case .failure(let failure): return .failed(failure.message)
        }
    }

    /// Answers from the response cache when `key` holds a usable entry (a cached answer adds its cost at today's
    /// prices but no call); otherwise calls `fetch` under the retry policy, adds the attempts, tokens and cost to
    /// `spend`, and caches the answer.
    /// - Parameters:
    ///   - key: The cache key, or nil when the call must not be cached.
    ///   - spend: Where the spending is added.
    ///   - usable: Whether a cached entry can be used (an unusable one is fetched again and replaced).
    ///   - fetch: The provider call.
    /// - Returns: The answer, or why the call failed (naming the judge).
    func cachedCall(
        key: String?, spend: inout JudgeSpend, usable: (Output) -> Bool = { _ in true }, fetch: () async throws -> Output
    ) async -> Result<Output, JudgeFailure> {
        if let cache, let key, var hit = try? await cache.cachedOutput(forKey: key), usable(hit) {
            if let prices = config.prices, let usage = hit.usage { hit.cost = prices.cost(of: usage) }
            spend.cost += hit.cost ?? 0
            return .success(hit)
        }
        do {
            let result = try await retrier.run { try await fetch() }
            spend.calls += result.attempts
            spend.add(result.value)
            if let cache, let key { try? await cache.storeOutput(result.value, forKey: key) }
            return .success(result.value)
        } catch let error as RetryFailure {
            spend.calls += error.attempts
            return .failure(JudgeFailure(message: "judge '\(name)' failed: \(error.description)"))
        } catch {
            spend.calls += 1
            return .failure(JudgeFailure(message: "judge '\(name)' failed: \(error)"))
        }
    }
}

/// What the judge calls behind one score cost: provider calls (attempts, cache hits excluded), tokens and USD.
public struct JudgeSpend: Sendable, Hashable {
    /// Provider calls made (retries included; answers from the cache are not calls).
    public var calls = 0
    /// Cost in USD at the judge's prices (cached answers included, as for targets).
    public var cost = 0.0
    /// Tokens of the calls made, when reported.
    public var usage: TokenUsage?

    /// No spending yet.
    public init() {}

    /// Adds a fresh answer's tokens and cost.
    mutating func add(_ output: Output) {
        cost += output.cost ?? 0
        if let used = output.usage { usage = usage.map { $0 + used } ?? used }
    }
}

extension Score {
    /// This score with the judge spending behind it.
    /// - Parameter spend: The judge calls' count, tokens and cost.
    /// - Returns: The score carrying them.
    public func charged(_ spend: JudgeSpend) -> Score {
        var score = self
        score.cost = spend.cost
        score.calls = spend.calls
        score.usage = spend.usage
        return score
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
