import Foundation

/// The beta distribution with shape parameters `a` and `b`, and the regularized incomplete beta function
/// `I_x(a, b)`, which is its CDF.
///
/// `I_x(a, b)` is evaluated with the Numerical Recipes continued fraction under the modified Lentz method,
/// choosing the tail in which the fraction converges and computing the smaller tail directly; the prefactor
/// `x^a (1-x)^b / B(a, b)` is formed in log space with Stirling's series for large shapes. The quantile is a
/// bracketed Newton iteration on the log of the tail, so it reaches full double precision in both tails.
///
/// Every function returns `nil` when an argument is NaN or a shape is not a positive finite number.
public enum Beta {
    /// The probability density function.
    /// - Parameter x: The point at which to evaluate the density; 0 outside `[0, 1]`.
    /// - Parameter a: The first shape parameter, positive and finite.
    /// - Parameter b: The second shape parameter, positive and finite.
    /// - Returns: The density, or `nil` for invalid arguments. At `x == 0` (or 1) the density is the
    ///   limiting value: `+infinity` when the corresponding shape is below 1, `b` (or `a`) when it equals 1,
    ///   and 0 when it is above 1.
    public static func pdf(_ x: Double, a: Double, b: Double) -> Double? {
        guard valid(a, b), !x.isNaN else { return nil }
        if x < 0 || x > 1 { return 0 }
        if x == 0 { return a < 1 ? .infinity : (a == 1 ? b : 0) }
        if x == 1 { return b < 1 ? .infinity : (b == 1 ? a : 0) }
        return Special.betaDensity(a: a, b: b, x: x, y: 1 - x)
    }

    /// The cumulative distribution function, the regularized incomplete beta function `I_x(a, b)`.
    /// - Parameter x: The point at which to evaluate; values below 0 give 0 and above 1 give 1.
    /// - Parameter a: The first shape parameter, positive and finite.
    /// - Parameter b: The second shape parameter, positive and finite.
    /// - Returns: The probability, or `nil` for invalid arguments.
    public static func cdf(_ x: Double, a: Double, b: Double) -> Double? {
        guard valid(a, b), !x.isNaN else { return nil }
        return Special.incompleteBeta(a: a, b: b, x: x, y: 1 - x).lower
    }

    /// The survival function `1 - I_x(a, b)`, computed directly for accuracy in the upper tail.
    /// - Parameter x: The point at which to evaluate.
    /// - Parameter a: The first shape parameter, positive and finite.
    /// - Parameter b: The second shape parameter, positive and finite.
    /// - Returns: The probability, or `nil` for invalid arguments.
    public static func survival(_ x: Double, a: Double, b: Double) -> Double? {
        guard valid(a, b), !x.isNaN else { return nil }
        return Special.incompleteBeta(a: a, b: b, x: x, y: 1 - x).upper
    }

    /// The quantile function (inverse of the regularized incomplete beta function).
    /// - Parameter p: A probability in `[0, 1]`; 0 gives 0 and 1 gives 1.
    /// - Parameter a: The first shape parameter, positive and finite.
    /// - Parameter b: The second shape parameter, positive and finite.
    /// - Returns: The `x` in `[0, 1]` with `I_x(a, b) == p`, or `nil` when `p` is outside `[0, 1]` or an
    ///   argument is invalid.
    public static func quantile(_ p: Double, a: Double, b: Double) -> Double? {
        guard valid(a, b), p >= 0, p <= 1 else { return nil }
        return uncheckedQuantile(p, a: a, b: b)
    }

    /// The inverse survival function: the `x` with `1 - I_x(a, b) == q`.
    ///
    /// Equivalent to `quantile(1 - q, a:b:)`, but without rounding `1 - q`, so tiny upper-tail
    /// probabilities keep their accuracy.
    /// - Parameter q: An upper-tail probability in `[0, 1]`; 0 gives 1 and 1 gives 0.
    /// - Parameter a: The first shape parameter, positive and finite.
    /// - Parameter b: The second shape parameter, positive and finite.
    /// - Returns: The quantile, or `nil` when `q` is outside `[0, 1]` or an argument is invalid.
    public static func inverseSurvival(_ q: Double, a: Double, b: Double) -> Double? {
        guard valid(a, b), q >= 0, q <= 1 else { return nil }
        return uncheckedQuantile(q, a: a, b: b, upperTail: true)
    }

    static func valid(_ a: Double, _ b: Double) -> Bool {
        a.isFinite && b.isFinite && a > 0 && b > 0
    }

    /// The quantile for valid shapes and a probability in `[0, 1]`; `upperTail` says that `probability`
    /// is `1 - p` rather than `p`.
    static func uncheckedQuantile(_ probability: Double, a: Double, b: Double, upperTail: Bool = false) -> Double {
        // The extremes, judged on the probability as given (1 - 1e-100 rounds to 1).
        if probability <= 0 { return upperTail ? 1 : 0 }
        if probability >= 1 { return upperTail ? 0 : 1 }
        // Work in the tail whose probability is at most 1/2; 1 - probability is exact there.
        let p = upperTail ? 1 - probability : probability
        let q = upperTail ? probability : 1 - probability
        let useLowerTail = upperTail ? q >= 0.5 : p <= 0.5
        let target = useLowerTail ? p : q
        return Special.invertMonotone(
            logTarget: log(target),
            guess: initialGuess(p, q, a: a, b: b),
            lower: 0,
            upper: 1,
            increasing: useLowerTail,
            logScale: useLowerTail
        ) { x in
            let y = 1 - x
            let tails = Special.incompleteBeta(a: a, b: b, x: x, y: y)
            let density = Special.betaDensity(a: a, b: b, x: x, y: y)
            if useLowerTail {
                return (log(tails.lower), density / tails.lower)
            }
            return (log(tails.upper), -density / tails.upper)
        }
    }

    /// The starting point of Numerical Recipes `invbetai` (Abramowitz and Stegun 26.5.22 for large shapes).
    private static func initialGuess(_ p: Double, _ q: Double, a: Double, b: Double) -> Double {
        if a >= 1 && b >= 1 {
            let pp = p < 0.5 ? p : q
            let t = (-2 * log(pp)).squareRoot()
            var x = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t
            if p < 0.5 { x = -x }
            let al = (x * x - 3) / 6
            let h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
            let w = (x * (al + h).squareRoot() / h) - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5.0 / 6 - 2 / (3 * h))
            return a / (a + b * exp(2 * w))
        }
        let lna = log(a / (a + b))
        let lnb = log(b / (a + b))
        let t = exp(a * lna) / a
        let u = exp(b * lnb) / b
        let w = t + u
        if p < t / w {
            return pow(a * w * p, 1 / a)
        }
        return 1 - pow(b * w * q, 1 / b)
    }
}
