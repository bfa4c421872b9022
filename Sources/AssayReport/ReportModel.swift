import AssayCore
import Foundation

/// One row of a report: a route x scorer cell and the gate judged on it (nil for a monitor-only scorer).
///
/// A cell with a gate gives one row; a gate whose cell is missing from the summary still gets a row (with no
/// figures) so that no verdict is ever dropped from a report.
struct ReportRow: Sendable, Hashable {
    /// The route.
    var route: String
    /// The scorer.
    var scorer: String
    /// The cell's figures; nil only for a gate without a cell.
    var cell: CellSummary?
    /// The gate's result; nil for a scorer that only monitors.
    var gate: GateResult?
}

/// How many gates of a run (or of several runs) passed, failed, or were inconclusive.
struct GateCounts: Sendable, Hashable {
    /// Gates that passed.
    var passed = 0
    /// Gates that failed.
    var failed = 0
    /// Gates with nothing scored.
    var inconclusive = 0

    /// All gates.
    var total: Int { passed + failed + inconclusive }

    /// Adds one verdict.
    mutating func add(_ verdict: GateVerdict) {
        switch verdict {
        case .pass: passed += 1
        case .fail: failed += 1
        case .inconclusive: inconclusive += 1
        }
    }

    /// `1 failed, 2 inconclusive, 4 passed` (zero counts left out), or `no gates`.
    var phrase: String {
        guard total > 0 else { return "no gates" }
        var parts: [String] = []
        if failed > 0 { parts.append("\(failed) failed") }
        if inconclusive > 0 { parts.append("\(inconclusive) inconclusive") }
        if passed > 0 { parts.append("\(passed) passed") }
        return parts.joined(separator: ", ")
    }
}

/// Cost per correct answer: the target cost of the gated routes divided by their correct trials.
///
/// A trial of a route is *correct* when it passed the route's gated scorers. The summary counts passes per
/// scorer, not per trial, so the correct trials of a route are taken as the smallest `passed` among its gated
/// cells that scored anything: exact when a route has one gate, and otherwise an upper bound on the trials that
/// passed every gate (which makes the figure a lower bound on the true cost). Unmeasured scores neither add nor
/// remove correct trials, so a gated cell with nothing scored is left out, and a route none of whose gated cells
/// scored anything is left out of both the cost and the count, as are routes without a gate. The cost is the
/// target's cost only: the scoring (judge) cost is the evaluation's, not the system's, and is reported on its own.
struct CostPerCorrect: Sendable, Hashable {
    /// The routes counted (a gated cell scored something), sorted.
    var routes: [String]
    /// Correct trials over those routes.
    var correct: Int
    /// Target cost in USD of those routes; nil when the summary has no per-route figures to attribute it.
    var cost: Double?
    /// `cost / correct`; nil when no route is counted, no trial is correct, or the cost is not attributable.
    var value: Double?
    /// The same figure per gated route (target cost of the route over its correct trials), in route order; nil
    /// values where the route has no correct trial.
    var perRoute: [(route: String, value: Double?)] = []

    static func == (lhs: CostPerCorrect, rhs: CostPerCorrect) -> Bool {
        lhs.routes == rhs.routes && lhs.correct == rhs.correct && lhs.cost == rhs.cost && lhs.value == rhs.value
            && lhs.perRoute.map(\.route) == rhs.perRoute.map(\.route) && lhs.perRoute.map(\.value) == rhs.perRoute.map(\.value)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(routes)
        hasher.combine(correct)
        hasher.combine(value)
    }
}

extension RunSummary {
    /// `suite / target`.
    var reportTitle: String { "\(run.suiteName) / \(run.targetName)" }

    /// The run's wall-clock duration in seconds, when it finished.
    var reportDuration: Double? {
        guard let finished = run.finishedAt else { return nil }
        let seconds = finished.timeIntervalSince(run.createdAt)
        return seconds.isFinite && seconds >= 0 ? seconds : nil
    }

    /// Rows in cell order, then any gate without a cell, in the order of `gates`.
    var reportRows: [ReportRow] {
        var rows: [ReportRow] = []
        var usedGates = Set<Int>()
        for cell in cells {
            var cellGates: [GateResult] = cell.gate.map { [$0] } ?? []
            for (index, gate) in gates.enumerated() where gate.route == cell.route && gate.scorer == cell.scorer {
                usedGates.insert(index)
                if !cellGates.contains(where: { $0.gate == gate.gate }) { cellGates.append(gate) }
            }
            if cellGates.isEmpty {
                rows.append(ReportRow(route: cell.route, scorer: cell.scorer, cell: cell, gate: nil))
            } else {
                for gate in cellGates {
                    rows.append(ReportRow(route: cell.route, scorer: cell.scorer, cell: cell, gate: gate))
                }
            }
        }
        for (index, gate) in gates.enumerated() where !usedGates.contains(index) {
            rows.append(ReportRow(route: gate.route, scorer: gate.scorer, cell: nil, gate: gate))
        }
        return rows
    }

    /// Every gate's verdict, counted.
    var gateCounts: GateCounts {
        var counts = GateCounts()
        for row in reportRows { if let gate = row.gate { counts.add(gate.verdict) } }
        return counts
    }

