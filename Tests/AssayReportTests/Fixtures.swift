import AssayCore
import Foundation

/// Hand-built run summaries covering what a report must get right: a passing run, a failing one with nasty case
/// ids, an all-unmeasured (inconclusive) cell, a run without cells, and runs without per-route figures.
enum Fixtures {
    /// 2025-03-01T10:00:00Z.
    static let created = Date(timeIntervalSince1970: 1_740_823_200)
    /// Case ids that break naive escaping in every format.
    static let nastyIDs = [
        #"<&"'>"#, "a|b", "line\nbreak", "tab\there", "esc\u{1B}[31mred", "nul\u{0}byte", "back`tick", "]]>", "# heading",
        "[link](http://x)", "*bold*", "\u{202E}rtl",
    ]

    static func manifest(routes: [String: Int] = ["billing": 20, "refunds": 20]) -> DatasetManifest {
        DatasetManifest(
            name: "golden", version: "v3", sha256: "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b",
            caseCount: routes.values.reduce(0, +), routes: routes, strata: ["risk=high": 5, "source=hand": 40],
            sources: ["data/golden.jsonl"]
        )
    }

    static func run(
        id: String = "20250301-100000-a1b2c3", suite: String = "checkout-bot", target: String = "gpt-4o-mini",
        status: RunStatus = .completed, duration: Double? = 754.321, provenance: [String: String] = ["host": "ci-runner-7", "assay_version": "0.1.0"]
    ) -> RunRecord {
        RunRecord(
            id: id, suiteName: suite, suitePath: "suites/checkout.yaml", suiteSHA256: String(repeating: "ab", count: 32),
            targetName: target, targetFingerprint: String(repeating: "cd", count: 32), dataset: manifest(), samples: 2,
            totalTrials: 80, status: status, createdAt: created, finishedAt: duration.map { created.addingTimeInterval($0) },
            provenance: provenance
        )
    }

