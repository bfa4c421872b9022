import Foundation

/// Bootstrap confidence intervals for an arbitrary statistic, with a seeded, platform-independent generator.
///
/// Resampling draws `n` units with replacement using ``SeededGenerator`` (so equal seeds give equal intervals on
/// every platform), evaluates the statistic on each resample, and reads the interval off the replicates with
/// linear interpolation between order statistics (type 7, as SciPy's `bootstrap` does).
///
/// - Percentile: the `α/2` and `1 - α/2` percentiles of the replicates.
/// - BCa (bias-corrected and accelerated, Efron 1987): the percentiles are shifted by the bias correction
///   `z₀ = Φ⁻¹(#{θ* < θ̂} / B)` and the jackknife acceleration `a = Σ(θ̄ - θ₍ᵢ₎)³ / (6 (Σ(θ̄ - θ₍ᵢ₎)²)^{3/2})`, as in
///   SciPy. BCa is second-order accurate and the default. When `z₀` is undefined (no replicate, or every
///   replicate, falls below `θ̂`, for example when all values are equal) the percentile interval is returned
///   instead; when the jackknife values are all equal, `a = 0`.
///
/// The clustered bootstrap resamples whole clusters (cases) rather than observations (trials). Use it when a
/// case is run several times: trials of one case are correlated, and resampling them independently would
/// understate the uncertainty.
public enum Bootstrap {
    /// How to turn bootstrap replicates into an interval.
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        /// The percentile interval.
        case percentile
        /// The bias-corrected and accelerated interval.
        case bca
    }

    /// A bootstrap confidence interval for `statistic` on `values`.
    /// - Parameter values: The sample; non-empty and finite.
    /// - Parameter level: The two-sided coverage in (0, 1), default 0.95.
    /// - Parameter resamples: The number of bootstrap resamples, default 10,000; at least 1.
    /// - Parameter method: ``Method/bca`` (default) or ``Method/percentile``.
    /// - Parameter seed: The seed of the ``SeededGenerator``, default 0.
    /// - Parameter statistic: The statistic, evaluated on the full sample, on each resample (same size) and,
    ///   for BCa, on each leave-one-out sample (size `n - 1`, only when `n >= 2`).
    /// - Returns: The interval, with `lower <= upper`.
    /// - Throws: ``StatsError`` for empty or non-finite input, invalid `level` or `resamples`, or a statistic
    ///   that returns NaN or an infinity; errors thrown by `statistic` are rethrown.
    public static func interval(
        _ values: [Double],
        level: Double = 0.95,
        resamples: Int = 10_000,
        method: Method = .bca,
        seed: UInt64 = 0,
        statistic: ([Double]) throws -> Double
    ) throws -> ConfidenceInterval {
        guard !values.isEmpty else { throw StatsError.emptyInput("values") }
        guard values.allSatisfy(\.isFinite) else { throw StatsError.nonFiniteInput("values") }
        let units = values.map { [$0] }
        return try clusteredInterval(
            units, level: level, resamples: resamples, method: method, seed: seed, statistic: statistic
        )
    }

    /// A clustered (case) bootstrap interval: whole clusters are resampled with replacement and the statistic
    /// is evaluated on the pooled observations of the resampled clusters.
    ///
    /// For the pooled mean this is the ratio estimator, which weights cases by their number of trials; to
    /// weight cases equally, pass per-case means to ``interval(_:level:resamples:method:seed:statistic:)``
    /// instead. BCa's jackknife leaves out one cluster at a time.
    /// - Parameter clusters: The observations of each cluster; at least one cluster, none empty, all finite.
    /// - Parameter level: The two-sided coverage in (0, 1), default 0.95.
    /// - Parameter resamples: The number of bootstrap resamples, default 10,000; at least 1.
    /// - Parameter method: ``Method/bca`` (default) or ``Method/percentile``.
    /// - Parameter seed: The seed of the ``SeededGenerator``, default 0.
    /// - Parameter statistic: The statistic of the pooled observations.
    /// - Returns: The interval, with `lower <= upper`.
    /// - Throws: ``StatsError`` for empty or non-finite input, an empty cluster, invalid `level` or `resamples`,
    ///   or a non-finite statistic; errors thrown by `statistic` are rethrown.
    public static func clusteredInterval(
        _ clusters: [[Double]],
        level: Double = 0.95,
        resamples: Int = 10_000,
        method: Method = .bca,
        seed: UInt64 = 0,
        statistic: ([Double]) throws -> Double
    ) throws -> ConfidenceInterval {
        try validate(clusters, level: level, resamples: resamples)
        let observed = try finite(statistic(clusters.flatMap { $0 }))
        let replicates = try clusteredReplicates(
            clusters, resamples: resamples, seed: seed, statistic: statistic
        ).sorted()
        switch method {
        case .percentile:
            return percentileInterval(sortedReplicates: replicates, level: level)
        case .bca:
            var jackknife: [Double] = []
            if clusters.count >= 2 {
                jackknife.reserveCapacity(clusters.count)
                for left in clusters.indices {
                    var sample: [Double] = []
                    for (index, cluster) in clusters.enumerated() where index != left {
                        sample.append(contentsOf: cluster)
                    }
                    jackknife.append(try finite(statistic(sample)))
                }
            }
            return bcaInterval(
                sortedReplicates: replicates, observed: observed, jackknife: jackknife, level: level
            )
        }
    }

    /// The bootstrap replicates of `statistic` on `values`, in resampling order.
    /// - Parameter values: The sample; non-empty and finite.
    /// - Parameter resamples: The number of resamples, default 10,000; at least 1.
    /// - Parameter seed: The seed of the ``SeededGenerator``, default 0.
    /// - Parameter statistic: The statistic.
    /// - Returns: `resamples` values.
    /// - Throws: ``StatsError`` for invalid input or a non-finite statistic; errors thrown by `statistic` are
    ///   rethrown.
    public static func replicates(
        _ values: [Double],
        resamples: Int = 10_000,
        seed: UInt64 = 0,
        statistic: ([Double]) throws -> Double
    ) throws -> [Double] {
        guard !values.isEmpty else { throw StatsError.emptyInput("values") }
        guard values.allSatisfy(\.isFinite) else { throw StatsError.nonFiniteInput("values") }
        let units = values.map { [$0] }
        try validate(units, level: 0.5, resamples: resamples)
        return try clusteredReplicates(units, resamples: resamples, seed: seed, statistic: statistic)
    }

    // MARK: - Internals

    static func validate(_ clusters: [[Double]], level: Double, resamples: Int) throws {
        guard !clusters.isEmpty else { throw StatsError.emptyInput("clusters") }
        guard clusters.allSatisfy({ !$0.isEmpty }) else {
            throw StatsError.invalidParameter("clusters", "non-empty (every cluster needs an observation)")
        }
        guard clusters.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { throw StatsError.nonFiniteInput("clusters") }
        guard level > 0, level < 1 else { throw StatsError.invalidParameter("level", "in (0, 1)") }
        guard resamples >= 1 else { throw StatsError.invalidParameter("resamples", "at least 1") }
    }

    static func finite(_ value: Double) throws -> Double {
        guard value.isFinite else { throw StatsError.nonFiniteStatistic }
        return value
    }

    static func clusteredReplicates(
        _ clusters: [[Double]],
        resamples: Int,
        seed: UInt64,
        statistic: ([Double]) throws -> Double
    ) throws -> [Double] {
        var generator = SeededGenerator(seed: seed)
        let m = clusters.count
        var replicates: [Double] = []
        replicates.reserveCapacity(resamples)
        var sample: [Double] = []
        if clusters.allSatisfy({ $0.count == 1 }) {
            // Fast path for the ordinary bootstrap: one observation per unit.
            let values = clusters.map { $0[0] }
            sample = values
            for _ in 0..<resamples {
                for index in 0..<m {
                    sample[index] = values[generator.nextInt(below: m)]
                }
                replicates.append(try finite(statistic(sample)))
            }
            return replicates
        }
        for _ in 0..<resamples {
            sample.removeAll(keepingCapacity: true)
            for _ in 0..<m {
                sample.append(contentsOf: clusters[generator.nextInt(below: m)])
            }
            replicates.append(try finite(statistic(sample)))
        }
        return replicates
    }

    static func percentileInterval(sortedReplicates: [Double], level: Double) -> ConfidenceInterval {
        let alpha = 1 - level
        return ConfidenceInterval(
            lower: Percentile.interpolate(sortedReplicates, alpha / 2),
            upper: Percentile.interpolate(sortedReplicates, 1 - alpha / 2),
            level: level
        )
    }

    /// The BCa interval from sorted replicates, the full-sample statistic and the jackknife values.
    static func bcaInterval(
        sortedReplicates: [Double],
        observed: Double,
        jackknife: [Double],
        level: Double
    ) -> ConfidenceInterval {
        let b = sortedReplicates.count
        // Count replicates strictly below the observed value (SciPy's percentileofscore(kind="strict")).
        var below = 0
        var low = 0
        var high = b
        while low < high {
            let middle = (low + high) / 2
            if sortedReplicates[middle] < observed { low = middle + 1 } else { high = middle }
        }
        below = low
        guard below > 0, below < b else {
            return percentileInterval(sortedReplicates: sortedReplicates, level: level)
        }
        let z0 = Normal.standardQuantile(Double(below) / Double(b))
        var acceleration = 0.0
        if !jackknife.isEmpty {
            let mean = Summary.sum(jackknife) / Double(jackknife.count)
            var squares = 0.0
            var cubes = 0.0
            for value in jackknife {
                let d = mean - value
                squares += d * d
                cubes += d * d * d
            }
            if squares > 0 {
                acceleration = cubes / (6 * pow(squares, 1.5))
            }
        }
        let alpha = 1 - level
        func adjusted(_ tail: Double) -> Double {
            let z = Normal.standardQuantile(tail)
            let shifted = z0 + (z0 + z) / (1 - acceleration * (z0 + z))
            let probability = Normal.standardCDF(shifted)
            return probability.isNaN ? tail : min(1, max(0, probability))
        }
        let lower = Percentile.interpolate(sortedReplicates, adjusted(alpha / 2))
        let upper = Percentile.interpolate(sortedReplicates, adjusted(1 - alpha / 2))
        return ConfidenceInterval(lower: min(lower, upper), upper: max(lower, upper), level: level)
    }
}
