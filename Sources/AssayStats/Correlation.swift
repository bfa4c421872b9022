import Foundation

/// Correlation coefficients for paired samples.
///
/// All functions return `nil` when the inputs differ in length, have fewer than two pairs, contain NaN or
/// infinite values, or when either variable has zero variance (all values equal), where a correlation is
/// undefined (SciPy returns NaN there).
public enum Correlation {
    /// Pearson's product-moment correlation coefficient.
    /// - Parameter x: The first variable.
    /// - Parameter y: The second variable, paired with `x`.
    /// - Returns: r in `[-1, 1]`, or `nil` as described on ``Correlation``.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        guard valid(x, y), let meanX = Summary.mean(x), let meanY = Summary.mean(y) else { return nil }
        var sxx = CompensatedSum()
        var syy = CompensatedSum()
        var sxy = CompensatedSum()
        for (a, b) in zip(x, y) {
            let dx = a - meanX
            let dy = b - meanY
            sxx.add(dx * dx)
            syy.add(dy * dy)
            sxy.add(dx * dy)
        }
        guard sxx.value > 0, syy.value > 0 else { return nil }
        let product = sxx.value * syy.value
        let scale = product.isFinite && product > 0 ? product.squareRoot() : sxx.value.squareRoot() * syy.value.squareRoot()
        let r = sxy.value / scale
        return min(1, max(-1, r))
    }

    /// Spearman's rank correlation: Pearson's r of the ranks, with tied values given their average rank.
    /// - Parameter x: The first variable.
    /// - Parameter y: The second variable, paired with `x`.
    /// - Returns: ρ in `[-1, 1]`, or `nil` as described on ``Correlation``.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        guard valid(x, y) else { return nil }
        return pearson(Ranking.averageRanks(x).ranks, Ranking.averageRanks(y).ranks)
    }

    /// Kendall's tau-b, which adjusts for ties in either variable (SciPy `kendalltau` default).
    ///
    /// `τ_b = (n_c - n_d) / √((n₀ - n₁)(n₀ - n₂))`, where `n₀ = n(n-1)/2` and `n₁`, `n₂` count the pairs tied in
    /// `x` and in `y`. Computed in O(n log n) with Knight's merge-sort algorithm.
    /// - Parameter x: The first variable.
    /// - Parameter y: The second variable, paired with `x`.
    /// - Returns: τ_b in `[-1, 1]`, or `nil` as described on ``Correlation``.
    public static func kendallTauB(_ x: [Double], _ y: [Double]) -> Double? {
        guard valid(x, y) else { return nil }
        let n = x.count
        // Sort by x, then by y.
        let order = x.indices.sorted { x[$0] != x[$1] ? x[$0] < x[$1] : y[$0] < y[$1] }
        let sortedX = order.map { x[$0] }
        var sortedY = order.map { y[$0] }
        let tiedX = tiedPairs(sortedX)
        // Pairs tied in both x and y: runs of equal (x, y) in the joint order.
        var tiedBoth = 0
        var run = 1
        for i in 1..<n {
            if sortedX[i] == sortedX[i - 1] && sortedY[i] == sortedY[i - 1] {
                run += 1
            } else {
                tiedBoth += run * (run - 1) / 2
                run = 1
            }
        }
        tiedBoth += run * (run - 1) / 2
        // Discordant pairs are the swaps a stable merge sort of y makes.
        var buffer = sortedY
        let swaps = mergeSortCountingSwaps(&sortedY, &buffer, 0, n)
        let tiedY = tiedPairs(sortedY)
        let total = n * (n - 1) / 2
        let numerator = Double(total - tiedX - tiedY + tiedBoth - 2 * swaps)
        let denominator = (Double(total - tiedX) * Double(total - tiedY)).squareRoot()
        guard denominator > 0 else { return nil }
        return min(1, max(-1, numerator / denominator))
    }

    private static func valid(_ x: [Double], _ y: [Double]) -> Bool {
        x.count == y.count && x.count >= 2 && x.allSatisfy(\.isFinite) && y.allSatisfy(\.isFinite)
    }

    /// The number of tied pairs in sorted values.
    private static func tiedPairs(_ sorted: [Double]) -> Int {
        var pairs = 0
        var run = 1
        for i in 1..<sorted.count {
            if sorted[i] == sorted[i - 1] {
                run += 1
            } else {
                pairs += run * (run - 1) / 2
                run = 1
            }
        }
        return pairs + run * (run - 1) / 2
    }

    /// Sorts `values[start..<end]` ascending (stable) and returns the number of inversions, that is pairs
    /// `i < j` with `values[i] > values[j]`; equal values are not counted.
    private static func mergeSortCountingSwaps(
        _ values: inout [Double], _ buffer: inout [Double], _ start: Int, _ end: Int
    ) -> Int {
        guard end - start > 1 else { return 0 }
        let middle = (start + end) / 2
        var swaps = mergeSortCountingSwaps(&values, &buffer, start, middle)
        swaps += mergeSortCountingSwaps(&values, &buffer, middle, end)
        var i = start
        var j = middle
        var k = start
        while i < middle && j < end {
            if values[j] < values[i] {
                buffer[k] = values[j]
                swaps += middle - i
                j += 1
            } else {
                buffer[k] = values[i]
                i += 1
            }
            k += 1
        }
        while i < middle { buffer[k] = values[i]; i += 1; k += 1 }
        while j < end { buffer[k] = values[j]; j += 1; k += 1 }
        for index in start..<end { values[index] = buffer[index] }
        return swaps
    }
}
