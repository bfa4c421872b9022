import AssayCore
import AssayProviders
import AssayScorers
import AssayStore
import Foundation

/// What a run will call and spend, worked out before it starts.
public struct RunEstimate: Sendable, Hashable {
    /// Trials still to run.
    public var trials: Int
    /// Of those, answered from the response cache (no call).
    public var cached: Int
    /// Target calls needed (first attempts; retries come on top).
    public var calls: Int { trials - cached }
    /// Prompt tokens of those calls, estimated at 4 characters per token.
    public var promptTokens: Int
    /// Completion tokens at most (the target's `max_tokens`, or `max_completion_tokens`), when it sets one.
    public var maxCompletionTokens: Int?
    /// Cost of the prompt tokens, at the target's prices.
    public var promptCost: Double?
    /// Cost at most, with every answer at `max_tokens`; nil without prices or `max_tokens`.
    public var maxCost: Double?
    /// Judge calls at most (every judge scorer's calls on every trial; cascades and the judge cache make fewer).
    public var maxJudgeCalls: Int = 0

    /// One line for the terminal.
    public var description: String {
        var text = "\(calls) target call\(calls == 1 ? "" : "s")"
        if cached > 0 { text += " (\(cached) more answered from the cache)" }
        text += ", about \(promptTokens) prompt tokens"
        if let maxCompletionTokens { text += " and at most \(maxCompletionTokens) completion tokens" }
        if let maxCost {
            text += String(format: ", at most $%.4f", maxCost)
        } else if let promptCost {
            text += String(format: ", $%.4f for prompts (no max_tokens, so no upper bound on answers)", promptCost)
        }
        if maxJudgeCalls > 0 { text += "; at most \(maxJudgeCalls) judge call\(maxJudgeCalls == 1 ? "" : "s") (fewer when cascades decide early or judgements are cached)" }
        return text
    }
}

extension RunPlan {
    /// Estimates the calls, tokens and cost of running the trials not in `finished`.
    /// - Parameters:
    ///   - target: The target (for cache keys).
    ///   - cache: The response cache, or nil when it is bypassed.
    ///   - finished: Trials already done (when resuming).
    /// - Returns: The estimate.
    public func estimate(target: any Target, cache: (any ResponseCache)?, finished: Set<TrialKey> = []) async -> RunEstimate {
        var trials = 0, cached = 0, promptCharacters = 0
        var judgeCalls = 0
        for trial in self.trials where !finished.contains(TrialKey(caseID: trial.request.testCase.id, sample: trial.request.sample)) {
            trials += 1
            judgeCalls += (scorers[trial.request.testCase.route] ?? []).reduce(0) { $0 + $1.plannedCalls }
            if let cache, let key = target.cacheKey(for: trial.request), (try? await cache.cachedOutput(forKey: key)) != nil {
                cached += 1
                continue
            }
            promptCharacters += trial.request.messages.reduce(0) { $0 + $1.content.count + 4 }
        }
        let promptTokens = (promptCharacters + 3) / 4
        let calls = trials - cached
        let perAnswer = (targetConfig.parameters["max_tokens"] ?? targetConfig.parameters["max_completion_tokens"])?.numberValue
        let maxCompletion = perAnswer.flatMap { $0.isFinite && $0 >= 0 && $0 < 1e9 ? Int($0) * calls : nil }
        let prices = targetConfig.prices
        let promptCost = prices.map { Double(promptTokens) * $0.input / 1_000_000 }
        let maxCost = prices.flatMap { prices in maxCompletion.map { (promptCost ?? 0) + Double($0) * prices.output / 1_000_000 } }
        var estimate = RunEstimate(
            trials: trials, cached: cached, promptTokens: promptTokens, maxCompletionTokens: maxCompletion,
            promptCost: promptCost, maxCost: maxCost
        )
        estimate.maxJudgeCalls = judgeCalls
        return estimate
    }
}
