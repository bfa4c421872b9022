import Foundation

/// The paired permutation (sign-flip) test for the mean of paired differences.
///
/// Under the null hypothesis that the two systems are exchangeable on every case, each difference
/// `dᵢ = xᵢ - yᵢ` is equally likely to have either sign. The test compares the observed mean difference with
/// its distribution over sign flips. It assumes nothing about the shape of the scores, which makes it the
/// default for comparing per-case scores in Assay.
///
/// The p-value is exact (all `2ᵏ` sign assignments of the `k` non-zero differences are enumerated) when
/// `k <= exactLimit`; otherwise it is a seeded Monte Carlo estimate `(1 + hits) / (1 + resamples)`, which is
/// never zero and is a valid p-value (Phipson and Smyth 2010). Both match SciPy's
/// `permutation_test(permutation_type="samples")` on the differences (exactly when enumerated). Sums are
/// compared with a relative tolerance of 1e-9 of `Σ|dᵢ|`, so that sign assignments whose mean equals the
/// observed one up to rounding count as at least as extreme.
public enum PairedPermutation {
    /// The outcome of a paired permutation test.
    public struct Result: Sendable, Hashable, Codable {
        /// The observed mean difference, `mean(x - y)`.
        public var meanDifference: Double
        /// The p-value, in `(0, 1]`.
        public var pValue: Double
        /// Whether every sign assignment was enumerated.
        public var isExact: Bool
        /// The number of sign assignments evaluated (`2ᵏ` when exact).
        public var resamples: Int
    }

    /// Tests whether the mean of the paired differences `x - y` is zero.
    /// - Parameter x: The first sample.
    /// - Parameter y: The second sample, paired with `x`.
    /// - Parameter alternative: The alternative hypothesis, default two-sided.
    /// - Parameter exactLimit: Enumerate exactly when there are at most this many non-zero differences,
    ///   default 20 (about a million assignments); capped at 24 (16.8 million).
    /// - Parameter resamples: Monte Carlo sign assignments otherwise, default 10,000; at least 1.
    /// - Parameter seed: The seed of the ``SeededGenerator`` for the Monte Carlo case.
    /// - Returns: The result. When every difference is zero the p-value is 1.
    /// - Throws: ``StatsError`` for empty, non-finite or unequal-length inputs, or `resamples < 1`.
    public static func test(
        _ x: [Double],
        _ y: [Double],
        alternative: Alternative = .twoSided,
        exactLimit: Int = 20,
        resamples: Int = 10_000,
        seed: UInt64 = 0
    ) throws -> Result {
        try test(
            differences: PairedInput.differences(x, y), alternative: alternative,
            exactLimit: exactLimit, resamples: resamples, seed: seed
        )
    }

    /// Tests whether the mean of the differences is zero.
    /// - Parameter differences: The paired differences.
    /// - Parameter alternative: The alternative hypothesis, default two-sided.
    /// - Parameter exactLimit: Enumerate exactly up to this many non-zero differences, default 20; capped at 24.
    /// - Parameter resamples: Monte Carlo sign assignments otherwise, default 10,000; at least 1.
    /// - Parameter seed: The seed of the ``SeededGenerator``.
    /// - Returns: The result, as for ``test(_:_:alternative:exactLimit:resamples:seed:)``.
    /// - Throws: ``StatsError`` for empty or non-finite input, or `resamples < 1`.
    public static func test(
        differences: [Double],
        alternative: Alternative = .twoSided,
        exactLimit: Int = 20,
        resamples: Int = 10_000,
        seed: UInt64 = 0
    ) throws -> Result {
        try PairedInput.checkDifferences(differences)
        guard resamples >= 1 else { throw StatsError.invalidParameter("resamples", "at least 1") }
        let meanDifference = Summary.sum(differences) / Double(differences.count)
        let nonZero = differences.filter { $0 != 0 }
        guard !nonZero.isEmpty else {
            return Result(meanDifference: meanDifference, pValue: 1, isExact: true, resamples: 1)
        }
        let observed = Summary.sum(nonZero)
        let tolerance = 1e-9 * nonZero.reduce(0) { $0 + abs($1) }
        func isExtreme(_ sum: Double) -> Bool {
            switch alternative {
            case .twoSided: return abs(sum) >= abs(observed) - tolerance
            case .greater: return sum >= observed - tolerance
            case .less: return sum <= observed + tolerance
            }
        }
        if nonZero.count <= min(exactLimit, 24) {
            let (hits, total) = enumerate(nonZero, isExtreme: isExtreme)
            return Result(
                meanDifference: meanDifference, pValue: min(1, Double(hits) / Double(total)),
                isExact: true, resamples: total
            )
        }
        var generator = SeededGenerator(seed: seed)
        var hits = 0
        for _ in 0..<resamples {
            var sum = 0.0
            var bits: UInt64 = 0
            var available = 0
            for value in nonZero {
                if available == 0 {
                    bits = generator.next()
                    available = 64
                }
                sum += bits & 1 == 1 ? value : -value
                bits >>= 1
                available -= 1
            }
            if isExtreme(sum) { hits += 1 }
        }
        let p = Double(hits + 1) / Double(resamples + 1)
        return Result(meanDifference: meanDifference, pValue: min(1, p), isExact: false, resamples: resamples)
    }

    /// Counts the sign assignments whose sum is extreme, walking them in Gray-code order (one flip per step).
    /// The running sum is recomputed from scratch every 4,096 steps to bound rounding drift.
    private static func enumerate(_ values: [Double], isExtreme: (Double) -> Bool) -> (hits: Int, total: Int) {
        let k = values.count
        let total = 1 << k
        var signs = [Double](repeating: 1, count: k)
        var sum = values.reduce(0, +)
        var hits = isExtreme(sum) ? 1 : 0
        var step = 1
        while step < total {
            let bit = step.trailingZeroBitCount
            signs[bit] = -signs[bit]
            if step & 4095 == 0 {
                sum = 0
                for i in 0..<k { sum += signs[i] * values[i] }
            } else {
                sum += 2 * signs[bit] * values[bit]
            }
            if isExtreme(sum) { hits += 1 }
            step += 1
        }
        return (hits, total)
    }
}
