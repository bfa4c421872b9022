import Foundation

/// The binomial distribution: the number of successes in `trials` independent trials with success
/// probability `probability`.
///
/// The CDF uses the identity `P(X <= k) = I_{1-p}(n - k, k + 1)` with the accurate incomplete beta function;
/// the PMF uses the same log-space prefactor, so neither loses accuracy for large `n` or in the tails.
///
/// Every function returns `nil` when `trials < 0` or `probability` is NaN or outside `[0, 1]`.
public enum Binomial {
    /// The probability mass function `P(X == k)`.
    /// - Parameter k: The number of successes; 0 outside `0...trials`.
    /// - Parameter trials: n, at least 0.
    /// - Parameter probability: p, in `[0, 1]`.
    /// - Returns: The probability, or `nil` for invalid arguments.
    public static func pmf(_ k: Int, trials: Int, probability: Double) -> Double? {
        guard valid(trials, probability) else { return nil }
        return uncheckedPMF(k, trials, probability)
    }

    /// The cumulative distribution function `P(X <= k)`.
    /// - Parameter k: The number of successes; below 0 gives 0, at or above `trials` gives 1.
    /// - Parameter trials: n, at least 0.
    /// - Parameter probability: p, in `[0, 1]`.
    /// - Returns: The probability, or `nil` for invalid arguments.
    public static func cdf(_ k: Int, trials: Int, probability: Double) -> Double? {
        guard valid(trials, probability) else { return nil }
        return tails(k, trials, probability).lower
    }

    /// The survival function `P(X > k)`, computed directly for accuracy in the upper tail.
    /// - Parameter k: The number of successes.
    /// - Parameter trials: n, at least 0.
    /// - Parameter probability: p, in `[0, 1]`.
    /// - Returns: The probability, or `nil` for invalid arguments.
    public static func survival(_ k: Int, trials: Int, probability: Double) -> Double? {
        guard valid(trials, probability) else { return nil }
        return tails(k, trials, probability).upper
    }

    /// The quantile function: the smallest `k` with `P(X <= k) >= p` (SciPy `binom.ppf` convention, except
    /// that `p == 0` returns 0, the bottom of the support, where SciPy returns -1).
    /// - Parameter p: A probability in `[0, 1]`.
    /// - Parameter trials: n, at least 0.
    /// - Parameter probability: The success probability, in `[0, 1]`.
    /// - Returns: The quantile in `0...trials`, or `nil` when `p` is outside `[0, 1]` or an argument is invalid.
    public static func quantile(_ p: Double, trials: Int, probability: Double) -> Int? {
        guard valid(trials, probability), p >= 0, p <= 1 else { return nil }
        if p == 0 || trials == 0 { return 0 }
        if p == 1 { return trials }
        let n = Double(trials)
        let mean = n * probability
        let sd = (mean * (1 - probability)).squareRoot()
        let z = Normal.standardQuantile(p)
        var k = Int(max(0, min(n, (mean + z * sd).rounded(.down))))
        // Step to the smallest k with F(k) >= p. A relative tolerance of 1e-14 absorbs rounding in F,
        // as SciPy does.
        let tolerance = 1e-14
        func reaches(_ k: Int) -> Bool { tails(k, trials, probability).lower >= p * (1 - tolerance) }
        while k < trials && !reaches(k) { k += 1 }
        while k > 0 && reaches(k - 1) { k -= 1 }
        return k
    }

    static func valid(_ trials: Int, _ probability: Double) -> Bool {
        trials >= 0 && probability >= 0 && probability <= 1
    }

    static func uncheckedPMF(_ k: Int, _ n: Int, _ p: Double) -> Double {
        if k < 0 || k > n { return 0 }
        if p == 0 { return k == 0 ? 1 : 0 }
        if p == 1 { return k == n ? 1 : 0 }
        // 1 / B(k + 1, n - k + 1) = (n + 1) C(n, k)
        let logTerms = Special.logPowerTerms(a: Double(k + 1), b: Double(n - k + 1), x: p, y: 1 - p)
        return exp(logTerms) / (p * (1 - p) * Double(n + 1))
    }

    /// `(P(X <= k), P(X > k))` with the smaller one computed directly.
    static func tails(_ k: Int, _ n: Int, _ p: Double) -> (lower: Double, upper: Double) {
        if k < 0 { return (0, 1) }
        if k >= n { return (1, 0) }
        // P(X <= k) = I_{1-p}(n - k, k + 1)
        let beta = Special.incompleteBeta(a: Double(n - k), b: Double(k + 1), x: 1 - p, y: p)
        return (beta.lower, beta.upper)
    }
}
