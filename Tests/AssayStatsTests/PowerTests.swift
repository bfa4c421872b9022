import Foundation
import Testing
@testable import AssayStats

@Suite("Power and sample size")
struct PowerTests {
    @Test func invalidInputReturnsNil() {
        #expect(Power.twoProportions(p1: 1.2, p2: 0.5, samplesPerGroup: 10) == nil)
        #expect(Power.twoProportionsSampleSize(p1: 0.5, p2: 0.5) == nil)
        #expect(Power.twoProportionsSampleSize(p1: 0.6, p2: 0.5, alpha: 0) == nil)
        #expect(Power.twoProportionsSampleSize(p1: 0.6, p2: 0.5, power: 0.04) == nil)
        #expect(Power.oneProportionSampleSize(p: 0.5, p0: 0.5) == nil)
        #expect(Power.pairedProportions(firstOnly: 0.7, secondOnly: 0.6, n: 10) == nil)
        #expect(Power.pairedProportionsSampleSize(firstOnly: 0.1, secondOnly: 0.1) == nil)
        #expect(Power.pairedProportionsMinimumDetectableEffect(discordance: 0, n: 100) == nil)
        #expect(Power.twoProportionsMinimumDetectableEffect(baseline: 0.02, samplesPerGroup: 10) == nil)
    }

    @Test func degenerateEffects() throws {
        // No effect: the two-sided power is the size of the test.
        let size = try #require(Power.twoProportions(p1: 0.4, p2: 0.4, samplesPerGroup: 100))
        #expect(abs(size - 0.05) < 1e-15)
        #expect(Power.pairedProportions(firstOnly: 0, secondOnly: 0, n: 100) == 0)
        #expect(Power.pairedProportions(firstOnly: 0.1, secondOnly: 0.05, n: 0) == 0)
    }

    @Test(arguments: Sidedness.allCases)
    func plannedSampleSizeReachesPower(_ sidedness: Sidedness) throws {
        let n = try #require(Power.twoProportionsSampleSize(p1: 0.8, p2: 0.7, sidedness: sidedness))
        let atN = try #require(Power.twoProportions(p1: 0.8, p2: 0.7, samplesPerGroup: n, sidedness: sidedness))
        let below = try #require(Power.twoProportions(p1: 0.8, p2: 0.7, samplesPerGroup: n - 1, sidedness: sidedness))
        #expect(atN >= 0.8 && below < 0.8)
        let m = try #require(Power.oneProportionSampleSize(p: 0.85, p0: 0.9, sidedness: sidedness))
        #expect(try #require(Power.oneProportion(p: 0.85, p0: 0.9, n: m, sidedness: sidedness)) >= 0.8)
    }

    @Test(arguments: Power.PairedMethod.allCases)
    func pairedSampleSizeReachesPower(_ method: Power.PairedMethod) throws {
        let n = try #require(Power.pairedProportionsSampleSize(firstOnly: 0.15, secondOnly: 0.05, method: method))
        let atN = try #require(Power.pairedProportions(firstOnly: 0.15, secondOnly: 0.05, n: n, method: method))
        let below = try #require(Power.pairedProportions(firstOnly: 0.15, secondOnly: 0.05, n: n - 1, method: method))
        #expect(atN >= 0.8 && below < 0.8)
    }

    @Test func exactPlanIsNotSmallerThanConnor() throws {
        // The exact McNemar test is conservative, so it needs at least as many cases as the asymptotic formula.
        for (b, c) in [(0.15, 0.05), (0.08, 0.02), (0.25, 0.15)] {
            let exact = try #require(Power.pairedProportionsSampleSize(firstOnly: b, secondOnly: c, method: .exact))
            let connor = try #require(Power.pairedProportionsSampleSize(firstOnly: b, secondOnly: c, method: .connor))
            #expect(exact >= connor)
        }
    }

    @Test func minimumDetectableEffectsInvertPower() throws {
        let drop = try #require(Power.twoProportionsMinimumDetectableEffect(baseline: 0.8, samplesPerGroup: 300))
        let power = try #require(Power.twoProportions(p1: 0.8, p2: 0.8 - drop, samplesPerGroup: 300))
        #expect(abs(power - 0.8) < 1e-9)
        let rise = try #require(Power.oneProportionMinimumDetectableEffect(p0: 0.5, n: 400, direction: .increase))
        #expect(abs(try #require(Power.oneProportion(p: 0.5 + rise, p0: 0.5, n: 400)) - 0.8) < 1e-9)
        for method in Power.PairedMethod.allCases {
            let delta = try #require(Power.pairedProportionsMinimumDetectableEffect(discordance: 0.2, n: 300, method: method))
            let achieved = try #require(Power.pairedProportions(
                firstOnly: (0.2 + delta) / 2, secondOnly: (0.2 - delta) / 2, n: 300, method: method
            ))
            #expect(achieved >= 0.8 && delta > 0 && delta < 0.2)
        }
    }
}

