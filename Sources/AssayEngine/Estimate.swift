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
    /// Judge cost at most: every judge call at the dearest judge's prices, with a prompt of the judge's
    /// instructions plus the case's material and an answer of the target's `max_tokens`, and a reply of the judge's
    /// `max_tokens`; nil when a judge has no prices or no `max_tokens`.
    public var maxJudgeCost: Double?

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
        if maxJudgeCalls > 0 {
            text += "; at most \(maxJudgeCalls) judge call\(maxJudgeCalls == 1 ? "" : "s")"
            if let maxJudgeCost { text += String(format: " costing at most about $%.4f", maxJudgeCost) }
            text += " (fewer when cascades decide early or judgements are cached)"
        }
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
        var judgeCalls = 0, judgePromptCharacters = 0
        let perAnswer = (targetConfig.parameters["max_tokens"] ?? targetConfig.parameters["max_completion_tokens"])?.numberValue
        let answerCharacters = perAnswer.flatMap { $0.isFinite && $0 >= 0 && $0 < 1e9 ? Int($0) * 4 : nil } ?? 2_000
        for trial in self.trials where !finished.contains(TrialKey(caseID: trial.request.testCase.id, sample: trial.request.sample)) {
            trials += 1
            let trialJudgeCalls = (scorers[trial.request.testCase.route] ?? []).reduce(0) { $0 + $1.plannedCalls }
            if trialJudgeCalls > 0 {
                judgeCalls += trialJudgeCalls
                let testCase = trial.request.testCase
                let material = testCase.input.displayText.count + (testCase.expected?.count ?? 0)
                    + (testCase.context ?? []).reduce(0) { $0 + $1.count }
                judgePromptCharacters += trialJudgeCalls * (Self.judgeInstructionCharacters + material + answerCharacters)
            }
            if let cache, let key = target.cacheKey(for: trial.request), (try? await cache.cachedOutput(forKey: key)) != nil {
                cached += 1
                continue
            }
            promptCharacters += trial.request.messages.reduce(0) { $0 + $1.content.count + 4 }
        }
        let promptTokens = (promptCharacters + 3) / 4
        let calls = trials - cached
        let maxCompletion = perAnswer.flatMap { $0.isFinite && $0 >= 0 && $0 < 1e9 ? Int($0) * calls : nil }
        let prices = targetConfig.prices
        let promptCost = prices.map { Double(promptTokens) * $0.input / 1_000_000 }
        let maxCost = prices.flatMap { prices in maxCompletion.map { (promptCost ?? 0) + Double($0) * prices.output / 1_000_000 } }
        var estimate = RunEstimate(
            trials: trials, cached: cached, promptTokens: promptTokens, maxCompletionTokens: maxCompletion,
            promptCost: promptCost, maxCost: maxCost
        )
        estimate.maxJudgeCalls = judgeCalls
        estimate.maxJudgeCost = judgeCost(calls: judgeCalls, promptTokens: (judgePromptCharacters + 3) / 4)
        return estimate
    }

    /// Characters of a judge prompt's own instructions (system prompt, criteria, steps, markers), generously.
    static let judgeInstructionCharacters = 2_000

    /// Judge calls at the dearest judge's prices, each reply at that judge's `max_tokens`; nil without prices or
    /// `max_tokens` on every judge.
    func judgeCost(calls: Int, promptTokens: Int) -> Double? {
        guard calls > 0, !suite.judges.isEmpty else { return calls > 0 ? nil : 0 }
        var input = 0.0, output = 0.0, replyTokens = 0
        for judge in suite.judges {
            guard let prices = judge.prices,
                  let limit = (judge.parameters["max_tokens"] ?? judge.parameters["max_completion_tokens"])?.numberValue,
                  limit.isFinite, limit >= 0, limit < 1e9 else { return nil }
            input = max(input, prices.input)
            output = max(output, prices.output)
            replyTokens = max(replyTokens, Int(limit))
        }
        return (Double(promptTokens) * input + Double(calls * replyTokens) * output) / 1_000_000
    }
}
