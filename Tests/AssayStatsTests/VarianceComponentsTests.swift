import AssayStats
import Foundation
import Testing

@Suite struct VarianceComponentsTests {
    @Test func balancedDesignMatchesTheANOVAFormulas() throws {
        // 3 cases x 2 samples x 2 repeats, worked by hand:
        // judge: every pair differs by 1 -> variance 0.5 each -> pooled 0.5
        // sample means: case A 1.5, 3.5 (var 2); B 2.5, 2.5 (0); C 5.5, 7.5 (2) -> pooled 4/3; minus 0.5/2 -> 13/12
        // case means 2.5, 2.5, 6.5 -> var 16/3; minus (13/12)/2 + 0.5/4 = 2/3 -> 14/3
        let scores: [[[Double]]] = [
            [[1, 2], [3, 4]],
            [[2, 3], [2, 3]],
            [[5, 6], [7, 8]],
        ]
        let result = try #require(VarianceComponents.estimate(scores))
        #expect(abs((result.judgeVariance ?? 0) - 0.5) < 1e-12)
        #expect(abs((result.generatorVariance ?? 0) - 13.0 / 12.0) < 1e-12)
        #expect(abs(result.caseVariance - 14.0 / 3.0) < 1e-12)
        #expect(result.cases == 3)
    }

    @Test func recoversKnownComponentsInSimulation() throws {
        // Given case sd 0.3, generator sd 0.2 and judge sd 0.1 (variances 0.09, 0.04, 0.01)
        var rng = SeededGenerator(seed: 2026)
        func normal() -> Double {
            let u1 = max(rng.nextDouble(), 1e-300), u2 = rng.nextDouble()
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }
        var scores: [[[Double]]] = []
        for _ in 0..<2_000 {
            let caseEffect = 0.3 * normal()
            scores.append((0..<4).map { _ in
                let sample = caseEffect + 0.2 * normal()
                return (0..<3).map { _ in sample + 0.1 * normal() }
            })
        }
        let result = try #require(VarianceComponents.estimate(scores))
        #expect(abs(result.caseVariance - 0.09) < 0.01)
        #expect(abs((result.generatorVariance ?? 0) - 0.04) < 0.004)
        #expect(abs((result.judgeVariance ?? 0) - 0.01) < 0.001)
        #expect(abs((result.noiseShare ?? 0) - 0.05 / 0.14) < 0.05)
    }

    @Test func definedEdgeCases() throws {
        #expect(VarianceComponents.estimate([]) == nil)
        #expect(VarianceComponents.estimate([[[1]]]) == nil, "one case says nothing about variance between cases")
        #expect(VarianceComponents.estimate([[[1]], [[.nan]]]) == nil)
        let single = try #require(VarianceComponents.estimate([[[1]], [[0]], [[1]]]))
        #expect(single.generatorVariance == nil && single.judgeVariance == nil)
        #expect(abs(single.caseVariance - 1.0 / 3.0) < 1e-12)
        let constant = try #require(VarianceComponents.estimate([[[1, 1], [1, 1]], [[1, 1], [1, 1]]]))
        #expect(constant.caseVariance == 0 && constant.generatorVariance == 0 && constant.judgeVariance == 0)
        #expect(constant.noiseShare == nil)
    }
}
