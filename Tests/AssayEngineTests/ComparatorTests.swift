import AssayCore
import AssayEngine
import Foundation
import Testing

/// Trials of one run where `passes(caseIndex)` decides each case's verdict on two scorers.
func syntheticTrials(run: String, count: Int, route: String = "faq", passes: (Int) -> Bool, safetyPasses: (Int) -> Bool = { _ in true }) -> [TrialRecord] {
    (0..<count).map { i in
        TrialRecord(
            runID: run, caseID: "c\(i)", sample: 0, route: route, output: Output(text: "x", latency: 0.1), error: nil,
            scores: [
                Score.scored("correct", passed: passes(i), explanation: ""),
                Score.scored("refuses-unsafe", passed: safetyPasses(i), explanation: ""),
            ],
            cacheKey: nil, cached: false, attempts: 1, startedAt: Date(), finishedAt: Date()
        )
    }
}

func runRecord(_ id: String) -> RunRecord {
    RunRecord(
        id: id, suiteName: "s", suitePath: "/s.yaml", suiteSHA256: "", targetName: "t", targetFingerprint: "",
        dataset: DatasetManifest(name: "d", version: nil, sha256: "", caseCount: 0, routes: [:], strata: [:], sources: []),
        samples: 1, totalTrials: 0, status: .completed, createdAt: Date()
    )
}

@Suite struct ComparatorTests {
    @Test func detectsARegressionAndListsSafetyFirst() throws {
        // Given a baseline passing 90 of 100 and a candidate that loses 20 of those cases
        let base = syntheticTrials(run: "b", count: 100, passes: { $0 >= 10 })
        let cand = syntheticTrials(run: "c", count: 100, passes: { $0 >= 30 })
        let comparison = Comparator.compare(baseline: (runRecord("b"), base), candidate: (runRecord("c"), cand))
        #expect(comparison.sharedCases == 100)
        #expect(comparison.cells.first?.scorer == "refuses-unsafe", "safety rubrics come first")
        let cell = try #require(comparison.cells.first { $0.scorer == "correct" })
        #expect(cell.baselinePassRate == 0.9)
        #expect(cell.candidatePassRate == 0.7)
        #expect(abs((cell.difference ?? 0) + 0.2) < 1e-12)
        #expect(cell.baselineOnly == 20 && cell.candidateOnly == 0)
        #expect(cell.test == "mcnemar_exact")
        #expect((cell.adjustedPValue ?? 1) < 0.001)
        #expect(cell.verdict == .regressed)
        // The interval is of candidate - baseline, so it lies below zero.
        #expect((cell.differenceUpper ?? 0) < 0 && (cell.differenceLower ?? 0) < (cell.difference ?? 0))
        #expect(!comparison.cleanWin)
        let safety = try #require(comparison.cells.first { $0.scorer == "refuses-unsafe" })
        #expect(safety.verdict == .noDetectableChange)
        #expect(safety.isSafety)
    }

    @Test func smallDropIsNotARegressionAndSaysWhatWouldDecide() throws {
        let base = syntheticTrials(run: "b", count: 40, passes: { $0 % 10 != 0 })
        let cand = syntheticTrials(run: "c", count: 40, passes: { $0 % 10 != 0 && $0 != 5 && $0 != 15 })
        let comparison = Comparator.compare(baseline: (runRecord("b"), base), candidate: (runRecord("c"), cand))
        let cell = try #require(comparison.cells.first { $0.scorer == "correct" })
        #expect(cell.verdict == .noDetectableChange)
        #expect((cell.minimumDetectableEffect ?? 0) > 0.05)
        #expect((cell.casesNeeded ?? 0) > 40)
        #expect(comparison.cleanWin, "no rubric regressed significantly")

        // A baseline-judged gate that passed its threshold becomes inconclusive, not failed.
        let summary = Aggregator.summarize(run: runRecord("c"), trials: cand, gates: ["faq": ["correct": GateConfig(minPassRate: 0.5)]])
        #expect(summary.verdict == .pass)
        let judged = Aggregator.applyBaseline(summary, comparison: comparison)
        #expect(judged.verdict == .inconclusive)
        #expect(judged.gates.first?.explanation.contains("paired cases would decide") == true)
    }

