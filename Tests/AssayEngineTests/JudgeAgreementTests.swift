import AssayCore
import AssayEngine
import AssayStats
import Foundation
import Testing

@Suite struct JudgeAgreementTests {
    func label(_ id: String, sample: Int? = nil, passed: Bool? = nil, score: Double? = nil) -> HumanLabel {
        HumanLabel(caseID: id, sample: sample, scorer: "judge", passed: passed, score: score, location: AssayCore.SourceLocation(file: "l.jsonl", line: 1))
    }

    func trial(_ id: String, sample: Int = 0, _ score: Score) -> TrialRecord {
        labelledTrial(id, sample: sample, score: score)
    }

    @Test func theTableKappaAndErrorsComeFromPairedVerdicts() throws {
        // Given 20 labelled trials: the judge and people agree on 8 passes and 7 fails, the judge passes 3 that people
        // failed and fails 2 that people passed
        var trials: [TrialRecord] = []
        var labels: [HumanLabel] = []
        let pairs: [(Bool, Bool, Int)] = [(true, true, 8), (false, false, 7), (true, false, 3), (false, true, 2)]
        var index = 0
        for (judged, human, count) in pairs {
            for _ in 0..<count {
                trials.append(trial("c\(index)", .scored("judge", passed: judged, explanation: "")))
                labels.append(label("c\(index)", passed: human))
                index += 1
            }
        }
        // and one the judge left unmeasured, one label without a trial
        trials.append(trial("u", .unmeasured("judge", reason: "reply did not parse")))
        labels.append(label("u", passed: true))
        labels.append(label("missing", passed: true))

        // When agreement is computed
        let rows = try JudgeAgreement.compute(trials: trials, labels: labels)
        let row = try #require(rows.first)

        // Then
        #expect(row.table == [[8, 3], [2, 7]])
        #expect(row.pairs == 20 && row.labelled == 22 && row.unmeasured == 1 && row.withoutTrial == 1)
        #expect(row.falsePasses == 3 && row.falseFails == 2)
        #expect(row.accuracy == 0.75)
        let kappa = try #require(row.kappa)
        #expect(kappa == Agreement.cohensKappa([[8, 3], [2, 7]]))
        #expect(abs(kappa.kappa - 0.5) < 1e-12)
        #expect(ScorerAgreement.strength(kappa.kappa) == "moderate")
    }

    @Test func aLabelWithoutASampleCoversEverySampleAndScoresCorrelate() throws {
        let trials = (0..<3).flatMap { caseIndex in
            (0..<2).map { sample in
                var score = Score.scored("judge", passed: caseIndex > 0, value: Double(caseIndex) / 2, explanation: "")
                score.value = Double(caseIndex) / 2
                return trial("c\(caseIndex)", sample: sample, score)
            }
        }
        let labels = (0..<3).map { label("c\($0)", passed: $0 > 0, score: Double($0 + 1)) }
        let row = try #require(try JudgeAgreement.compute(trials: trials, labels: labels).first)
        #expect(row.labelled == 6 && row.pairs == 6)
        #expect(row.scorePairs == 6)
        #expect(row.spearman.map { abs($0 - 1) < 1e-12 } == true)
    }

    @Test func aLabelWithoutAScorerNeedsOne() {
        let unnamed = HumanLabel(caseID: "a", passed: true, location: AssayCore.SourceLocation(file: "l.jsonl", line: 3))
        #expect(throws: AssayError.self) { try JudgeAgreement.compute(trials: [], labels: [unnamed]) }
        #expect((try? JudgeAgreement.compute(trials: [], labels: [unnamed], scorer: "judge"))?.first?.withoutTrial == 1)
    }
}
