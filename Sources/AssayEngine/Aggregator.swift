import AssayCore
import AssayStats
import Foundation

/// Turns a run's trials into its summary: per route x scorer counts, pass rates with 95% Wilson intervals,
/// latency percentiles, tokens, cost, and gate verdicts.
public enum Aggregator {
    /// Summarises a run.
    /// - Parameters:
    ///   - run: The run.
    ///   - trials: Its trials.
    ///   - scorerOrder: Scorer names per route in rubric order (cells follow it); scorers not listed come after,
    ///     sorted.
    ///   - gates: Gates per route, by scorer name.
    ///   - highRiskRoutes: Routes marked `risk: high` (their worst-case failure rates lead the reports).
    /// - Returns: The summary.
    public static func summarize(
        run: RunRecord, trials: [TrialRecord], scorerOrder: [String: [String]] = [:], gates: [String: [String: GateConfig]],
        highRiskRoutes: Set<String> = []
    ) -> RunSummary {
        var byRoute: [String: [TrialRecord]] = [:]
        for trial in trials { byRoute[trial.route, default: []].append(trial) }

        var cells: [CellSummary] = []
        var gateResults: [GateResult] = []
        for route in byRoute.keys.sorted() {
            let routeTrials = byRoute[route] ?? []
            var order = scorerOrder[route] ?? []
            let seen = Set(order)
            let extra = Set(routeTrials.flatMap { $0.scores.map(\.scorer) }).subtracting(seen).sorted()
            order += extra
            for scorer in order {
                var cell = cell(route: route, scorer: scorer, trials: routeTrials)
                cell.highRisk = highRiskRoutes.contains(route)
                if let gate = gates[route]?[scorer] {
                    let result = judge(gate: gate, cell: cell)
                    cell.gate = result
                    gateResults.append(result)
                }
                cells.append(cell)
            }
        }
        var routes: [String: UsageSummary] = [:]
        for (route, routeTrials) in byRoute { routes[route] = usage(routeTrials) }
        var targetErrors: [String: Int] = [:]
        for trial in trials { if let error = trial.error { targetErrors[error, default: 0] += 1 } }

        let verdict: GateVerdict
        if gateResults.contains(where: { $0.verdict == .fail }) {
            verdict = .fail
        } else if gateResults.contains(where: { $0.verdict == .inconclusive }) {
            verdict = .inconclusive
        } else {
            verdict = .pass
        }
        return RunSummary(
            run: run, usage: usage(trials), routes: routes, cells: cells, gates: gateResults, verdict: verdict,
            targetErrors: targetErrors
        )
    }

    static func cell(route: String, scorer: String, trials: [TrialRecord]) -> CellSummary {
        var passed = 0, failed = 0, unmeasured = 0, total = 0
        var valueSum = 0.0, valueCount = 0, cost = 0.0
        var reasons: [String: Int] = [:]
        var failing = Set<String>()
        var labels: [String: Int] = [:]
        var judgeCalls = 0, savedCalls = 0
        var judgeTokens: TokenUsage?
        for trial in trials {
            guard let score = trial.scores.first(where: { $0.scorer == scorer }) else { continue }
            total += 1
            cost += score.cost
            judgeCalls += score.calls
            savedCalls += score.savedCalls
            if let usage = score.usage { judgeTokens = judgeTokens.map { $0 + usage } ?? usage }
            if score.status.isScored, let label = score.label { labels[label, default: 0] += 1 }
            switch score.status {
            case .scored:
                if score.passed == true {
                    passed += 1
                } else {
                    failed += 1
                    failing.insert(trial.caseID)
                }
                if let value = score.value {
                    valueSum += value
                    valueCount += 1
                }
            case .unmeasured(let reason):
                unmeasured += 1
                reasons[reason, default: 0] += 1
            }
        }
        // Several samples per case: which cases flip, and how the score variance splits into cases and generator.
        var byCase: [String: [Score]] = [:]
        for trial in trials {
            if let score = trial.scores.first(where: { $0.scorer == scorer }), score.status.isScored {
                byCase[trial.caseID, default: []].append(score)
            }
        }
        let flaky = byCase.filter { _, scores in scores.contains { $0.passed == true } && scores.contains { $0.passed == false } }.keys.sorted()
        // case -> samples -> judge repeats (a single value when the scorer did not repeat).
        let multiSample = byCase.values.contains { $0.count > 1 || ($0.first?.repeatValues?.count ?? 0) > 1 }
        let components = multiSample
            ? VarianceComponents.estimate(byCase.keys.sorted().map { id in
                (byCase[id] ?? []).compactMap { score in score.repeatValues ?? score.value.map { [$0] } }
            })
            : nil
        let scored = passed + failed
        let interval = scored > 0 ? BinomialInterval.wilson(successes: passed, trials: scored) : nil
        var cell = CellSummary(
            route: route, scorer: scorer, trials: total, passed: passed, failed: failed, unmeasured: unmeasured,
            passRate: scored > 0 ? Double(passed) / Double(scored) : nil, passRateLower: interval?.lower,
            passRateUpper: interval?.upper, meanValue: valueCount > 0 ? valueSum / Double(valueCount) : nil,
            unmeasuredReasons: reasons, failingCaseIDs: failing.sorted(), cost: cost, gate: nil
        )
        cell.flakyCaseIDs = flaky
        cell.caseVariance = components?.caseVariance
        cell.generatorVariance = components?.generatorVariance
        cell.judgeVariance = components?.judgeVariance
        cell.judgeCalls = judgeCalls
        cell.judgeTokens = judgeTokens
        cell.savedCalls = savedCalls
        if !byCase.isEmpty {
            let anyFailed = byCase.values.filter { $0.contains { $0.passed == false } }.count
            cell.worstCaseFailureRate = Double(anyFailed) / Double(byCase.count)
        }
        cell.refusal = refusalRates(labels)
        cell.pairwise = pairwiseTally(labels)
        return cell
    }

