import Foundation

/// McNemar's test for paired binary outcomes (for example pass/fail of two systems on the same cases).
///
/// Only the discordant pairs carry information: `b` counts cases where the first system passed and the second
/// failed, `c` the reverse. Under the null hypothesis of equal pass rates each discordant pair is equally
/// likely to go either way, so `b ~ Binomial(b + c, 1/2)`.
///
/// Both functions return `nil` when `b` or `c` is negative, and `TestResult(statistic: 0, pValue: 1)` when there
/// are no discordant pairs.
public enum McNemar {
    /// The exact (conditional binomial) McNemar test, two-sided. Assay's default for paired pass/fail.
    ///
    /// `statistic = min(b, c)`, `pValue = min(1, 2 P(X <= min(b, c)))` with `X ~ Binomial(b + c, 1/2)`,
    /// identical to statsmodels `mcnemar(exact=True)`. Doubling the smaller tail makes the test conservative:
    /// its false-positive rate is at most `alpha` and usually below it.
    /// - Parameter b: Pairs where the first outcome is a success and the second a failure.
    /// - Parameter c: Pairs where the first outcome is a failure and the second a success.
    /// - Returns: The statistic and p-value, or `nil` for negative counts.
    public static func exact(b: Int, c: Int) -> TestResult? {
        guard b >= 0, c >= 0 else { return nil }
        let n = b + c
        guard n > 0 else { return TestResult(statistic: 0, pValue: 1) }
        let smaller = min(b, c)
        let p = min(1, 2 * Binomial.tails(smaller, n, 0.5).lower)
        return TestResult(statistic: Double(smaller), pValue: p)
    }

    /// The asymptotic McNemar test: a chi-square statistic with one degree of freedom.
    ///
    /// With the continuity correction (Edwards 1948) `statistic = max(0, |b - c| - 1)² / (b + c)`; without it
    /// `(b - c)² / (b + c)`. `pValue = P(χ²₁ > statistic)`. This equals statsmodels `mcnemar(exact=False)`
    /// except when `b == c` with the correction, where statsmodels computes `(0 - 1)² / (b + c) > 0`; we clamp
    /// the corrected difference at 0, giving statistic 0 and p-value 1 for perfectly balanced discordance.
    /// - Parameter b: Pairs where the first outcome is a success and the second a failure.
    /// - Parameter c: Pairs where the first outcome is a failure and the second a success.
    /// - Parameter continuityCorrection: Whether to subtract 1 from `|b - c|`, default `true`.
    /// - Returns: The statistic and p-value, or `nil` for negative counts.
    public static func chiSquare(b: Int, c: Int, continuityCorrection: Bool = true) -> TestResult? {
        guard b >= 0, c >= 0 else { return nil }
        let n = b + c
        guard n > 0 else { return TestResult(statistic: 0, pValue: 1) }
        var difference = Double(abs(b - c))
        if continuityCorrection { difference = max(0, difference - 1) }
        let statistic = difference * difference / Double(n)
        let p = Special.incompleteGamma(a: 0.5, x: statistic / 2).upper
        return TestResult(statistic: statistic, pValue: p)
    }

    /// Counts the discordant pairs of two paired pass/fail vectors.
    /// - Parameter first: Outcomes of the first system, one per case.
    /// - Parameter second: Outcomes of the second system on the same cases, in the same order.
    /// - Returns: `b` (first passed, second failed) and `c` (first failed, second passed).
    /// - Throws: ``StatsError`` when the vectors differ in length.
    public static func discordantCounts(_ first: [Bool], _ second: [Bool]) throws -> (b: Int, c: Int) {
        guard first.count == second.count else { throw StatsError.lengthMismatch(first.count, second.count) }
        var b = 0
        var c = 0
        for (x, y) in zip(first, second) where x != y {
            if x { b += 1 } else { c += 1 }
        }
        return (b, c)
    }
}
