import Foundation

/// Sample percentiles (quantiles of a data set).
///
/// All functions return `nil` for empty input, for input containing NaN or an infinity, and for a `p` that is NaN or outside
public enum Percentile {
    /// Linear interpolation between closest ranks (numpy's default `"linear"` method, Hyndman and Fan type 7).
    ///
    /// With the sorted values `v` and `h = (n - 1) p`, returns `v[⌊h⌋] + (h - ⌊h⌋)(v[⌊h⌋+1] - v[⌊h⌋])`. A single
    /// value is returned for every `p`; `p = 0` is the minimum and `p = 1` the maximum.
    /// - Parameter values: The data, in any order.
    /// - Parameter p: The percentile as a fraction in `0...1`, for example `0.95`.
    /// - Returns: The percentile, or `nil` as described on ``Percentile``.
    public static func linear(_ values: [Double], _ p: Double) -> Double? {
        linear(values, [p])?.first
    }

    /// Linear-interpolation percentiles for several fractions at once, sorting the data only once
    /// (for example p50, p95 and p99 of latencies).
    /// - Parameter values: The data, in any order.
    /// - Parameter ps: The fractions in `0...1`.
    /// - Returns: One percentile per element of `ps`, in the same order, or `nil` if `values` is empty or
    ///   contains NaN, or any fraction is invalid. An empty `ps` returns `[]` for valid `values`.
    public static func linear(_ values: [Double], _ ps: [Double]) -> [Double]? {
        guard let sorted = sortedValues(values), ps.allSatisfy(isValid) else { return nil }
        return ps.map { interpolate(sorted, $0) }
    }

    /// The nearest-rank percentile: the smallest value whose empirical CDF is at least `p`.
    ///
    /// Returns the sorted value at 1-based rank `max(1, ⌈n p⌉)`, so the result is always an observed value
    /// (numpy's `"inverted_cdf"` method, Hyndman and Fan type 1).
    /// - Parameter values: The data, in any order.
    /// - Parameter p: The percentile as a fraction in `0...1`.
    /// - Returns: The percentile, or `nil` as described on ``Percentile``.
    public static func nearestRank(_ values: [Double], _ p: Double) -> Double? {
        guard let sorted = sortedValues(values), isValid(p) else { return nil }
        let rank = min(max(Int((p * Double(sorted.count)).rounded(.up)), 1), sorted.count)
        return sorted[rank - 1]
    }

    private static func isValid(_ p: Double) -> Bool { p >= 0 && p <= 1 }

    private static func sortedValues(_ values: [Double]) -> [Double]? {
        guard !values.isEmpty, values.allSatisfy(\.isFinite) else { return nil }
        return values.sorted()
    }

    /// Type 7 interpolation on sorted, non-empty data.
    static func interpolate(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let index = min(Int(h.rounded(.down)), sorted.count - 1)
        let fraction = h - Double(index)
        guard fraction > 0, index + 1 < sorted.count else { return sorted[index] }
        let low = sorted[index]
        let high = sorted[index + 1]
        if low == high { return low }
        // numpy's lerp: symmetric form keeps the result inside [low, high].
        return fraction < 0.5 ? low + (high - low) * fraction : high - (high - low) * (1 - fraction)
    }
}
