import Foundation

/// The normal (Gaussian) distribution.
///
/// The CDF uses `erfc`, so both tails keep full relative accuracy down to about 1e-300. The quantile starts from
/// Acklam's rational approximation and takes one Halley step against the accurate CDF, which brings it to
/// double precision (about 1e-15 relative) for `p` in `[1e-300, 1 - 1e-16]`.
///
/// Every function returns `nil` when an argument is NaN or `standardDeviation` is not a positive finite number.
public enum Normal {
    /// The probability density function.
    /// - Parameter x: The point at which to evaluate the density.
    /// - Parameter mean: The mean, default 0.
    /// - Parameter standardDeviation: The standard deviation, default 1; must be positive and finite.
    /// - Returns: The density (0 for infinite `x`), or `nil` for invalid arguments.
    public static func pdf(_ x: Double, mean: Double = 0, standardDeviation: Double = 1) -> Double? {
        guard let z = standardize(x, mean, standardDeviation) else { return nil }
        return standardDensity(z) / standardDeviation
    }

    /// The cumulative distribution function `P(X <= x)`.
    /// - Parameter x: The point at which to evaluate; `-infinity` gives 0, `+infinity` gives 1.
    /// - Parameter mean: The mean, default 0.
    /// - Parameter standardDeviation: The standard deviation, default 1; must be positive and finite.
    /// - Returns: The probability, or `nil` for invalid arguments.
    public static func cdf(_ x: Double, mean: Double = 0, standardDeviation: Double = 1) -> Double? {
        guard let z = standardize(x, mean, standardDeviation) else { return nil }
        return standardCDF(z)
    }

    /// The survival function `P(X > x) = 1 - cdf(x)`, computed directly so that upper-tail probabilities keep
    /// full relative accuracy.
    /// - Parameter x: The point at which to evaluate.
    /// - Parameter mean: The mean, default 0.
    /// - Parameter standardDeviation: The standard deviation, default 1; must be positive and finite.
    /// - Returns: The probability, or `nil` for invalid arguments.
    public static func survival(_ x: Double, mean: Double = 0, standardDeviation: Double = 1) -> Double? {
        guard let z = standardize(x, mean, standardDeviation) else { return nil }
        return standardCDF(-z)
    }

    /// The quantile function (inverse CDF).
    /// - Parameter p: A probability in `[0, 1]`; 0 gives `-infinity` and 1 gives `+infinity`.
    /// - Parameter mean: The mean, default 0.
    /// - Parameter standardDeviation: The standard deviation, default 1; must be positive and finite.
    /// - Returns: The `x` with `cdf(x) == p`, or `nil` when `p` is outside `[0, 1]` or an argument is invalid.
    public static func quantile(_ p: Double, mean: Double = 0, standardDeviation: Double = 1) -> Double? {
        guard p >= 0, p <= 1, mean.isFinite, standardDeviation.isFinite, standardDeviation > 0 else { return nil }
        return mean + standardDeviation * standardQuantile(p)
    }

    // MARK: - Internal, unchecked standard-normal versions used by the other families.

    static func standardize(_ x: Double, _ mean: Double, _ standardDeviation: Double) -> Double? {
        guard !x.isNaN, mean.isFinite, standardDeviation.isFinite, standardDeviation > 0 else { return nil }
        if x.isInfinite { return x }
        return (x - mean) / standardDeviation
    }

    static func standardDensity(_ z: Double) -> Double {
        if z.isInfinite { return 0 }
        return exp(-0.5 * z * z) / Special.sqrtTwoPi
    }

    static func standardCDF(_ z: Double) -> Double {
        if z == -.infinity { return 0 }
        if z == .infinity { return 1 }
        return 0.5 * erfc(-z * 0.707_106_781_186_547_524_400_844_362_104_849)
    }

    /// `Φ(z) - 1/2` without cancellation near the centre.
    static func centralMass(_ z: Double) -> Double {
        0.5 * erf(z * 0.707_106_781_186_547_524_400_844_362_104_849)
    }

    /// The standard normal quantile; `p` must be in `[0, 1]`.
    static func standardQuantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p > 0.5 {
            // 1 - p is exact for p >= 0.5.
            return -lowerQuantile(1 - p)
        }
        return lowerQuantile(p)
    }

    /// Quantile for `p` in `(0, 0.5]`.
    private static func lowerQuantile(_ p: Double) -> Double {
        var x = acklam(p)
        // One Halley step against the accurate CDF.
        let density = standardDensity(x)
        guard density >= 1e-305 else { return x }
        let u: Double
        if p > 0.25 {
            u = (centralMass(x) - (p - 0.5)) / density // p - 0.5 is exact here
        } else {
            // (Φ(x) - p) / φ(x), arranged so that nothing is subnormal when p is tiny.
            u = (standardCDF(x) / p - 1) * (p / density)
        }
        x -= u / (1 + x * u / 2)
        return x
    }

    /// Acklam's rational approximation to the normal quantile (relative error below 1.2e-9).
    private static func acklam(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        let pLow = 0.02425
        if p < pLow {
            let q = (-2 * log(p)).squareRoot()
            let numerator = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
            let denominator = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
            return numerator / denominator
        }
        let q = p - 0.5
        let r = q * q
        let numerator = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        let denominator = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
        return numerator / denominator
    }
}