    @Test func improvementIsACleanWinAndRegressionFailsTheGate() throws {
        let base = syntheticTrials(run: "b", count: 60, passes: { $0 < 30 })
        let better = syntheticTrials(run: "c", count: 60, passes: { $0 < 55 })
        let up = Comparator.compare(baseline: (runRecord("b"), base), candidate: (runRecord("c"), better))
        #expect(up.cells.first { $0.scorer == "correct" }?.verdict == .improved)
        #expect(up.cleanWin)

        let worse = syntheticTrials(run: "c", count: 60, passes: { $0 < 5 })
        let down = Comparator.compare(baseline: (runRecord("b"), base), candidate: (runRecord("c"), worse))
        let summary = Aggregator.summarize(run: runRecord("c"), trials: worse, gates: ["faq": ["correct": GateConfig(minPassRate: 0.05)]])
        #expect(summary.verdict == .pass, "the threshold alone passes")
        let judged = Aggregator.applyBaseline(summary, comparison: down)
        #expect(judged.verdict == .fail)
        #expect(judged.gates.first?.explanation.contains("regressed vs baseline b") == true)
    }

    @Test func onlySharedCasesArePaired() {
        let base = syntheticTrials(run: "b", count: 10, passes: { _ in true })
        let cand = Array(syntheticTrials(run: "c", count: 20, passes: { _ in true }).suffix(15))
        let comparison = Comparator.compare(baseline: (runRecord("b"), base), candidate: (runRecord("c"), cand))
        #expect(comparison.sharedCases == 5)
        #expect(comparison.cells.allSatisfy { $0.pairedCases == 5 })
    }

    @Test func detectabilityLinesFollowTheDataset() {
        let cases = (0..<120).map { Case(id: "c\($0)", input: .string("q"), route: $0 < 100 ? "refund" : "faq") }
        let lines = Planning.detectabilityLines(dataset: Dataset(name: "d", cases: cases, sources: []))
        #expect(lines.count == 2)
        #expect(lines[1].hasPrefix("route refund: 100 cases can detect a drop of"))
        let hundred = Planning.detectableDrop(cases: 100) ?? 1
        let twenty = Planning.detectableDrop(cases: 20) ?? 1
        #expect(hundred < twenty, "more cases detect smaller drops")
        #expect((Planning.casesNeeded(drop: 0.05) ?? 0) > (Planning.casesNeeded(drop: 0.1) ?? 0))
    }
}

@Suite struct SampleAggregationTests {
    @Test func flakyCasesAndVarianceComponentsWithSeveralSamples() throws {
        // Given 3 samples per case: c0 flips, c1 always passes, c2 always fails
        var trials: [TrialRecord] = []
        for (id, verdicts) in [("c0", [true, false, true]), ("c1", [true, true, true]), ("c2", [false, false, false])] {
            for (sample, passed) in verdicts.enumerated() {
                trials.append(TrialRecord(
                    runID: "r", caseID: id, sample: sample, route: "faq", output: Output(text: "x"), error: nil,
                    scores: [Score.scored("correct", passed: passed, explanation: "")], cacheKey: nil, cached: false,
                    attempts: 1, startedAt: Date(), finishedAt: Date()
                ))
            }
        }
        let summary = Aggregator.summarize(run: runRecord("r"), trials: trials, gates: [:])
        let cell = try #require(summary.cells.first)
        #expect(cell.flakyCaseIDs == ["c0"])
        #expect(cell.failingCaseIDs == ["c0", "c2"])
        // Sample means per case 2/3, 1, 0; within-case variance pooled: (1/3 + 0 + 0) / 3 = 1/9.
        #expect(abs((cell.generatorVariance ?? 0) - 1.0 / 9.0) < 1e-12)
        #expect((cell.caseVariance ?? 0) > 0)
        #expect(cell.judgeVariance == nil)

        let single = Aggregator.summarize(run: runRecord("r"), trials: trials.filter { $0.sample == 0 }, gates: [:])
        #expect(single.cells.first?.flakyCaseIDs == [])
        #expect(single.cells.first?.generatorVariance == nil)
    }
}

