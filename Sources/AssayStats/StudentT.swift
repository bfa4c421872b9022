import Foundation

/// Student's t distribution with `degreesOfFreedom` (ν) degrees of freedom.
///
/// The CDF is expressed through the regularized incomplete beta function,
/// `P(T > t) = I_{ν/(ν+t²)}(ν/2, 1/2) / 2` for `t >= 0`, computed so that both tails and the centre keep full
/// relative accuracy. The quantile is a bracketed Newton iteration on the log of the tail (or of the central
/// mass near the median). Non-integer degrees of freedom are allowed; `ν = +infinity` is the standard normal.
///
/// Every function returns `nil` when an argument is NaN or `degreesOfFreedom` is not positive.
public enum StudentT {
    /// The probability density function.
    /// - Parameter t: The point at which to evaluate.
    /// - Parameter degreesOfFreedom: ν, positive (may be `.infinity`).
    /// - Returns: The density (0 at infinite `t`), or `nil` for invalid arguments.
    public static func pdf(_ t: Double, degreesOfFreedom: Double) -> Double? {
        guard valid(degreesOfFreedom), !t.isNaN else { return nil }
        if degreesOfFreedom.isInfinite { return Normal.standardDensity(t) }
        return density(abs(t), degreesOfFreedom)
    }

    /// The cumulative distribution function `P(T <= t)`.
    /// - Parameter t: The point at which to evaluate.
    /// - Parameter degreesOfFreedom: ν, positive (may be `.infinity`).
    /// - Returns: The probability, or `nil` for invalid arguments.
    public static func cdf(_ t: Double, degreesOfFreedom: Double) -> Double? {
        guard valid(degreesOfFreedom), !t.isNaN else { return nil }
        return uncheckedCDF(t, degreesOfFreedom)
    }

    /// The survival function `P(T > t)`, computed directly for accuracy in the upper tail.
    /// - Parameter t: The point at which to evaluate.
    /// - Parameter degreesOfFreedom: ν, positive (may be `.infinity`).
    /// - Returns: The probability, or `nil` for invalid arguments.
    public static func survival(_ t: Double, degreesOfFreedom: Double) -> Double? {
        guard valid(degreesOfFreedom), !t.isNaN else { return nil }
        return uncheckedCDF(-t, degreesOfFreedom)
    }

    /// The quantile function (inverse CDF).
    /// - Parameter p: A probability in `[0, 1]`; 0 gives `-infinity`, 1 gives `+infinity`, 0.5 gives 0.
    /// - Parameter degreesOfFreedom: ν, positive (may be `.infinity`).
    /// - Returns: The `t` with `cdf(t) == p`, or `nil` when `p` is outside `[0, 1]` or an argument is invalid.
    public static func quantile(_ p: Double, degreesOfFreedom: Double) -> Double? {
        guard valid(degreesOfFreedom), p >= 0, p <= 1 else { return nil }
        return uncheckedQuantile(p, degreesOfFreedom)
    }

    static func valid(_ degreesOfFreedom: Double) -> Bool {
        !degreesOfFreedom.isNaN && degreesOfFreedom > 0
    }

    static func uncheckedCDF(_ t: Double, _ nu: Double) -> Double {
        if nu.isInfinite { return Normal.standardCDF(t) }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let parts = tails(abs(t), nu)
        return t < 0 ? parts.upperTail : 0.5 + parts.central
    }

    /// For `t >= 0`: `P(T > t)` and `P(0 < T <= t)`, each with full relative accuracy.
    static func tails(_ t: Double, _ nu: Double) -> (upperTail: Double, central: Double) {
        if t == 0 { return (0.5, 0) }
        if t > 1e100 {
            let upper = exp(logUpperTail(t, nu))
            return (upper, 0.5 - upper)
        }
        // x = ν / (ν + t²), y = t² / (ν + t²), formed without overflow or cancellation.
        let x: Double
        let y: Double
        if t * t > nu || !(t * t).isFinite {
            let r = (nu / t) / t
            x = r / (1 + r)
            y = 1 / (1 + r)
        } else {
            let s = (t / nu) * t
            x = 1 / (1 + s)
            y = s / (1 + s)
        }
        let beta = Special.incompleteBeta(a: nu / 2, b: 0.5, x: x, y: y)
        return (0.5 * beta.lower, 0.5 * beta.upper)
    }

