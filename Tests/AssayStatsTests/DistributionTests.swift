import Foundation
import Testing
@testable import AssayStats

@Suite("Distributions: invariants and edge cases")
struct DistributionTests {
    @Test func invalidArgumentsReturnNil() {
        #expect(Normal.cdf(.nan) == nil)
        #expect(Normal.cdf(1, standardDeviation: 0) == nil)
        #expect(Normal.quantile(-0.1) == nil)
        #expect(Normal.quantile(.nan) == nil)
        #expect(StudentT.cdf(1, degreesOfFreedom: 0) == nil)
        #expect(StudentT.cdf(1, degreesOfFreedom: -.infinity) == nil)
        #expect(StudentT.quantile(1.1, degreesOfFreedom: 3) == nil)
        #expect(ChiSquare.cdf(1, degreesOfFreedom: .infinity) == nil)
        #expect(ChiSquare.quantile(0.5, degreesOfFreedom: 0) == nil)
        #expect(Beta.cdf(0.5, a: 0, b: 1) == nil)
        #expect(Beta.quantile(0.5, a: 1, b: .nan) == nil)
        #expect(Binomial.cdf(1, trials: -1, probability: 0.5) == nil)
        #expect(Binomial.quantile(0.5, trials: 10, probability: 1.5) == nil)
    }

    @Test func definedLimits() {
        #expect(Normal.quantile(0) == -.infinity)
        #expect(Normal.quantile(1) == .infinity)
        #expect(StudentT.quantile(0.5, degreesOfFreedom: 7) == 0)
        #expect(StudentT.cdf(.infinity, degreesOfFreedom: 3) == 1)
        #expect(ChiSquare.cdf(0, degreesOfFreedom: 3) == 0)
        #expect(ChiSquare.cdf(-5, degreesOfFreedom: 3) == 0)
        #expect(ChiSquare.pdf(0, degreesOfFreedom: 2) == 0.5)
        #expect(ChiSquare.pdf(0, degreesOfFreedom: 1) == .infinity)
        #expect(Beta.pdf(0, a: 1, b: 3) == 3)
        #expect(Beta.pdf(1.5, a: 2, b: 3) == 0)
        #expect(Beta.quantile(0, a: 2, b: 3) == 0)
        #expect(Binomial.pmf(0, trials: 0, probability: 0.3) == 1)
        #expect(Binomial.cdf(3, trials: 10, probability: 0) == 1)
        #expect(Binomial.cdf(3, trials: 10, probability: 1) == 0)
        #expect(Binomial.pmf(10, trials: 10, probability: 1) == 1)
        #expect(Binomial.quantile(0.5, trials: 0, probability: 0.5) == 0)
    }

    @Test(arguments: [0.5, 1, 2.5, 10, 1e4])
    func studentTIsSymmetricAndInvertible(_ df: Double) throws {
        for t in [0.001, 0.7, 2, 9, 300] {
            let lower = try #require(StudentT.cdf(-t, degreesOfFreedom: df))
            let upper = try #require(StudentT.survival(t, degreesOfFreedom: df))
            #expect(lower == upper)
        }
        for p in [1e-12, 0.01, 0.3, 0.5, 0.77, 0.999] {
            let t = try #require(StudentT.quantile(p, degreesOfFreedom: df))
            let back = try #require(StudentT.cdf(t, degreesOfFreedom: df))
            #expect(abs(back - p) <= 1e-12 * p)
        }
    }

    @Test(arguments: [(0.3, 0.7), (2, 2), (40, 7), (0.01, 5)])
    func betaQuantileRoundTrips(_ a: Double, _ b: Double) throws {
        for p in [1e-30, 1e-6, 0.1, 0.5, 0.9, 1 - 1e-9] {
            let x = try #require(Beta.quantile(p, a: a, b: b))
            guard x > 1e-300, x < 1 else { continue }
            let back = try #require(Beta.cdf(x, a: a, b: b))
            #expect(abs(back - p) <= 1e-10 * p, "a=\(a) b=\(b) p=\(p) x=\(x) back=\(back)")
        }
    }

    @Test func chiSquareOneDegreeIsSquaredNormal() throws {
        for x in [0.01, 1, 3.84, 20] {
            let chi = try #require(ChiSquare.survival(x * x, degreesOfFreedom: 1))
            let normal = try #require(Normal.survival(x))
            #expect(abs(chi - 2 * normal) <= 1e-13 * chi)
        }
    }

