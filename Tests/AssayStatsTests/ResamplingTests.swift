import Foundation
import Testing
@testable import AssayStats

private func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

@Suite("SeededGenerator")
struct SeededGeneratorTests {
    @Test func matchesReferenceImplementation() {
        // Values from the authors' C reference (SplitMix64 seeding, xoshiro256**), recomputed in Python.
        var state: UInt64 = 1_234_567
        #expect(SeededGenerator.splitMix64(&state) == 0x599E_D017_FB08_FC85)
        var zero = SeededGenerator(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0])
        var fortyTwo = SeededGenerator(seed: 42)
        #expect([fortyTwo.next(), fortyTwo.next(), fortyTwo.next()] == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1])
    }

    @Test func boundedDrawsStayInRangeAndAreUniform() {
        var generator = SeededGenerator(seed: 3)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 {
            let value = generator.nextInt(below: 7)
            counts[value] += 1
        }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
        #expect(generator.nextInt(below: 1) == 0)
        #expect(generator.nextInt(below: -5) == 0)
        for _ in 0..<1_000 {
            let u = generator.nextDouble()
            #expect(u >= 0 && u < 1)
        }
    }

    @Test func worksWithStandardLibrary() {
        var generator = SeededGenerator(seed: 9)
        var shuffled = Array(0..<10)
        shuffled.shuffle(using: &generator)
        #expect(shuffled.sorted() == Array(0..<10))
    }
}

@Suite("Bootstrap")
struct BootstrapTests {
    let sample: [Double] = {
        var generator = SeededGenerator(seed: 1)
        return (0..<40).map { _ in -log(1 - generator.nextDouble()) }
    }()

    @Test(arguments: Bootstrap.Method.allCases)
    func sameSeedSameInterval(_ method: Bootstrap.Method) throws {
        let first = try Bootstrap.interval(sample, resamples: 2_000, method: method, seed: 99, statistic: mean)
        let second = try Bootstrap.interval(sample, resamples: 2_000, method: method, seed: 99, statistic: mean)
        let other = try Bootstrap.interval(sample, resamples: 2_000, method: method, seed: 100, statistic: mean)
        #expect(first == second)
        #expect(first != other)
        #expect(first.lower < mean(sample) && mean(sample) < first.upper)
    }

    @Test func bcaShiftsRightForSkewedData() throws {
        // Given right-skewed data, BCa moves the interval to the right of the percentile interval.
        let percentile = try Bootstrap.interval(sample, resamples: 4_000, method: .percentile, seed: 2, statistic: mean)
        let bca = try Bootstrap.interval(sample, resamples: 4_000, method: .bca, seed: 2, statistic: mean)
        #expect(bca.upper > percentile.upper)
    }

    @Test(arguments: Bootstrap.Method.allCases)
    func identicalValuesGiveZeroWidth(_ method: Bootstrap.Method) throws {
        let interval = try Bootstrap.interval([0.5, 0.5, 0.5], resamples: 200, method: method, statistic: mean)
        #expect(interval.lower == 0.5 && interval.upper == 0.5)
        let single = try Bootstrap.interval([3], resamples: 50, method: method, statistic: mean)
        #expect(single.lower == 3 && single.upper == 3)
    }

    @Test func invalidInputThrows() {
        #expect(throws: StatsError.self) { try Bootstrap.interval([], statistic: mean) }
        #expect(throws: StatsError.self) { try Bootstrap.interval([1, .nan], statistic: mean) }
        #expect(throws: StatsError.self) { try Bootstrap.interval([1, 2], level: 1, statistic: mean) }
        #expect(throws: StatsError.self) { try Bootstrap.interval([1, 2], resamples: 0, statistic: mean) }
        #expect(throws: StatsError.self) { try Bootstrap.interval([1, 2], statistic: { _ in .nan }) }
        #expect(throws: StatsError.self) { try Bootstrap.clusteredInterval([[1], []], statistic: mean) }
        #expect(throws: StatsError.self) { try Bootstrap.clusteredInterval([], statistic: mean) }
    }

    @Test func singletonClustersEqualOrdinaryBootstrap() throws {
        let ordinary = try Bootstrap.interval(sample, resamples: 1_000, seed: 4, statistic: mean)
        let clustered = try Bootstrap.clusteredInterval(sample.map { [$0] }, resamples: 1_000, seed: 4, statistic: mean)
        #expect(ordinary == clustered)
    }

    @Test func clusteredBootstrapIsWiderForCorrelatedTrials() throws {
        // Given 60 cases with 5 trials each that share a case-level pass probability,
        // When bootstrapping the pass rate, Then resampling cases gives a wider interval than resampling trials.
        var generator = SeededGenerator(seed: 8)
        let clusters: [[Double]] = (0..<60).map { _ in
            let difficulty = generator.nextDouble()
            return (0..<5).map { _ in generator.nextDouble() < difficulty ? 1 : 0 }
        }
        let byCase = try Bootstrap.clusteredInterval(clusters, resamples: 2_000, method: .percentile, seed: 1, statistic: mean)
        let byTrial = try Bootstrap.interval(clusters.flatMap { $0 }, resamples: 2_000, method: .percentile, seed: 1, statistic: mean)
        #expect(byCase.width > 1.4 * byTrial.width)
    }