/// Issue 4 "Proof": McNemar keeps its false-positive rate and the paired planner delivers its power.
@Suite("Simulation: McNemar size and planned power")
struct SimulationTests {
    /// Simulates `cases` paired pass/fail outcomes with the given joint probabilities and returns (b, c).
    static func discordant(
        cases: Int, firstOnly: Double, secondOnly: Double, generator: inout SeededGenerator
    ) -> (b: Int, c: Int) {
        var b = 0
        var c = 0
        for _ in 0..<cases {
            let u = generator.nextDouble()
            if u < firstOnly { b += 1 } else if u < firstOnly + secondOnly { c += 1 }
        }
        return (b, c)
    }

    @Test func identicalSystemsRarelyLookDifferent() throws {
        // Given two identical but noisy systems (each case has its own pass probability, and each system draws
        // its outcome independently), When 1,000 comparisons of 200 cases are tested with exact McNemar at
        // alpha 0.05, Then the false-positive rate is at most the top of the 99% binomial band around 0.05.
        // The exact test is conservative, so the rate is usually below 0.05; we check only the upper band.
        var generator = SeededGenerator(seed: 2024)
        let comparisons = 1_000
        var significant = 0
        for _ in 0..<comparisons {
            var b = 0
            var c = 0
            for _ in 0..<200 {
                let passProbability = 0.3 + 0.65 * generator.nextDouble()
                let first = generator.nextDouble() < passProbability
                let second = generator.nextDouble() < passProbability
                if first && !second { b += 1 } else if !first && second { c += 1 }
            }
            if try #require(McNemar.exact(b: b, c: c)).isSignificant(at: 0.05) { significant += 1 }
        }
        let upperBand = try #require(Binomial.quantile(0.995, trials: comparisons, probability: 0.05))
        #expect(significant <= upperBand, "\(significant) significant of \(comparisons); band top \(upperBand)")
    }

    @Test func plannedPairedSampleDetectsATenPointDrop() throws {
        // Given system A passes 80% and system B 70% of cases, with B failing 15% of cases A passes and passing
        // 5% that A fails (a true 10-point drop, discordance 20%), When we run exact McNemar at the n planned by
        // the exact paired power function for 80% power, Then at least 80% of 1,000 simulated evaluations detect
        // the drop, up to Monte Carlo error (2.58 standard errors).
        let planned = 0.8
        let n = try #require(Power.pairedProportionsSampleSize(firstOnly: 0.15, secondOnly: 0.05, power: planned))
        var generator = SeededGenerator(seed: 77)
        let comparisons = 1_000
        var detected = 0
        for _ in 0..<comparisons {
            let (b, c) = Self.discordant(cases: n, firstOnly: 0.15, secondOnly: 0.05, generator: &generator)
            if try #require(McNemar.exact(b: b, c: c)).isSignificant(at: 0.05) { detected += 1 }
        }
        let rate = Double(detected) / Double(comparisons)
        let monteCarloError = 2.58 * (planned * (1 - planned) / Double(comparisons)).squareRoot()
        #expect(rate >= planned - monteCarloError, "detected \(rate) at n = \(n)")
    }

    @Test func connorPlanFitsTheUncorrectedChiSquareTest() throws {
        // Connor's formula plans for the asymptotic test without continuity correction; that test reaches the
        // planned power at Connor's n (within Monte Carlo error).
        let n = try #require(Power.pairedProportionsSampleSize(firstOnly: 0.15, secondOnly: 0.05, method: .connor))
        var generator = SeededGenerator(seed: 78)
        var detected = 0
        for _ in 0..<1_000 {
            let (b, c) = Self.discordant(cases: n, firstOnly: 0.15, secondOnly: 0.05, generator: &generator)
            if try #require(McNemar.chiSquare(b: b, c: c, continuityCorrection: false)).isSignificant(at: 0.05) {
                detected += 1
            }
        }
        #expect(Double(detected) / 1_000 >= 0.8 - 2.58 * (0.16 / 1_000).squareRoot())
    }
}
