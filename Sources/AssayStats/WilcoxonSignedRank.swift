import Foundation

/// The Wilcoxon signed-rank test for paired samples, matching SciPy 1.17 `scipy.stats.wilcoxon` with
/// `zero_method="wilcox"` and `correction=True`.
///
/// Zero differences are discarded before ranking (Wilcoxon's original treatment, SciPy's default
/// `zero_method="wilcox"`): a pair with no difference carries no evidence about its direction. The remaining
/// absolute differences are ranked with average ranks for ties, and `R+` is the sum of the ranks of the
/// positive differences.
///
/// The null distribution of `R+` is computed exactly or approximated:
/// - exact: the distribution of `R+` over all `2ⁿ` sign assignments of the observed ranks, computed by dynamic
///   programming on doubled ranks. Without ties this is the classical Wilcoxon distribution; with ties or
///   zeros it is the exact conditional (permutation) distribution given the tie pattern, which is what SciPy's
///   automatic method computes for `n <= 13`.
/// - normal approximation: `z = (R+ - n(n+1)/4) / σ` with the tie-corrected
///   `σ² = (n(n+1)(2n+1) - Σ(t³ - t)/2) / 24` and a continuity correction of 1/2 towards the mean.
public enum WilcoxonSignedRank {
    /// How to compute the p-value.
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        /// SciPy's rule: exact when there are at most 50 pairs (zeros included) and no ties or zeros; exact
        /// conditional when there are ties or zeros and at most 13 pairs; otherwise the normal approximation.
        case automatic
        /// Always exact (conditional on ties); at most ``exactLimit`` non-zero differences.
        case exact
        /// Always the normal approximation with tie and continuity correction.
        case normalApproximation
    }

    /// The largest number of non-zero differences for which ``Method/exact`` is allowed.
    public static let exactLimit = 400

    /// The outcome of a signed-rank test.
    public struct Result: Sendable, Hashable, Codable {
        /// `min(R+, R-)` for a two-sided test, `R+` for a one-sided test (SciPy's convention).
        public var statistic: Double
        /// The p-value, in `[0, 1]`.
        public var pValue: Double
        /// The method actually used (never ``Method/automatic``).
        public var method: Method
        /// The number of non-zero differences that were ranked.
        public var nonZeroCount: Int
        /// The continuity-corrected z statistic when the normal approximation was used, else `nil`.
        public var z: Double?
    }

    /// Tests whether the paired differences `x - y` are symmetric about zero.
    /// - Parameter x: The first sample.
    /// - Parameter y: The second sample, paired with `x`.
    /// - Parameter alternative: The alternative hypothesis, default two-sided.
    /// - Parameter method: How to compute the p-value, default ``Method/automatic``.
    /// - Returns: The result. When every difference is zero the result is `statistic 0, pValue 1` (SciPy
    ///   returns NaN).
    /// - Throws: ``StatsError`` for empty, non-finite or unequal-length inputs, or when ``Method/exact`` is
    ///   requested for more than ``exactLimit`` non-zero differences.
    public static func test(
        _ x: [Double],
        _ y: [Double],
        alternative: Alternative = .twoSided,
        method: Method = .automatic
    ) throws -> Result {
        try test(differences: PairedInput.differences(x, y), alternative: alternative, method: method)
    }

    /// Tests whether the differences are symmetric about zero.
    /// - Parameter differences: The paired differences.
    /// - Parameter alternative: The alternative hypothesis, default two-sided.
    /// - Parameter method: How to compute the p-value, default ``Method/automatic``.
    /// - Returns: The result, as for ``test(_:_:alternative:method:)``.
    /// - Throws: ``StatsError`` for empty or non-finite input, or an exact request that is too large.
    public static func test(
        differences: [Double],
        alternative: Alternative = .twoSided,
        method: Method = .automatic
    ) throws -> Result {
        try PairedInput.checkDifferences(differences)
        let nonZero = differences.filter { $0 != 0 }
        let n = nonZero.count
        let zeroCount = differences.count - n
        guard n > 0 else {
            let resolved: Method = method == .normalApproximation ? .normalApproximation : .exact
            return Result(statistic: 0, pValue: 1, method: resolved, nonZeroCount: 0, z: nil)
        }
        let (ranks, tieSizes) = Ranking.averageRanks(nonZero.map { abs($0) })
        var rPlus = 0.0
        var rMinus = 0.0
        for (difference, rank) in zip(nonZero, ranks) {
            if difference > 0 { rPlus += rank } else { rMinus += rank }
        }
        let statistic = alternative == .twoSided ? min(rPlus, rMinus) : rPlus

        var resolved = method
        if method == .automatic {
            let hasTies = !tieSizes.isEmpty
            if differences.count > 50 {
                resolved = .normalApproximation
            } else if !hasTies && zeroCount == 0 {
                resolved = .exact
            } else if differences.count <= 13 {
                resolved = .exact
            } else {
                resolved = .normalApproximation
            }
        }
        if resolved == .exact {
            guard n <= exactLimit else {
                throw StatsError.invalidParameter("method", "normalApproximation for more than \(exactLimit) non-zero differences")
            }
            let p = exactPValue(ranks: ranks, rPlus: rPlus, alternative: alternative)
            return Result(statistic: statistic, pValue: p, method: .exact, nonZeroCount: n, z: nil)
        }
        let count = Double(n)
        let mean = count * (count + 1) / 4
        let tieCorrection = tieSizes.reduce(0.0) { total, t in
            let size = Double(t)
            return total + size * size * size - size
        }
        let sigma = ((count * (count + 1) * (2 * count + 1) - tieCorrection / 2) / 24).squareRoot()
        var z = (rPlus - mean) / sigma
        switch alternative {
        case .twoSided: z -= (z > 0 ? 1 : (z < 0 ? -1 : 0)) * 0.5 / sigma
        case .greater: z -= 0.5 / sigma
        case .less: z += 0.5 / sigma
        }
        let p: Double
        switch alternative {
        case .twoSided: p = min(1, 2 * Normal.standardCDF(-abs(z)))
        case .greater: p = Normal.standardCDF(-z)
        case .less: p = Normal.standardCDF(z)
        }
        let reportedZ = alternative == .twoSided ? -abs(z) : z
        return Result(statistic: statistic, pValue: p, method: .normalApproximation, nonZeroCount: n, z: reportedZ)
    }

    /// The exact p-value from the distribution of `R+` over all sign assignments of `ranks`.
    static func exactPValue(ranks: [Double], rPlus: Double, alternative: Alternative) -> Double {
        // Doubled midranks are integers.
        let weights = ranks.map { Int(($0 * 2).rounded()) }
        let total = weights.reduce(0, +)
        var distribution = [Double](repeating: 0, count: total + 1)
        distribution[0] = 1
        var reach = 0
        for weight in weights {
            // Each rank joins R+ with probability 1/2; iterate downwards to update in place.
            reach += weight
            var s = reach
            while s >= 0 {
                let without = distribution[s] * 0.5
                let with = s >= weight ? distribution[s - weight] * 0.5 : 0
                distribution[s] = without + with
                s -= 1
            }
        }
        let observed = Int((rPlus * 2).rounded())
        var lowerTail = 0.0
        var upperTail = 0.0
        for s in 0...total {
            if s <= observed { lowerTail += distribution[s] }
            if s >= observed { upperTail += distribution[s] }
        }
        switch alternative {
        case .twoSided: return min(1, 2 * min(lowerTail, upperTail))
        case .greater: return min(1, upperTail)
        case .less: return min(1, lowerTail)
        }
    }
}