    @Test func binomialPMFSumsToOne() throws {
        var total = 0.0
        for k in 0...200 { total += try #require(Binomial.pmf(k, trials: 200, probability: 0.37)) }
        #expect(abs(total - 1) < 1e-13)
        let cdf = try #require(Binomial.cdf(80, trials: 200, probability: 0.37))
        let sf = try #require(Binomial.survival(80, trials: 200, probability: 0.37))
        #expect(abs(cdf + sf - 1) < 1e-15)
    }

    @Test func binomialQuantileIsSmallestReachingK() throws {
        for p in [0.01, 0.2, 0.5, 0.8, 0.99] {
            let k = try #require(Binomial.quantile(p, trials: 60, probability: 0.3))
            #expect(try #require(Binomial.cdf(k, trials: 60, probability: 0.3)) >= p)
            #expect(try #require(Binomial.cdf(k - 1, trials: 60, probability: 0.3)) < p)
        }
    }
}

@Suite("Binomial intervals: edge cases")
struct BinomialIntervalTests {
    @Test func emptyTrialsGiveUninformativeInterval() {
        #expect(BinomialInterval.wilson(successes: 0, trials: 0) == ConfidenceInterval(lower: 0, upper: 1, level: 0.95))
        #expect(BinomialInterval.clopperPearson(successes: 3, trials: -2).lower == 0)
        #expect(BinomialInterval.clopperPearson(successes: 3, trials: -2).upper == 1)
    }

    @Test func countsAreClamped() {
        #expect(BinomialInterval.wilson(successes: 12, trials: 10) == BinomialInterval.wilson(successes: 10, trials: 10))
        #expect(BinomialInterval.wilson(successes: -1, trials: 10) == BinomialInterval.wilson(successes: 0, trials: 10))
    }

    @Test func levelEdges() {
        let full = BinomialInterval.wilson(successes: 3, trials: 10, level: 1)
        #expect(full.lower == 0 && full.upper == 1)
        let point = BinomialInterval.wilson(successes: 3, trials: 10, level: 0)
        #expect(abs(point.lower - 0.3) < 1e-15 && abs(point.upper - 0.3) < 1e-15)
        let nan = BinomialInterval.clopperPearson(successes: 3, trials: 10, level: .nan)
        #expect(nan.lower == 0 && nan.upper == 1)
        let difference = BinomialInterval.agrestiCaffo(successes1: 3, trials1: 10, successes2: 4, trials2: 10, level: 1)
        #expect(difference.lower == -1 && difference.upper == 1)
    }

    @Test(arguments: [(0, 20), (7, 20), (20, 20), (1, 1)])
    func intervalsContainEstimateAndStayInRange(_ x: Int, _ n: Int) {
        let p = Double(x) / Double(n)
        for interval in [BinomialInterval.wilson(successes: x, trials: n),
                         BinomialInterval.clopperPearson(successes: x, trials: n)] {
            #expect(interval.lower >= 0 && interval.upper <= 1)
            #expect(interval.contains(p))
        }
        // Clopper-Pearson is never narrower than Wilson at the same level.
        #expect(BinomialInterval.clopperPearson(successes: x, trials: n).width
            >= BinomialInterval.wilson(successes: x, trials: n).width)
    }

    @Test func wilsonCoverageIsNearNominal() {
        // Given many samples of n = 50 from p = 0.8, When computing 95% Wilson intervals,
        // Then about 95% contain 0.8 (Wilson's coverage oscillates around the nominal level).
        var generator = SeededGenerator(seed: 11)
        var covered = 0
        let replications = 2_000
        for _ in 0..<replications {
            var successes = 0
            for _ in 0..<50 where generator.nextDouble() < 0.8 { successes += 1 }
            if BinomialInterval.wilson(successes: successes, trials: 50).contains(0.8) { covered += 1 }
        }
        let rate = Double(covered) / Double(replications)
        #expect(rate > 0.92 && rate < 0.98)
    }
}