    @Test(arguments: Bootstrap.Method.allCases)
    func coverageOfTheMeanIsNearNominal(_ method: Bootstrap.Method) throws {
        // Given 150 normal samples of n = 25 with mean 1, When computing 90% intervals with 500 resamples,
        // Then the coverage is within Monte Carlo error of 90% (bootstrap intervals undercover slightly at n = 25).
        var generator = SeededGenerator(seed: 21)
        var covered = 0
        let replications = 150
        for replication in 0..<replications {
            let data = (0..<25).map { _ -> Double in
                let u1 = max(generator.nextDouble(), 1e-300)
                let u2 = generator.nextDouble()
                return 1 + (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            }
            let interval = try Bootstrap.interval(
                data, level: 0.9, resamples: 500, method: method, seed: UInt64(replication), statistic: mean
            )
            if interval.contains(1) { covered += 1 }
        }
        let rate = Double(covered) / Double(replications)
        #expect(rate > 0.80 && rate <= 0.97, "coverage \(rate)")
    }
}

@Suite("Paired tests")
struct PairedTestTests {
    @Test func mcNemarEdges() throws {
        #expect(McNemar.exact(b: 0, c: 0) == TestResult(statistic: 0, pValue: 1))
        #expect(McNemar.exact(b: -1, c: 0) == nil)
        #expect(McNemar.chiSquare(b: 4, c: 4) == TestResult(statistic: 0, pValue: 1))
        #expect(McNemar.chiSquare(b: 0, c: -2) == nil)
        let result = try #require(McNemar.exact(b: 0, c: 10))
        #expect(abs(result.pValue - 2 / 1024) < 1e-15)
        #expect(result.isSignificant(at: 0.05))
        let counts = try McNemar.discordantCounts([true, true, false, false, true], [false, true, true, false, false])
        #expect(counts.b == 2 && counts.c == 1)
        #expect(throws: StatsError.self) { try McNemar.discordantCounts([true], []) }
    }

    @Test func wilcoxonEdges() throws {
        #expect(throws: StatsError.self) { try WilcoxonSignedRank.test([], []) }
        #expect(throws: StatsError.self) { try WilcoxonSignedRank.test([1, 2], [1]) }
        #expect(throws: StatsError.self) { try WilcoxonSignedRank.test([1, .infinity], [1, 2]) }
        let zeros = try WilcoxonSignedRank.test([1, 2, 3], [1, 2, 3])
        #expect(zeros.pValue == 1 && zeros.statistic == 0 && zeros.nonZeroCount == 0)
        let big = (0..<500).map(Double.init)
        #expect(throws: StatsError.self) {
            try WilcoxonSignedRank.test(differences: big.map { $0 + 1 }, method: .exact)
        }
        let auto = try WilcoxonSignedRank.test(differences: [1, -2, 3, 4, 5, 6, 7])
        #expect(auto.method == .exact && auto.z == nil)
    }

    @Test func permutationMonteCarloAgreesWithExact() throws {
        var generator = SeededGenerator(seed: 17)
        let differences = (0..<16).map { _ in generator.nextDouble() - 0.3 }
        let exact = try PairedPermutation.test(differences: differences)
        let monteCarlo = try PairedPermutation.test(differences: differences, exactLimit: 0, resamples: 20_000, seed: 3)
        let again = try PairedPermutation.test(differences: differences, exactLimit: 0, resamples: 20_000, seed: 3)
        #expect(exact.isExact && !monteCarlo.isExact)
        #expect(monteCarlo == again)
        // Monte Carlo standard error at p ≈ exact.pValue with 20,000 resamples.
        let se = (exact.pValue * (1 - exact.pValue) / 20_000).squareRoot()
        #expect(abs(monteCarlo.pValue - exact.pValue) < 4 * se + 1e-4)
    }

    @Test func permutationEdges() throws {
        #expect(throws: StatsError.self) { try PairedPermutation.test([], []) }
        #expect(throws: StatsError.self) { try PairedPermutation.test([1], [2], resamples: 0) }
        let same = try PairedPermutation.test([1, 2, 3], [1, 2, 3])
        #expect(same.pValue == 1 && same.meanDifference == 0)
        // All 5 differences positive: the exact two-sided p-value is 2 / 32.
        let allUp = try PairedPermutation.test([2, 3, 4, 5, 6], [1, 1, 1, 1, 1])
        #expect(abs(allUp.pValue - 2.0 / 32) < 1e-15)
        let greater = try PairedPermutation.test([2, 3, 4, 5, 6], [1, 1, 1, 1, 1], alternative: .greater)
        #expect(abs(greater.pValue - 1.0 / 32) < 1e-15)
    }

    @Test func pairedBootstrapProperties() throws {
        var generator = SeededGenerator(seed: 23)
        let base = (0..<80).map { _ in generator.nextDouble() }
        let better = base.map { $0 + 0.15 + 0.1 * (generator.nextDouble() - 0.5) }
        let result = try PairedBootstrap.meanDifference(better, base, resamples: 3_000, seed: 5)
        #expect(abs(result.meanDifference - 0.15) < 0.02)
        #expect(result.interval.contains(result.meanDifference))
        #expect(result.pValue < 0.001)
        #expect(try PairedBootstrap.meanDifference(better, base, resamples: 3_000, seed: 5) == result)
        let null = try PairedBootstrap.meanDifference(base, base, resamples: 500)
        #expect(null.pValue == 1 && null.interval.width == 0)
        #expect(throws: StatsError.self) { try PairedBootstrap.meanDifference([1, 2], [1]) }
    }
}
