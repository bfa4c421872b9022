import Foundation

/// Latency percentiles in seconds.
public struct LatencySummary: Sendable, Hashable, Codable {
    /// Observations.
    public var count: Int
    /// Median.
    public var p50: Double
    /// 95th percentile.
    public var p95: Double
    /// 99th percentile.
    public var p99: Double
    /// Mean.
    public var mean: Double
    /// Maximum.
    public var max: Double

    /// Creates a summary.
    public init(count: Int, p50: Double, p95: Double, p99: Double, mean: Double, max: Double) {
        self.count = count
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.mean = mean
        self.max = max
    }
}

/// The verdict of a gate.
public enum GateVerdict: String, Sendable, Hashable, Codable {
    /// The requirement is met.
    case pass
    /// The requirement is not met.
    case fail
    /// Not enough scored trials to judge (every trial unmeasured).
    case inconclusive
}

/// A gate's outcome on one route x scorer.
public struct GateResult: Sendable, Hashable, Codable {
    /// The route.
    public var route: String
    /// The scorer.
    public var scorer: String
    /// The gate as configured.
    public var gate: GateConfig
    /// The value compared with the minimum (pass rate or its lower bound); nil when nothing was scored.
    public var observed: Double?
    /// The verdict.
    public var verdict: GateVerdict
    /// One line explaining the verdict.
    public var explanation: String

    /// Creates a gate result.
    public init(route: String, scorer: String, gate: GateConfig, observed: Double?, verdict: GateVerdict, explanation: String) {
        self.route = route
        self.scorer = scorer
        self.gate = gate
        self.observed = observed
        self.verdict = verdict
        self.explanation = explanation
    }
}

/// Aggregates of one route x scorer.
public struct CellSummary: Sendable, Hashable, Codable {
    /// The route.
    public var route: String
    /// The scorer's name.
    public var scorer: String
    /// Trials in the cell (scored + unmeasured).
    public var trials: Int
    /// Passed trials.
    public var passed: Int
    /// Failed trials.
    public var failed: Int
    /// Unmeasured trials (never counted as passed or failed).
    public var unmeasured: Int
    /// passed / (passed + failed); nil when nothing was scored.
    public var passRate: Double?
    /// 95% Wilson interval of the pass rate, lower bound.
    public var passRateLower: Double?
    /// 95% Wilson interval of the pass rate, upper bound.
    public var passRateUpper: Double?
    /// Mean score value over scored trials.
    public var meanValue: Double?
    /// Unmeasured reasons with their counts.
    public var unmeasuredReasons: [String: Int]
    /// Ids of cases with at least one failed trial, sorted.
    public var failingCaseIDs: [String]
    /// Scoring cost in USD.
    public var cost: Double
    /// The gate's result, when the scorer has a gate.
    public var gate: GateResult?
    /// Ids of cases that passed in some samples and failed in others, sorted (only with several samples).
    public var flakyCaseIDs: [String] = []
    /// Variance of score values between cases (with several samples per case); nil otherwise.
    public var caseVariance: Double?
    /// Variance between samples of the same case: the generator's non-determinism; nil with one sample.
    public var generatorVariance: Double?
    /// Variance between repeated judgements of the same output; nil without judge repeats.
    public var judgeVariance: Double?
    /// Judge calls made by this scorer (answers from the cache excluded).
    public var judgeCalls: Int = 0
    /// Tokens of those judge calls, as reported.
    public var judgeTokens: TokenUsage?
    /// Judge calls a cascade did not need to make.
    public var savedCalls: Int = 0
    /// Cases with at least one failed sample over cases with at least one scored sample: the worst-case failure
    /// rate (with one sample per case, the failure rate); nil when nothing was scored.
    public var worstCaseFailureRate: Double?
    /// True when the route is marked `risk: high` in the suite.
    public var highRisk: Bool = false
    /// Over-, under-refusal and missed-escalation rates, for a refusal scorer.
    public var refusal: RefusalRates?
    /// Wins, ties, losses and position consistency, for a pairwise judge.
    public var pairwise: PairwiseTally?

    /// Creates a cell summary.
    public init(
        route: String, scorer: String, trials: Int, passed: Int, failed: Int, unmeasured: Int, passRate: Double?,
        passRateLower: Double?, passRateUpper: Double?, meanValue: Double?, unmeasuredReasons: [String: Int],
        failingCaseIDs: [String], cost: Double, gate: GateResult?
    ) {
        self.route = route
        self.scorer = scorer
        self.trials = trials
        self.passed = passed
        self.failed = failed
        self.unmeasured = unmeasured
        self.passRate = passRate
        self.passRateLower = passRateLower
        self.passRateUpper = passRateUpper
        self.meanValue = meanValue
        self.unmeasuredReasons = unmeasuredReasons
        self.failingCaseIDs = failingCaseIDs
        self.cost = cost
        self.gate = gate
    }
}

/// `count` of `of` trials, with the rate.
public struct LabelRate: Sendable, Hashable, Codable {
    /// Trials with the label.
    public var count: Int
    /// Trials it is counted among.
    public var of: Int
    /// count / of; nil when `of` is 0.
    public var rate: Double? { of > 0 ? Double(count) / Double(of) : nil }