    /// The refusal scorer's labels.
    static let refusalLabels: Set<String> = [
        "correct_answer", "over_refusal", "over_escalation", "correct_refusal", "under_refusal", "wrong_escalation",
        "correct_escalation", "missed_escalation",
    ]

    /// Refusal calibration rates, when the labels are the refusal scorer's.
    static func refusalRates(_ labels: [String: Int]) -> RefusalRates? {
        guard !labels.isEmpty, Set(labels.keys).isSubset(of: refusalLabels) else { return nil }
        func count(_ names: String...) -> Int { names.reduce(0) { $0 + (labels[$1] ?? 0) } }
        return RefusalRates(
            overRefusal: LabelRate(count: count("over_refusal", "over_escalation"), of: count("correct_answer", "over_refusal", "over_escalation")),
            underRefusal: LabelRate(count: count("under_refusal"), of: count("correct_refusal", "under_refusal", "wrong_escalation")),
            missedEscalation: LabelRate(count: count("missed_escalation"), of: count("correct_escalation", "missed_escalation"))
        )
    }

    /// Wins, ties, losses and inconsistent verdicts, when the labels are a pairwise judge's.
    static func pairwiseTally(_ labels: [String: Int]) -> PairwiseTally? {
        guard !labels.isEmpty, Set(labels.keys).isSubset(of: ["win", "tie", "loss", "inconsistent"]) else { return nil }
        return PairwiseTally(wins: labels["win"] ?? 0, ties: labels["tie"] ?? 0, losses: labels["loss"] ?? 0, inconsistent: labels["inconsistent"] ?? 0)
    }

    /// Judges a minimum-pass-rate gate: inconclusive when nothing was scored, otherwise the configured basis
    /// (point estimate or Wilson lower bound) against the minimum.
    public static func judge(gate: GateConfig, cell: CellSummary) -> GateResult {
        let minimum = percent(gate.minPassRate)
        guard let rate = cell.passRate else {
            return GateResult(
                route: cell.route, scorer: cell.scorer, gate: gate, observed: nil, verdict: .inconclusive,
                explanation: "no trial could be scored (\(cell.unmeasured) unmeasured); needs >= \(minimum)"
            )
        }
        let limit = gate.maxUnmeasured ?? GateConfig.defaultMaxUnmeasured
        if cell.trials > 0, Double(cell.unmeasured) / Double(cell.trials) > limit + 1e-12 {
            return GateResult(
                route: cell.route, scorer: cell.scorer, gate: gate, observed: rate, verdict: .inconclusive,
                explanation: "\(cell.unmeasured) of \(cell.trials) trials unmeasured (more than \(percent(limit))): too few measured to judge; pass rate \(percent(rate)) on the rest"
            )
        }
        let observed = gate.basis == .point ? rate : (cell.passRateLower ?? 0)
        let what = gate.basis == .point ? "pass rate" : "95% lower bound"
        let passes = observed >= gate.minPassRate - 1e-12
        return GateResult(
            route: cell.route, scorer: cell.scorer, gate: gate, observed: observed, verdict: passes ? .pass : .fail,
            explanation: "\(what) \(percent(observed)) \(passes ? ">=" : "<") \(minimum) (\(cell.passed)/\(cell.passed + cell.failed) passed\(cell.unmeasured > 0 ? ", \(cell.unmeasured) unmeasured" : ""))"
        )
    }

    static func percent(_ value: Double) -> String {
        String(format: "%.1f%%", value * 100)
    }

    static func usage(_ trials: [TrialRecord]) -> UsageSummary {
        var latencies: [Double] = []
        var ttfts: [Double] = []
        var prompt = 0, completion = 0, answered = 0, errors = 0, cached = 0, withoutUsage = 0
        var cost = 0.0, scoringCost = 0.0
        for trial in trials {
            scoringCost += trial.scores.reduce(0) { $0 + $1.cost }
            if trial.cached { cached += 1 }
            guard let output = trial.output else {
                errors += 1
                continue
            }
            answered += 1
            // 0 means not measured (recorded outputs without a latency).
            if output.latency > 0 { latencies.append(output.latency) }
            if let ttft = output.timeToFirstToken { ttfts.append(ttft) }
            if output.usage == nil { withoutUsage += 1 }
            prompt += output.usage?.promptTokens ?? 0
            completion += output.usage?.completionTokens ?? 0
            cost += output.cost ?? 0
        }
        var summary = UsageSummary(
            trials: trials.count, answered: answered, targetErrors: errors, cached: cached, promptTokens: prompt,
            completionTokens: completion, cost: cost, scoringCost: scoringCost, latency: latencySummary(latencies),
            timeToFirstToken: latencySummary(ttfts)
        )
        summary.answersWithoutUsage = withoutUsage
        return summary
    }

    static func latencySummary(_ values: [Double]) -> LatencySummary? {
        guard !values.isEmpty, let ps = Percentile.linear(values, [0.5, 0.95, 0.99]), ps.count == 3 else { return nil }
        return LatencySummary(
            count: values.count, p50: ps[0], p95: ps[1], p99: ps[2], mean: values.reduce(0, +) / Double(values.count),
            max: values.max() ?? 0
        )
    }
}
