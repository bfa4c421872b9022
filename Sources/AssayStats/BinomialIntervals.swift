import Foundation

/// Confidence intervals for binomial proportions and for a difference of two proportions.
///
/// These functions never fail: out-of-range input is mapped to a defined interval, as documented on each
/// function. Common rules:
/// - `successes` is clamped into `0...trials`; `trials <= 0` gives the uninformative interval.
/// - `level` is the two-sided coverage. `level >= 1` or NaN gives the uninformative interval;
///   `level <= 0` gives a zero-width interval at the point estimate.
public enum BinomialInterval {
    /// The Wilson score interval for a proportion (Wilson 1927), the interval Assay uses for pass-rate gates.
    ///
    /// Centre `(p̂ + z²/2n) / (1 + z²/n)`, half-width `z √(p̂(1-p̂)/n + z²/4n²) / (1 + z²/n)`, identical to
    /// statsmodels `proportion_confint(method="wilson")`. It stays inside `[0, 1]` and behaves well at
    /// `p̂ = 0` and `p̂ = 1`, unlike the Wald interval.
    /// - Parameter successes: The number of successes, clamped into `0...trials`.
    /// - Parameter trials: The number of trials; `trials <= 0` returns `(0, 1)`.
    /// - Parameter level: The two-sided coverage, default 0.95.
    /// - Returns: The interval, always within `[0, 1]`.
    public static func wilson(successes: Int, trials: Int, level: Double = 0.95) -> ConfidenceInterval {
        guard trials > 0 else { return ConfidenceInterval(lower: 0, upper: 1, level: level) }
        let z = criticalValue(level)
        guard z.isFinite else { return ConfidenceInterval(lower: 0, upper: 1, level: level) }
        let n = Double(trials)
        let x = Double(min(max(successes, 0), trials))
        let p = x / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        // At x = 0 (x = n) the bound is exactly 0 (1); rounding would otherwise leave about 1e-17.
        let lower = x == 0 ? 0 : max(0, centre - half)
        let upper = x == n ? 1 : min(1, centre + half)
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }

    /// The Clopper-Pearson "exact" interval, from beta quantiles.
    ///
    /// Lower bound `B⁻¹(α/2; x, n-x+1)` (0 when `x == 0`), upper bound `B⁻¹(1-α/2; x+1, n-x)` (1 when
    /// `x == n`), identical to statsmodels `proportion_confint(method="beta")`. Its coverage is at least the
    /// nominal level, so it is conservative.
    /// - Parameter successes: The number of successes, clamped into `0...trials`.
    /// - Parameter trials: The number of trials; `trials <= 0` returns `(0, 1)`.
    /// - Parameter level: The two-sided coverage, default 0.95.
    /// - Returns: The interval, always within `[0, 1]`.
    public static func clopperPearson(successes: Int, trials: Int, level: Double = 0.95) -> ConfidenceInterval {
        guard trials > 0, level > 0, level < 1 else {
            if trials > 0, level <= 0 {
                let p = Double(min(max(successes, 0), trials)) / Double(trials)
                return ConfidenceInterval(lower: p, upper: p, level: level)
            }
            return ConfidenceInterval(lower: 0, upper: 1, level: level)
        }
        let x = min(max(successes, 0), trials)
        let halfAlpha = (1 - level) / 2
        let lower = x == 0
            ? 0
            : Beta.uncheckedQuantile(halfAlpha, a: Double(x), b: Double(trials - x + 1))
        let upper = x == trials
            ? 1
            : Beta.uncheckedQuantile(halfAlpha, a: Double(x + 1), b: Double(trials - x), upperTail: true)
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }

    /// The Agresti-Caffo interval for the difference of two independent proportions, `p1 - p2`.
    ///
    /// Adds one success and one failure to each group, then applies the Wald interval:
    /// `p̃ᵢ = (xᵢ + 1)/(nᵢ + 2)`, `p̃₁ - p̃₂ ± z √(p̃₁(1-p̃₁)/(n₁+2) + p̃₂(1-p̃₂)/(n₂+2))`. Identical to statsmodels
    /// `confint_proportions_2indep(method="agresti-caffo")` except that the bounds are clipped to `[-1, 1]`.
    /// Empty groups are allowed (their adjusted estimate is 1/2).
    /// - Parameter successes1: Successes in the first group, clamped into `0...trials1`.
    /// - Parameter trials1: Trials in the first group; negative values count as 0.
    /// - Parameter successes2: Successes in the second group, clamped into `0...trials2`.
    /// - Parameter trials2: Trials in the second group; negative values count as 0.
    /// - Parameter level: The two-sided coverage, default 0.95.
    /// - Returns: The interval for `p1 - p2`, within `[-1, 1]`.
    public static func agrestiCaffo(
        successes1: Int,
        trials1: Int,
        successes2: Int,
        trials2: Int,
        level: Double = 0.95
    ) -> ConfidenceInterval {
        let z = criticalValue(level)
        guard z.isFinite else { return ConfidenceInterval(lower: -1, upper: 1, level: level) }
        let n1 = max(trials1, 0)
        let n2 = max(trials2, 0)
        let x1 = min(max(successes1, 0), n1)
        let x2 = min(max(successes2, 0), n2)
        let p1 = Double(x1 + 1) / Double(n1 + 2)
        let p2 = Double(x2 + 1) / Double(n2 + 2)
        let difference = p1 - p2
        let standardError = (p1 * (1 - p1) / Double(n1 + 2) + p2 * (1 - p2) / Double(n2 + 2)).squareRoot()
        return ConfidenceInterval(
            lower: max(-1, difference - z * standardError),
            upper: min(1, difference + z * standardError),
            level: level
        )
    }

    /// The two-sided critical value `z_{1-α/2}` for a coverage level; infinity for `level >= 1` or NaN,
    /// 0 for `level <= 0`.
    static func criticalValue(_ level: Double) -> Double {
        if level.isNaN || level >= 1 { return .infinity }
        if level <= 0 { return 0 }
        return -Normal.standardQuantile((1 - level) / 2)
    }
}
