import Foundation

/// The paired bootstrap for the mean difference of two systems scored on the same cases.
///
/// Cases (pairs) are resampled with replacement, so the correlation between the two systems on a case is kept.
/// The interval is a ``Bootstrap`` interval for `mean(x - y)`. The p-value tests `mean(x - y) = 0` by the
/// null-shifted bootstrap (Efron and Tibshirani 1993, section 16.4): the differences are centred on zero and the
/// p-value is `(1 + #{|mean*| >= |observed|}) / (1 + resamples)` (two-sided; one-sided alternatives count one tail).
public enum PairedBootstrap {
    /// The outcome of a paired bootstrap.
    public struct Result: Sendable, Hashable, Codable {
        /// The observed mean difference, `mean(x - y)`.
        public var meanDifference: Double
        /// The bootstrap confidence interval for the mean difference.
        public var interval: ConfidenceInterval
        /// The null-shifted bootstrap p-value, in `(0, 1]`.
        public var pValue: Double
        /// The number of resamples.
        public var resamples: Int
    }

    /// Bootstraps the mean of the paired differences `x - y`.
    /// - Parameter x: The first system's scores.
    /// - Parameter y: The second system's scores on the same cases, in the same order.
    /// - Parameter alternative: The alternative for the p-value, default two-sided.
    /// - Parameter level: The coverage of the interval in (0, 1), default 0.95.
    /// - Parameter resamples: The number of resamples, default 10,000; at least 1.
    /// - Parameter method: The interval method, default ``Bootstrap/Method/bca``.
    /// - Parameter seed: The seed of the ``SeededGenerator``, default 0.
    /// - Returns: The result. When all differences are equal the interval has zero width and, if they are all
    ///   zero, the p-value is 1.
    /// - Throws: ``StatsError`` for empty, non-finite or unequal-length inputs, or invalid parameters.
    public static func meanDifference(
        _ x: [Double],
        _ y: [Double],
        alternative: Alternative = .twoSided,
        level: Double = 0.95,
        resamples: Int = 10_000,
        method: Bootstrap.Method = .bca,
        seed: UInt64 = 0
    ) throws -> Result {
        let differences = try PairedInput.differences(x, y)
        let mean: ([Double]) -> Double = { Summary.sum($0) / Double($0.count) }
        let observed = mean(differences)
        let interval = try Bootstrap.interval(
            differences, level: level, resamples: resamples, method: method, seed: seed, statistic: mean
        )
        // Null-shifted resampling, with an independent stream derived from the seed.
        var splitMix = seed
        let nullSeed = SeededGenerator.splitMix64(&splitMix)
        let centred = differences.map { $0 - observed }
        let nullMeans = try Bootstrap.replicates(centred, resamples: resamples, seed: nullSeed, statistic: mean)
        let tolerance = 1e-12 * differences.reduce(0) { $0 + abs($1) } / Double(differences.count)
        var hits = 0
        for value in nullMeans {
            switch alternative {
            case .twoSided: if abs(value) >= abs(observed) - tolerance { hits += 1 }
            case .greater: if value >= observed - tolerance { hits += 1 }
            case .less: if value <= observed + tolerance { hits += 1 }
            }
        }
        let p = min(1, Double(hits + 1) / Double(resamples + 1))
        return Result(meanDifference: observed, interval: interval, pValue: p, resamples: resamples)
    }
}