    /// Cost per correct answer (see ``CostPerCorrect``).
    var costPerCorrect: CostPerCorrect {
        var correctByRoute: [String: Int] = [:]
        for row in reportRows {
            guard row.gate != nil, let cell = row.cell, cell.passed + cell.failed > 0 else { continue }
            correctByRoute[row.route] = min(correctByRoute[row.route] ?? Int.max, cell.passed)
        }
        let gatedRoutes = correctByRoute.keys.sorted()
        guard !gatedRoutes.isEmpty else { return CostPerCorrect(routes: [], correct: 0, cost: nil, value: nil) }
        let correct = correctByRoute.values.reduce(0, +)
        let cost: Double?
        if gatedRoutes.allSatisfy({ routes[$0] != nil }) {
            cost = gatedRoutes.reduce(0) { $0 + (routes[$1]?.cost ?? 0) }
        } else if Set(cells.map(\.route)) == Set(gatedRoutes) {
            cost = usage.cost
        } else {
            cost = nil
        }
        let value = cost.flatMap { correct > 0 ? $0 / Double(correct) : nil }
        var figure = CostPerCorrect(routes: gatedRoutes, correct: correct, cost: cost, value: value)
        if gatedRoutes.count > 1 {
            figure.perRoute = gatedRoutes.compactMap { route in
                guard let routeCost = routes[route]?.cost, let correct = correctByRoute[route] else { return nil }
                return (route, correct > 0 ? routeCost / Double(correct) : nil)
            }
        }
        return figure
    }

    /// Unmeasured trials over all cells.
    var unmeasuredTotal: Int { cells.reduce(0) { $0 + $1.unmeasured } }
}

/// Verdicts over several runs.
enum ReportVerdict {
    /// Fail if any run failed, else inconclusive if any run was, else pass; inconclusive when there is no run
    /// (nothing was measured, so nothing can be claimed).
    static func overall(_ summaries: [RunSummary]) -> GateVerdict {
        guard !summaries.isEmpty else { return .inconclusive }
        if summaries.contains(where: { $0.verdict == .fail }) { return .fail }
        if summaries.contains(where: { $0.verdict == .inconclusive }) { return .inconclusive }
        return .pass
    }

    /// Gate counts over several runs.
    static func gateCounts(_ summaries: [RunSummary]) -> GateCounts {
        var counts = GateCounts()
        for summary in summaries {
            let runCounts = summary.gateCounts
            counts.passed += runCounts.passed
            counts.failed += runCounts.failed
            counts.inconclusive += runCounts.inconclusive
        }
        return counts
    }
}

/// One line of what a run's scorers say beyond pass rates: judge spending, refusal calibration, pairwise
/// consistency, worst-case failure on high-risk routes. Rendered by the terminal and Markdown reports alike.
struct ScorerInsight: Equatable {
    /// The heading (`judge calls`, `refusal`, `pairwise`, `worst case`).
    var topic: String
    /// The route / scorer it is about, or nil for a run-wide line.
    var cell: (route: String, scorer: String)?
    /// The figures, as plain text.
    var text: String

    static func == (lhs: ScorerInsight, rhs: ScorerInsight) -> Bool {
        lhs.topic == rhs.topic && lhs.cell?.route == rhs.cell?.route && lhs.cell?.scorer == rhs.cell?.scorer && lhs.text == rhs.text
    }
}

extension RunSummary {
    /// The run's scorer insights, in report order: judge calls (run-wide), worst case on high-risk routes,
    /// refusal calibration, pairwise verdicts.
    var scorerInsights: [ScorerInsight] {
        var insights: [ScorerInsight] = []
        let judgeCalls = cells.reduce(0) { $0 + $1.judgeCalls }
        let saved = cells.reduce(0) { $0 + $1.savedCalls }
        if judgeCalls > 0 || saved > 0 {
            var text = "\(ReportText.count(judgeCalls)) made"
            if let tokens = TokenUsage.sum(cells.compactMap(\.judgeTokens)) {
                text += " (\(ReportText.count(tokens.promptTokens)) prompt, \(ReportText.count(tokens.completionTokens)) completion tokens)"
            }
            if saved > 0 { text += " \u{00B7} \(ReportText.count(saved)) saved by cascades" }
            insights.append(ScorerInsight(topic: "judge calls", cell: nil, text: text))
        }
        // On high-risk routes: gated cells, and monitors that failed somewhere (a clean monitor is noise here).
        for cell in cells where cell.highRisk {
            guard let rate = cell.worstCaseFailureRate, cell.gate != nil || rate > 0 else { continue }
            let what = run.samples > 1 ? "of cases failed in at least one of \(run.samples) samples" : "of cases failed"
            insights.append(ScorerInsight(topic: "worst case", cell: (cell.route, cell.scorer), text: "\(ReportText.percent(rate)) \(what) (high-risk route)"))
        }
        for cell in cells {
            if let refusal = cell.refusal {
                let parts = [("over-refusal", refusal.overRefusal), ("under-refusal", refusal.underRefusal), ("missed escalation", refusal.missedEscalation)]
                    .filter { $0.1.of > 0 }
                    .map { name, rate in "\(name) \(rate.count)/\(rate.of) (\(rate.rate.map(ReportText.percent) ?? ReportText.notAvailable))" }
                if !parts.isEmpty {
                    insights.append(ScorerInsight(topic: "refusal", cell: (cell.route, cell.scorer), text: parts.joined(separator: " \u{00B7} ")))
                }
            }
            if let pairwise = cell.pairwise {
                var text = "\(pairwise.wins) wins \u{00B7} \(pairwise.ties) ties \u{00B7} \(pairwise.losses) losses"
                if let consistency = pairwise.positionConsistency {
                    text += " \u{00B7} position consistency \(ReportText.percent(consistency)) (\(pairwise.inconsistent) verdicts flipped with the order)"
                }
                insights.append(ScorerInsight(topic: "pairwise", cell: (cell.route, cell.scorer), text: text))
            }
        }
        return insights
    }
}
