import Foundation

/// The chi-square distribution with `degreesOfFreedom` (k) degrees of freedom.
///
/// The CDF is the regularized lower incomplete gamma function `P(k/2, x/2)`, evaluated by its series below
/// `k/2 + 1` and by a Lentz continued fraction for the upper tail above, with the prefactor expanded by
/// Stirling's series for large `k`. The quantile starts from the Wilson-Hilferty approximation and runs a
/// bracketed Newton iteration on `log x` against the log of the relevant tail. Non-integer `k` is allowed.
///
/// Every function returns `nil` when an argument is NaN or `degreesOfFreedom` is not a positive finite number.
public enum ChiSquare {
    /// The probability density function.
    /// - Parameter x: The point at which to evaluate; 0 for negative `x`.
    /// - Parameter degreesOfFreedom: k, positive and finite.
    /// - Returns: The density, or `nil` for invalid arguments. At `x == 0` the limit is returned: `+infinity`
    ///   for k < 2, 1/2 for k == 2 and 0 for k > 2.
    public static func pdf(_ x: Double, degreesOfFreedom: Double) -> Double? {
        guard valid(degreesOfFreedom), !x.isNaN else { return nil }
        if x < 0 || x.isInfinite { return 0 }
        if x == 0 {
            return degreesOfFreedom < 2 ? .infinity : (degreesOfFreedom == 2 ? 0.5 : 0)
        }
        return density(x, degreesOfFreedom)
    }

    /// The cumulative distribution function `P(X <= x)`.
    /// - Parameter x: The point at which to evaluate; values at or below 0 give 0.
    /// - Parameter degreesOfFreedom: k, positive and finite.
    /// - Returns: The probability, or `nil` for invalid arguments.
    public static func cdf(_ x: Double, degreesOfFreedom: Double) -> Double? {
        guard valid(degreesOfFreedom), !x.isNaN else { return nil }
        return Special.incompleteGamma(a: degreesOfFreedom / 2, x: x / 2).lower
    }

    /// The survival function `P(X > x)`, computed directly; this is the p-value of a chi-square statistic.
    /// - Parameter x: The point at which to evaluate.
    /// - Parameter degreesOfFreedom: k, positive and finite.
    /// - Returns: The probability, or `nil` for invalid arguments.
    public static func survival(_ x: Double, degreesOfFreedom: Double) -> Double? {
        guard valid(degreesOfFreedom), !x.isNaN else { return nil }
        return Special.incompleteGamma(a: degreesOfFreedom / 2, x: x / 2).upper
    }

    /// The quantile function (inverse CDF).
    /// - Parameter p: A probability in `[0, 1]`; 0 gives 0 and 1 gives `+infinity`.
    /// - Parameter degreesOfFreedom: k, positive and finite.
    /// - Returns: The `x` with `cdf(x) == p`, or `nil` when `p` is outside `[0, 1]` or an argument is invalid.
    public static func quantile(_ p: Double, degreesOfFreedom: Double) -> Double? {
        guard valid(degreesOfFreedom), p >= 0, p <= 1 else { return nil }
        return uncheckedQuantile(p, upperTail: false, degreesOfFreedom)
    }

    /// The inverse survival function: the `x` with `P(X > x) == q`, without rounding `1 - q`
    /// (the critical value of a chi-square test at level `q`).
    /// - Parameter q: An upper-tail probability in `[0, 1]`; 0 gives `+infinity` and 1 gives 0.
    /// - Parameter degreesOfFreedom: k, positive and finite.
    /// - Returns: The quantile, or `nil` when `q` is outside `[0, 1]` or an argument is invalid.
    public static func inverseSurvival(_ q: Double, degreesOfFreedom: Double) -> Double? {
        guard valid(degreesOfFreedom), q >= 0, q <= 1 else { return nil }
        return uncheckedQuantile(q, upperTail: true, degreesOfFreedom)
    }

    static func valid(_ degreesOfFreedom: Double) -> Bool {
        degreesOfFreedom.isFinite && degreesOfFreedom > 0
    }

    static func density(_ x: Double, _ k: Double) -> Double {
        exp(Special.logGammaPowerTerms(a: k / 2, x: x / 2)) / x
    }

    static func uncheckedQuantile(_ probability: Double, upperTail: Bool, _ k: Double) -> Double {
        // The extremes, judged on the probability as given (1 - 1e-100 rounds to 1).
        if probability <= 0 { return upperTail ? .infinity : 0 }
        if probability >= 1 { return upperTail ? 0 : .infinity }
        // Work in the tail whose probability is at most 1/2; 1 - probability is exact there.
        let p = upperTail ? 1 - probability : probability
        let q = upperTail ? probability : 1 - probability
        let useLowerTail = upperTail ? q >= 0.5 : p <= 0.5
        let a = k / 2
        // Wilson-Hilferty; for small p the leading term of the series, P(a, x/2) ≈ (x/2)^a / Γ(a + 1).
        let z = useLowerTail ? Normal.standardQuantile(p) : -Normal.standardQuantile(q)
        let c = 2 / (9 * k)
        let wilsonHilferty = k * pow(1 - c + z * c.squareRoot(), 3)
        let smallGuess = 2 * exp((log(p) + Special.logGamma(a + 1)) / a)
        var guess = wilsonHilferty
        if !(guess > 0) || (useLowerTail && smallGuess < guess) {
            guess = smallGuess
        }
        if !(guess > 0) || !guess.isFinite { guess = k }
        return Special.invertMonotone(
            logTarget: log(useLowerTail ? p : q), guess: guess, lower: 0, upper: .infinity,
            increasing: useLowerTail, logScale: true
        ) { x in
            let tails = Special.incompleteGamma(a: a, x: x / 2)
            let f = density(x, k)
            return useLowerTail ? (log(tails.lower), f / tails.lower) : (log(tails.upper), -f / tails.upper)
        }
    }
}