@Suite("Percentiles, summaries, correlation, multiple comparisons: edge cases")
struct DescriptiveEdgeTests {
    @Test func percentileEdges() {
        #expect(Percentile.linear([], 0.5) == nil)
        #expect(Percentile.linear([1, .nan], 0.5) == nil)
        #expect(Percentile.linear([1, .infinity], 0.5) == nil)
        #expect(Percentile.linear([1, 2], 1.5) == nil)
        #expect(Percentile.linear([1, 2], [0.5, -1]) == nil)
        #expect(Percentile.linear([1, 2], []) == [])
        #expect(Percentile.linear([7], 0.99) == 7)
        #expect(Percentile.linear([4, 4, 4], 0.3) == 4)
        #expect(Percentile.nearestRank([5, 1, 3], 0) == 1)
        #expect(Percentile.nearestRank([5, 1, 3], 1) == 5)
        #expect(Percentile.nearestRank([], 0.5) == nil)
        #expect(Percentile.linear([10, 20, 30, 40], [0.5, 0.95, 0.99]) == [25, 38.5, 39.7].map { $0 }
            || (Percentile.linear([10, 20, 30, 40], [0.99])?.first ?? 0) - 39.7 < 1e-12)
    }

    @Test func summaryEdges() {
        #expect(Summary.mean([]) == nil)
        #expect(Summary.variance([3]) == nil)
        #expect(Summary.variance([2, 2, 2]) == 0)
        #expect(Summary.standardError([5, 5]) == 0)
        #expect(Summary.mean([1, .nan]) == nil)
        #expect(Summary.median([3, 1, 2, 10]) == 2.5)
    }

    @Test func correlationEdges() {
        #expect(Correlation.pearson([1, 2, 3], [1, 2]) == nil)
        #expect(Correlation.pearson([1, 1, 1], [1, 2, 3]) == nil)
        #expect(Correlation.spearman([1, 2, 3], [5, 5, 5]) == nil)
        #expect(Correlation.kendallTauB([2, 2], [1, 3]) == nil)
        #expect(Correlation.pearson([1, 2, 3], [2, 4, 6]) == 1)
        #expect(Correlation.kendallTauB([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        #expect(Correlation.spearman([1, 2, 3, 4], [1, 4, 9, 16]) == 1)
    }

    @Test func kendallMatchesQuadraticDefinition() {
        var generator = SeededGenerator(seed: 5)
        let x = (0..<120).map { _ in Double(generator.nextInt(below: 6)) }
        let y = (0..<120).map { _ in Double(generator.nextInt(below: 4)) }
        var concordant = 0.0
        var discordant = 0.0
        var tiedX = 0.0
        var tiedY = 0.0
        var pairs = 0.0
        for i in 0..<x.count {
            for j in (i + 1)..<x.count {
                pairs += 1
                let s = (x[i] - x[j]) * (y[i] - y[j])
                if x[i] == x[j] { tiedX += 1 }
                if y[i] == y[j] { tiedY += 1 }
                if s > 0 { concordant += 1 } else if s < 0 { discordant += 1 }
            }
        }
        let expected = (concordant - discordant) / ((pairs - tiedX) * (pairs - tiedY)).squareRoot()
        let actual = Correlation.kendallTauB(x, y) ?? .nan
        #expect(abs(actual - expected) < 1e-14)
    }

    @Test func multipleComparisonEdges() {
        #expect(MultipleComparisons.holm([]) == [])
        #expect(MultipleComparisons.holm([0.1, 1.2]) == nil)
        #expect(MultipleComparisons.benjaminiHochberg([.nan]) == nil)
        #expect(MultipleComparisons.holm([0.04]) == [0.04])
        let adjusted = MultipleComparisons.holm([0.01, 0.04, 0.03]) ?? []
        #expect(MultipleComparisons.rejections(adjusted, alpha: 0.05) == [true, false, false])
        // Holm is never less conservative than Benjamini-Hochberg.
        let p = [0.001, 0.02, 0.03, 0.2, 0.04]
        for (h, b) in zip(MultipleComparisons.holm(p) ?? [], MultipleComparisons.benjaminiHochberg(p) ?? []) {
            #expect(h >= b)
        }
    }

    @Test func errorsDescribeThemselves() {
        let error = StatsError.lengthMismatch(3, 4)
        #expect(error.description.contains("3") && error.description.contains("4"))
        #expect(error.shortDescription == "length_mismatch")
        #expect(StatsError.nonFiniteStatistic.shortDescription == "non_finite_statistic")
        #expect(StatsError.invalidParameter("level", "in (0, 1)").description == "level must be in (0, 1)")
    }
}