    /// `log P(T > t)` for `t > 0`. Beyond `t = 1e100`, where `ν / (ν + t²)` underflows, the leading term of
    /// `I_x(ν/2, 1/2) = x^{ν/2} / ((ν/2) B(ν/2, 1/2)) (1 + O(x))` is used; its relative error is below 1e-150.
    static func logUpperTail(_ t: Double, _ nu: Double) -> Double {
        guard t > 1e100 else { return log(tails(t, nu).upperTail) }
        let a = nu / 2
        let logBeta = Special.logGamma(a) + Special.logGamma(0.5) - Special.logGamma(a + 0.5)
        return log(0.5) + a * log(nu) - nu * log(t) - log(a) - logBeta
    }

    /// The density for `t >= 0`.
    static func density(_ t: Double, _ nu: Double) -> Double {
        exp(logDensity(t, nu))
    }

    /// The log density for `t >= 0`.
    static func logDensity(_ t: Double, _ nu: Double) -> Double {
        if t.isInfinite { return -.infinity }
        let a = nu / 2
        // log Γ(a + 1/2) - log Γ(a), with Stirling's series for large a.
        let logRatio: Double
        if a >= 10 {
            logRatio = a * log1p(0.5 / a) + 0.5 * log(a) - 0.5
                + Special.stirlingCorrection(a + 0.5) - Special.stirlingCorrection(a)
        } else {
            logRatio = Special.logGamma(a + 0.5) - Special.logGamma(a)
        }
        let logKernel: Double
        if t * t > nu {
            logKernel = 2 * log(t) - log(nu) + log1p((nu / t) / t)
        } else {
            logKernel = log1p((t / nu) * t)
        }
        return logRatio - 0.5 * log(nu * Double.pi) - (nu + 1) / 2 * logKernel
    }

    static func uncheckedQuantile(_ p: Double, _ nu: Double) -> Double {
        if nu.isInfinite { return Normal.standardQuantile(p) }
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p == 0.5 { return 0 }
        // The tail probability beyond |t|; exact for p >= 0.5 by Sterbenz's lemma.
        let tail = p < 0.5 ? p : 1 - p
        let magnitude = positiveQuantile(tail: tail, nu)
        return p < 0.5 ? -magnitude : magnitude
    }

    /// The `t > 0` with `P(T > t) == tail`, for `tail` in `(0, 0.5)`.
    static func positiveQuantile(tail: Double, _ nu: Double) -> Double {
        if nu == 1 {
            // Cauchy: closed form, accurate in both regimes.
            return 1 / tan(Double.pi * tail)
        }
        let z = -Normal.standardQuantile(tail)
        let z3 = z * z * z
        let guess = max(1e-300, z + (z3 + z) / (4 * nu) + (5 * z3 * z * z + 16 * z3 + 3 * z) / (96 * nu * nu))
        if tail > 0.25 {
            // Near the median solve for the central mass 0.5 - tail (exact), which has no cancellation.
            let central = 0.5 - tail
            return Special.invertMonotone(
                logTarget: log(central), guess: guess, lower: 0, upper: .infinity,
                increasing: true, logScale: true
            ) { t in
                let mass = tails(t, nu).central
                return (log(mass), density(t, nu) / mass)
            }
        }
        return Special.invertMonotone(
            logTarget: log(tail), guess: guess, lower: 0, upper: .infinity,
            increasing: false, logScale: true
        ) { t in
            let logUpper = logUpperTail(t, nu)
            return (logUpper, -exp(logDensity(t, nu) - logUpper))
        }
    }
}