@Suite struct FlakinessTests {
    @Test func historyAcrossRunsCountsFlips() {
        var first = runRecord("r1")
        first.createdAt = Date(timeIntervalSince1970: 1)
        var second = runRecord("r2")
        second.createdAt = Date(timeIntervalSince1970: 2)
        var third = runRecord("r3")
        third.createdAt = Date(timeIntervalSince1970: 3)
        let runs = [
            (third, syntheticTrials(run: "r3", count: 3, passes: { $0 != 0 })),
            (first, syntheticTrials(run: "r1", count: 3, passes: { $0 != 0 })),
            (second, syntheticTrials(run: "r2", count: 3, passes: { $0 != 1 })),
        ]
        let flaky = Flakiness.history(runs).filter { $0.scorer == "correct" }
        // c0: fail, pass, fail (2 flips); c1: pass, fail, pass (2 flips); c2 always passes.
        #expect(Set(flaky.map(\.caseID)) == ["c0", "c1"])
        #expect(flaky.allSatisfy { $0.flips == 2 && $0.runs == 3 })
        #expect(flaky.first { $0.caseID == "c0" }?.history == [0, 1, 0])
        #expect(Flakiness.history(runs).allSatisfy { $0.scorer == "correct" }, "the always-passing safety scorer is not flaky")
    }
}

@Suite struct GateUnmeasuredTests {
    @Test func mostlyUnmeasuredGatesAreInconclusive() {
        var trials = syntheticTrials(run: "r", count: 10, passes: { _ in true })
        for index in 1..<10 {
            trials[index].output = nil
            trials[index].error = "target error: down"
            trials[index].scores = trials[index].scores.map { Score.unmeasured($0.scorer, reason: "target error: down") }
        }
        let summary = Aggregator.summarize(run: runRecord("r"), trials: trials, gates: ["faq": ["correct": GateConfig(minPassRate: 0.9)]])
        #expect(summary.gates.first?.verdict == .inconclusive, "1 scored trial of 10 must not pass a gate")
        #expect(summary.gates.first?.explanation.contains("9 of 10 trials unmeasured") == true)
        let lenient = Aggregator.summarize(run: runRecord("r"), trials: trials, gates: ["faq": ["correct": GateConfig(minPassRate: 0.9, maxUnmeasured: 0.95)]])
        #expect(lenient.gates.first?.verdict == .pass)
    }
}

@Suite struct JudgeVarianceTests {
    @Test func judgeRepeatsGiveTheJudgePart() throws {
        // Two samples per case, two judge repeats per sample; repeats differ by 0.5, samples by more.
        var trials: [TrialRecord] = []
        for (caseIndex, base) in [0.0, 0.5, 1.0].enumerated() {
            for sample in 0..<2 {
                var score = Score.scored("judge", passed: true, value: base, explanation: "")
                let center = min(1, base + Double(sample) * 0.25)
                score.repeatValues = [max(0, center - 0.25), min(1, center + 0.25)]
                trials.append(TrialRecord(
                    runID: "r", caseID: "c\(caseIndex)", sample: sample, route: "faq", output: Output(text: "x"), error: nil,
                    scores: [score], cacheKey: nil, cached: false, attempts: 1, startedAt: Date(), finishedAt: Date()
                ))
            }
        }
        let cell = try #require(Aggregator.summarize(run: runRecord("r"), trials: trials, gates: [:]).cells.first)
        let judge = try #require(cell.judgeVariance)
        #expect(judge > 0)
        #expect(cell.generatorVariance != nil)
        #expect(cell.caseVariance != nil)
    }
}
