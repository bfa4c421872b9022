import Foundation

/// Adjusted p-values for a family of tests, identical to statsmodels `multipletests` (`"holm"` and
/// `"fdr_bh"`).
///
/// Both functions return the adjusted p-values in the order of the input; compare them with the family-wise
/// level `alpha` (`adjusted <= alpha` rejects). An empty input returns `[]`; an input containing NaN or a value
/// outside `[0, 1]` returns `nil`.
public enum MultipleComparisons {
    /// Holm's step-down adjustment, controlling the family-wise error rate under any dependence.
    ///
    /// With sorted p-values `p₍₁₎ <= ... <= p₍ₘ₎`, the adjusted value is
    /// `max_{j <= i} min(1, (m - j + 1) p₍ⱼ₎)`. Assay uses it across the rubric vector of a comparison.
    /// - Parameter pValues: The raw p-values, in any order.
    /// - Returns: The adjusted p-values in input order, or `nil` as described on ``MultipleComparisons``.
    public static func holm(_ pValues: [Double]) -> [Double]? {
        guard pValues.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { return nil }
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// The Benjamini-Hochberg step-up adjustment, controlling the false discovery rate for independent or
    /// positively dependent tests.
    ///
    /// With sorted p-values, the adjusted value is `min_{j >= i} min(1, m p₍ⱼ₎ / j)`.
    /// - Parameter pValues: The raw p-values, in any order.
    /// - Returns: The adjusted p-values in input order, or `nil` as described on ``MultipleComparisons``.
    public static func benjaminiHochberg(_ pValues: [Double]) -> [Double]? {
        guard pValues.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { return nil }
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 1.0
        for rank in stride(from: m - 1, through: 0, by: -1) {
            let index = order[rank]
            running = min(running, Double(m) * pValues[index] / Double(rank + 1))
            adjusted[index] = running
        }
        return adjusted
    }

    /// Which hypotheses are rejected: `adjusted <= alpha`.
    /// - Parameter adjustedPValues: Adjusted p-values from ``holm(_:)`` or ``benjaminiHochberg(_:)``.
    /// - Parameter alpha: The family-wise (Holm) or false-discovery (Benjamini-Hochberg) level.
    /// - Returns: One flag per p-value, in input order.
    public static func rejections(_ adjustedPValues: [Double], alpha: Double) -> [Bool] {
        adjustedPValues.map { $0 <= alpha }
    }
}