    /// Creates a rate.
    public init(count: Int, of: Int) {
        self.count = count
        self.of = of
    }

    enum CodingKeys: String, CodingKey { case count, of, rate }

    /// Encodes count, denominator and rate.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(of, forKey: .of)
        try container.encodeIfPresent(rate, forKey: .rate)
    }

    /// Decodes count and denominator (the rate follows from them).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        count = try container.decode(Int.self, forKey: .count)
        of = try container.decode(Int.self, forKey: .of)
    }
}

/// Refusal calibration of a cell, from the refusal scorer's labels, reported separately because they cost
/// differently: an over-refusal loses a customer, an under-refusal is a safety incident.
public struct RefusalRates: Sendable, Hashable, Codable {
    /// Refusals or escalations among cases that expected an answer (`over_refusal` + `over_escalation`).
    public var overRefusal: LabelRate
    /// Answers among cases that expected a refusal (`under_refusal`).
    public var underRefusal: LabelRate
    /// Missing escalations among cases that expected one (`missed_escalation`).
    public var missedEscalation: LabelRate

    /// Creates the rates.
    public init(overRefusal: LabelRate, underRefusal: LabelRate, missedEscalation: LabelRate) {
        self.overRefusal = overRefusal
        self.underRefusal = underRefusal
        self.missedEscalation = missedEscalation
    }
}

/// A pairwise judge's verdicts in a cell.
public struct PairwiseTally: Sendable, Hashable, Codable {
    /// The candidate won in both orders.
    public var wins: Int
    /// Both orders called a tie.
    public var ties: Int
    /// The baseline won in both orders.
    public var losses: Int
    /// The two orders disagreed (counted as ties in the value).
    public var inconsistent: Int
    /// Verdicts that held when the outputs swapped places: 1 - inconsistent / all; nil when none.
    public var positionConsistency: Double? {
        let all = wins + ties + losses + inconsistent
        return all > 0 ? 1 - Double(inconsistent) / Double(all) : nil
    }

    /// Creates a tally.
    public init(wins: Int, ties: Int, losses: Int, inconsistent: Int) {
        self.wins = wins
        self.ties = ties
        self.losses = losses
        self.inconsistent = inconsistent
    }
}

/// Operational figures of a group of trials (a route, or the whole run).
public struct UsageSummary: Sendable, Hashable, Codable {
    /// Trials.
    public var trials: Int
    /// Trials the target answered.
    public var answered: Int
    /// Trials the target failed to answer (unmeasured).
    public var targetErrors: Int
    /// Trials answered from the response cache.
    public var cached: Int
    /// Prompt tokens.
    public var promptTokens: Int
    /// Completion tokens.
    public var completionTokens: Int
    /// Answered trials whose provider reported no token usage (some servers omit it when streaming): tokens
    /// and cost are unknown for them, not zero.
    public var answersWithoutUsage: Int = 0
    /// Target cost in USD: what the answers cost at the target's prices (cached answers included).
    public var cost: Double
    /// Scoring (judge) cost in USD.
    public var scoringCost: Double
    /// Latency of answered trials (a cached answer keeps the latency measured when it was produced).
    public var latency: LatencySummary?
    /// Time to first token of streamed answers.
    public var timeToFirstToken: LatencySummary?

    /// Creates a usage summary.
    public init(
        trials: Int, answered: Int, targetErrors: Int, cached: Int, promptTokens: Int, completionTokens: Int,
        cost: Double, scoringCost: Double, latency: LatencySummary?, timeToFirstToken: LatencySummary?
    ) {
        self.trials = trials
        self.answered = answered
        self.targetErrors = targetErrors
        self.cached = cached
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cost = cost
        self.scoringCost = scoringCost
        self.latency = latency
        self.timeToFirstToken = timeToFirstToken
    }
}

/// A run's results: what every report renders.
public struct RunSummary: Sendable, Hashable, Codable {
    /// Version of this document's format (see docs/report-format.md).
    public var formatVersion: Int
    /// The run.
    public var run: RunRecord
    /// Figures for the whole run.
    public var usage: UsageSummary
    /// Figures per route, by route name.
    public var routes: [String: UsageSummary]
    /// One cell per route x scorer, sorted by route then rubric order.
    public var cells: [CellSummary]
    /// Every gate's result.
    public var gates: [GateResult]
    /// The overall verdict: fail if any gate failed, else inconclusive if any was, else pass.
    public var verdict: GateVerdict
    /// Target error reasons with counts.
    public var targetErrors: [String: Int]

    /// Creates a summary.
    public init(
        formatVersion: Int = 1, run: RunRecord, usage: UsageSummary, routes: [String: UsageSummary],
        cells: [CellSummary], gates: [GateResult], verdict: GateVerdict, targetErrors: [String: Int]
    ) {
        self.formatVersion = formatVersion
        self.run = run
        self.usage = usage
        self.routes = routes
        self.cells = cells
        self.gates = gates
        self.verdict = verdict
        self.targetErrors = targetErrors
    }
}