    /// 95% Wilson interval.
    static func wilson(_ passed: Int, _ scored: Int) -> (Double, Double) {
        let n = Double(scored), p = Double(passed) / n, z = 1.959963984540054
        let denominator = 1 + z * z / n
        let center = (p + z * z / (2 * n)) / denominator
        let half = z * ((p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()) / denominator
        return (max(0, center - half), min(1, center + half))
    }

    static func cell(
        route: String, scorer: String, passed: Int, failed: Int, unmeasured: Int = 0,
        reasons: [String: Int] = [:], failing: [String] = [], cost: Double = 0,
        gate: (min: Double, basis: GateConfig.Basis, verdict: GateVerdict, explanation: String)? = nil,
        interval: (Double, Double)? = nil
    ) -> CellSummary {
        let scored = passed + failed
        let rate = scored > 0 ? Double(passed) / Double(scored) : nil
        let bounds = interval ?? (scored > 0 ? wilson(passed, scored) : (.nan, .nan))
        let gateResult = gate.map { spec in
            GateResult(
                route: route, scorer: scorer, gate: GateConfig(minPassRate: spec.min, basis: spec.basis),
                observed: rate.map { value in spec.basis == .point ? value : bounds.0 }, verdict: spec.verdict,
                explanation: spec.explanation
            )
        }
        return CellSummary(
            route: route, scorer: scorer, trials: scored + unmeasured, passed: passed, failed: failed,
            unmeasured: unmeasured, passRate: rate, passRateLower: rate.map { _ in bounds.0 },
            passRateUpper: rate.map { _ in bounds.1 }, meanValue: rate, unmeasuredReasons: reasons,
            failingCaseIDs: failing.sorted(), cost: cost, gate: gateResult
        )
    }

    static func latency(_ p50: Double, count: Int = 70) -> LatencySummary {
        LatencySummary(count: count, p50: p50, p95: p50 * 2, p99: p50 * 2.6, mean: p50 * 1.1, max: p50 * 3)
    }

    static func usage(
        trials: Int, targetErrors: Int = 0, cached: Int = 0, cost: Double, scoringCost: Double = 0,
        latency: LatencySummary? = Fixtures.latency(1.2), ttft: LatencySummary? = Fixtures.latency(0.31, count: 40)
    ) -> UsageSummary {
        UsageSummary(
            trials: trials, answered: trials - targetErrors, targetErrors: targetErrors, cached: cached,
            promptTokens: 12_345, completionTokens: 6_789, cost: cost, scoringCost: scoringCost, latency: latency,
            timeToFirstToken: ttft
        )
    }

    /// The overall verdict by Core's rule: fail if any gate failed, else inconclusive if any was, else pass.
    static func verdict(_ gates: [GateResult]) -> GateVerdict {
        if gates.contains(where: { $0.verdict == .fail }) { return .fail }
        if gates.contains(where: { $0.verdict == .inconclusive }) { return .inconclusive }
        return .pass
    }

    static func summary(
        run: RunRecord = Fixtures.run(), cells: [CellSummary], usage: UsageSummary, routes: [String: UsageSummary],
        targetErrors: [String: Int] = [:], extraGates: [GateResult] = []
    ) -> RunSummary {
        let gates = cells.compactMap(\.gate) + extraGates
        return RunSummary(
            run: run, usage: usage, routes: routes, cells: cells, gates: gates, verdict: verdict(gates),
            targetErrors: targetErrors
        )
    }

    /// Every gate passes; one monitor scorer.
    static var passing: RunSummary {
        summary(
            cells: [
                cell(
                    route: "billing", scorer: "exact_match", passed: 33, failed: 7, failing: ["b-07", "b-11"],
                    gate: (0.8, .point, .pass, "pass rate 82.5% >= 80.0%"), interval: (0.681, 0.913)
                ),
                cell(route: "billing", scorer: "tone", passed: 30, failed: 10, cost: 0.0456),
            ],
            usage: usage(trials: 40, cached: 8, cost: 0.1234, scoringCost: 0.0456),
            routes: ["billing": usage(trials: 40, cached: 8, cost: 0.1234, scoringCost: 0.0456)]
        )
    }

    /// One gate fails (with nasty and many failing ids), one is inconclusive (all unmeasured); target errors.
    static var failing: RunSummary {
        let manyIDs = nastyIDs + (1...13).map { String(format: "r-%03d", $0) }
        return summary(
            run: run(id: "20250301-100000-f00d01", target: "small-model"),
            cells: [
                cell(
                    route: "refunds", scorer: "exact", passed: 15, failed: 25, failing: manyIDs,
                    gate: (0.8, .lowerBound, .fail, "lower bound 23.9% < 80.0%")
                ),
                cell(
                    route: "billing", scorer: "judge", passed: 0, failed: 0, unmeasured: 40,
                    reasons: ["judge timeout": 36, "target error: timeout": 4],
                    gate: (0.7, .point, .inconclusive, "nothing scored: every trial unmeasured")
                ),
                cell(route: "billing", scorer: "length", passed: 36, failed: 0, unmeasured: 4, reasons: ["target error: timeout": 4]),
            ],
            usage: usage(trials: 80, targetErrors: 4, cost: 0.5, scoringCost: 0.2),
            routes: [
                "refunds": usage(trials: 40, cost: 0.3, scoringCost: 0.1),
                "billing": usage(trials: 40, targetErrors: 4, cost: 0.2, scoringCost: 0.1),
            ],
            targetErrors: ["timeout": 3, "HTTP 500: upstream <error> & \"quota\"": 1]
        )
    }

    /// Every gate is inconclusive: nothing was scored.
    static var inconclusive: RunSummary {
        summary(
            run: run(id: "20250301-100000-0dd0dd", status: .interrupted, duration: nil),
            cells: [
                cell(
                    route: "billing", scorer: "judge", passed: 0, failed: 0, unmeasured: 10, reasons: ["judge unreachable": 10],
                    gate: (0.7, .point, .inconclusive, "nothing scored: every trial unmeasured")
                )
            ],
            usage: usage(trials: 10, cost: 0, latency: nil, ttft: nil),
            routes: [:]
        )
    }

    /// A run with no cells and no gates (Core's verdict for it is pass).
    static var empty: RunSummary {
        summary(
            run: run(id: "20250301-100000-e0e0e0", duration: 0), cells: [],
            usage: usage(trials: 0, cost: 0, latency: nil, ttft: nil), routes: [:]
        )
    }

    /// Routes and scorers whose names need escaping.
    static var nastyNames: RunSummary {
        summary(
            run: run(id: "id<&>", suite: "suite \"x\" & <y>", target: "t|a\nrget"),
            cells: [
                cell(
                    route: "ro|ute\nnext", scorer: "<script>alert(1)</script>", passed: 1, failed: 1,
                    failing: nastyIDs, gate: (0.9, .point, .fail, "pass rate 50.0% < 90.0% & \"bad\"\u{7}")
                ),
                cell(route: "", scorer: "`tick`", passed: 0, failed: 0, unmeasured: 2, reasons: ["why\u{1B}[2J": 2]),
            ],
            usage: usage(trials: 4, cost: 0.01),
            routes: [:]
        )
    }
}
