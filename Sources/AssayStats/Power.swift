import Foundation

/// Power, sample size and minimum detectable effect for planning evaluations.
///
/// **Two independent proportions** and **one proportion against a fixed `p0`** use the normal approximation
/// on Cohen's arcsine effect size `h = 2 asin(√p₁) - 2 asin(√p₂)`, exactly as statsmodels `NormalIndPower`
/// (with `ratio=1` for two groups, `ratio=0` for one sample) and `proportion_effectsize`:
/// `power = Φ(|h|√n' - z) + Φ(-|h|√n' - z)` for a two-sided test (`z = z_{1-α/2}`; the second term, the
/// far tail, is included as statsmodels does) and `Φ(|h|√n' - z_{1-α})` for a one-sided test in the direction
/// of the effect, where `n' = n/2` for two groups of `n` and `n' = n` for one sample. The arcsine transform
/// stabilises the variance, so no pooled-variance choice is needed.
///
/// **Paired proportions** (the McNemar test on pass/fail of two systems on the same cases) are described by
/// the probabilities that only the first system passes (`p₁₀`) and that only the second passes (`p₀₁`),
/// with discordance `ψ = p₁₀ + p₀₁` and effect `δ = p₁₀ - p₀₁`. Two methods:
/// - ``PairedMethod/exact`` (default): the exact power of the exact conditional McNemar test that Assay runs
///   (``McNemar/exact(b:c:)``): `Σₘ P(M = m) P(reject | m)` with `M ~ Binomial(n, ψ)` discordant pairs and,
///   given `m`, the rejection region of the exact binomial test. Exact power is a saw-tooth function of `n`;
///   the sample size returned is the point found by bisection where the power at `n` reaches the target and
///   the power at `n - 1` does not.
/// - ``PairedMethod/connor``: Connor's (1987) normal approximation
///   `n = (z √ψ + z_β √(ψ - δ²))² / δ²`, for the asymptotic test without continuity correction. It is
///   optimistic for the exact test at small discordant counts.
///
/// Minimum detectable effects invert the power function numerically (bisection).
///
/// All functions return `nil` for invalid input: `alpha` outside (0, 1), a target power outside
/// `(alpha, 1)`, probabilities outside `[0, 1]` (or `p₁₀ + p₀₁ > 1`), negative `n`; and, for sample sizes,
/// when the effect is zero (no finite `n` suffices) or more than 10,000,000 would be needed; for minimum
/// detectable effects, when even the largest possible effect is not detectable at `n`.
public enum Power {
    /// The method for paired proportions (McNemar).
    public enum PairedMethod: String, Sendable, Hashable, Codable, CaseIterable {
        /// Exact power of the exact conditional McNemar test.
        case exact
        /// Connor's (1987) normal approximation.
        case connor
    }

    /// The direction of a change from a baseline proportion.
    public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
        /// The proportion falls (a regression, for pass rates).
        case decrease
        /// The proportion rises.
        case increase
    }

    static let maximumSampleSize = 10_000_000

    // MARK: - Two independent proportions

    /// The power of a two-sample test of proportions with `samplesPerGroup` in each group.
    /// - Parameter p1: The first group's true proportion.
    /// - Parameter p2: The second group's true proportion.
    /// - Parameter samplesPerGroup: The number of observations in each group, at least 0.
    /// - Parameter alpha: The significance level, default 0.05.
    /// - Parameter sidedness: Two-sided (default) or one-sided in the direction of the effect.
    /// - Returns: The power in `[0, 1]` (equal to `alpha` when `p1 == p2`, two-sided), or `nil` for invalid input.
    public static func twoProportions(
        p1: Double, p2: Double, samplesPerGroup: Int, alpha: Double = 0.05, sidedness: Sidedness = .twoSided
    ) -> Double? {
        guard isProbability(p1), isProbability(p2), samplesPerGroup >= 0, isLevel(alpha) else { return nil }
        return normalPower(abs(cohenH(p1, p2)) * (Double(samplesPerGroup) / 2).squareRoot(), alpha, sidedness)
    }

    /// The number of observations per group needed to reach `power` in a two-sample test of proportions.
    /// - Parameter p1: The first group's true proportion.
    /// - Parameter p2: The second group's true proportion.
    /// - Parameter alpha: The significance level, default 0.05.
    /// - Parameter power: The target power, default 0.8.
    /// - Parameter sidedness: Two-sided (default) or one-sided.
    /// - Returns: The smallest integer `n` per group, or `nil` for invalid input or `p1 == p2`.
    public static func twoProportionsSampleSize(
        p1: Double, p2: Double, alpha: Double = 0.05, power: Double = 0.8, sidedness: Sidedness = .twoSided
    ) -> Int? {
        guard let n = twoProportionsContinuousSampleSize(p1: p1, p2: p2, alpha: alpha, power: power, sidedness: sidedness)
        else { return nil }
        return ceilingCount(n)
    }

    /// The smallest change from `baseline` that a two-sample test with `samplesPerGroup` per group detects with
    /// the given power.
    /// - Parameter baseline: The first group's proportion.
    /// - Parameter samplesPerGroup: The number of observations in each group, at least 1.
    /// - Parameter alpha: The significance level, default 0.05.
    /// - Parameter power: The target power, default 0.8.
    /// - Parameter sidedness: Two-sided (default) or one-sided.
    /// - Parameter direction: Whether the second proportion is below (default) or above the baseline.
    /// - Returns: The absolute difference `|p2 - baseline|`, or `nil` for invalid input or when no
    ///   proportion in `[0, 1]` is detectable.
    public static func twoProportionsMinimumDetectableEffect(
        baseline: Double, samplesPerGroup: Int, alpha: Double = 0.05, power: Double = 0.8,
        sidedness: Sidedness = .twoSided, direction: Direction = .decrease
    ) -> Double? {
        guard isProbability(baseline), samplesPerGroup >= 1, isLevel(alpha), isTarget(power, alpha) else { return nil }
        let d = requiredShift(alpha, power, sidedness)
        let h = d / (Double(samplesPerGroup) / 2).squareRoot()
        return arcsineShift(baseline, h, direction)
    }

    static func twoProportionsContinuousSampleSize(
        p1: Double, p2: Double, alpha: Double, power: Double, sidedness: Sidedness
    ) -> Double? {
        guard isProbability(p1), isProbability(p2), isLevel(alpha), isTarget(power, alpha) else { return nil }
        let h = abs(cohenH(p1, p2))
        guard h > 0 else { return nil }
        let d = requiredShift(alpha, power, sidedness)
        return 2 * (d / h) * (d / h)
    }

    // MARK: - One proportion

    /// The power of a one-sample test of a proportion against `p0` with `n` observations.
    /// - Parameter p: The true proportion.
    /// - Parameter p0: The proportion under the null hypothesis.
    /// - Parameter n: The number of observations, at least 0.
    /// - Parameter alpha: The significance level, default 0.05.
    /// - Parameter sidedness: Two-sided (default) or one-sided in the direction of the effect.
    /// - Returns: The power in `[0, 1]`, or `nil` for invalid input.
    public static func oneProportion(
        p: Double, p0: Double, n: Int, alpha: Double = 0.05, sidedness: Sidedness = .twoSided
    ) -> Double? {
        guard isProbability(p), isProbability(p0), n >= 0, isLevel(alpha) else { return nil }
        return normalPower(abs(cohenH(p, p0)) * Double(n).squareRoot(), alpha, sidedness)
    }

    /// The number of observations needed to reach `power` in a one-sample test of a proportion against `p0`.
    /// - Parameter p: The true proportion.
    /// - Parameter p0: The proportion under the null hypothesis.
    /// - Parameter alpha: The significance level, default 0.05.
    /// - Parameter power: The target power, default 0.8.
    /// - Parameter sidedness: Two-sided (default) or one-sided.
    /// - Returns: The smallest integer `n`, or `nil` for invalid input or `p == p0`.
    public static func oneProportionSampleSize(
        p: Double, p0: Double, alpha: Double = 0.05, power: Double = 0.8, sidedness: Sidedness = .twoSided
    ) -> Int? {
        guard let n = oneProportionContinuousSampleSize(p: p, p0: p0, alpha: alpha, power: power, sidedness: sidedness)
        else { return nil }
        return ceilingCount(n)
    }

    /// The smallest departure from `p0` that a one-sample test with `n` observations detects with the given power.
    /// - Parameter p0: The proportion under the null hypothesis.
    /// - Parameter n: The number of observations, at least 1.
    /// - Parameter alpha: The significance level, default 0.05.
    /// - Parameter power: The target power, default 0.8.
    /// - Parameter sidedness: Two-sided (default) or one-sided.
    /// - Parameter direction: Whether the true proportion is below (default) or above `p0`.
    /// - Returns: The absolute difference `|p - p0|`, or `nil` for invalid input or when nothing in `[0, 1]`
    ///   is detectable.
    public static func oneProportionMinimumDetectableEffect(
        p0: Double, n: Int, alpha: Double = 0.05, power: Double = 0.8,
        sidedness: Sidedness = .twoSided, direction: Direction = .decrease
    ) -> Double? {
        guard isProbability(p0), n >= 1, isLevel(alpha), isTarget(power, alpha) else { return nil }
        let h = requiredShift(alpha, power, sidedness) / Double(n).squareRoot()
        return arcsineShift(p0, h, direction)
    }

    static func oneProportionContinuousSampleSize(
        p: Double, p0: Double, alpha: Double, power: Double, sidedness: Sidedness
    ) -> Double? {
        guard isProbability(p), isProbability(p0), isLevel(alpha), isTarget(power, alpha) else { return nil }
        let h = abs(cohenH(p, p0))
        guard h > 0 else { return nil }
        let d = requiredShift(alpha, power, sidedness)
        return (d / h) * (d / h)
    }

    // MARK: - Paired proportions (McNemar)

    /// The power of McNemar's test with `n` paired cases.
    /// - Parameter firstOnly: `p₁₀`, the probability that only the first system passes a case.
    /// - Parameter secondOnly: `p₀₁`, the probability that only the second system passes a case.
    /// - Parameter n: The number of paired cases, at least 0.
    /// - Parameter alpha: The significance level, default 0.05.
    /// - Parameter sidedness: Two-sided (default) or one-sided in the direction of the effect.
    /// - Parameter method: ``PairedMethod/exact`` (default) or ``PairedMethod/connor``.
    /// - Returns: The power in `[0, 1]` (0 when `p₁₀ + p₀₁ == 0`), or `nil` for invalid input.
    public static func pairedProportions(
        firstOnly: Double, secondOnly: Double, n: Int, alpha: Double = 0.05,
        sidedness: Sidedness = .twoSided, method: PairedMethod = .exact
    ) -> Double? {
        guard validPaired(firstOnly, secondOnly), n >= 0, isLevel(alpha) else { return nil }
        switch method {
        case .exact: return exactPairedPower(firstOnly, secondOnly, n, alpha, sidedness)
        case .connor: return connorPower(firstOnly, secondOnly, Double(n), alpha, sidedness)
        }
    }

    /// The number of paired cases needed for McNemar's test to reach `power`.
    /// - Parameter firstOnly: `p₁₀`, the probability that only the first system passes a case.
    /// - Parameter secondOnly: `p₀₁`, the probability that only the second system passes a case.
    /// - Parameter alpha: The significance level, default 0.05.
    /// - Parameter power: The target power, default 0.8.
    /// - Parameter sidedness: Two-sided (default) or one-sided.
    /// - Parameter method: ``PairedMethod/exact`` (default) or ``PairedMethod/connor``.
    /// - Returns: The number of cases, or `nil` for invalid input or `p₁₀ == p₀₁`.
    public static func pairedProportionsSampleSize(
        firstOnly: Double, secondOnly: Double, alpha: Double = 0.05, power: Double = 0.8,
        sidedness: Sidedness = .twoSided, method: PairedMethod = .exact
    ) -> Int? {
        guard validPaired(firstOnly, secondOnly), isLevel(alpha), isTarget(power, alpha),
              firstOnly != secondOnly,
              let connor = connorContinuousSampleSize(firstOnly, secondOnly, alpha, power, sidedness)
        else { return nil }
        switch method {
        case .connor:
            return ceilingCount(connor)
        case .exact:
            var low = 0
            var high = max(1, Int(connor.rounded(.up)))
            while exactPairedPower(firstOnly, secondOnly, high, alpha, sidedness) < power {
                low = high
                high *= 2
                if high > maximumSampleSize { return nil }
            }
            while high - low > 1 {
                let middle = low + (high - low) / 2
                if exactPairedPower(firstOnly, secondOnly, middle, alpha, sidedness) >= power {
                    high = middle
                } else {
                    low = middle
                }
            }
            return high
        }
    }

    /// The smallest effect `δ = |p₁₀ - p₀₁|` that McNemar's test detects with `n` cases, given the discordance.
    /// - Parameter discordance: `ψ = p₁₀ + p₀₁`, the probability that the systems disagree on a case, in (0, 1].
    /// - Parameter n: The number of paired cases, at least 1.
    /// - Parameter alpha: The significance level, default 0.05.
    /// - Parameter power: The target power, default 0.8.
    /// - Parameter sidedness: Two-sided (default) or one-sided.
    /// - Parameter method: ``PairedMethod/exact`` (default) or ``PairedMethod/connor``.
    /// - Returns: δ in `(0, ψ]`, or `nil` for invalid input or when even `δ = ψ` is not detectable.
    public static func pairedProportionsMinimumDetectableEffect(
        discordance: Double, n: Int, alpha: Double = 0.05, power: Double = 0.8,
        sidedness: Sidedness = .twoSided, method: PairedMethod = .exact
    ) -> Double? {
        guard discordance > 0, discordance <= 1, n >= 1, isLevel(alpha), isTarget(power, alpha) else { return nil }
        func powerAt(_ delta: Double) -> Double {
            let first = (discordance + delta) / 2
            let second = max(0, (discordance - delta) / 2)
            switch method {
            case .exact: return exactPairedPower(first, second, n, alpha, sidedness)
            case .connor: return connorPower(first, second, Double(n), alpha, sidedness)
            }
        }
        guard powerAt(discordance) >= power else { return nil }
        var low = 0.0
        var high = discordance
        for _ in 0..<64 {
            let middle = (low + high) / 2
            if powerAt(middle) >= power { high = middle } else { low = middle }
            if high - low <= 1e-12 * high { break }
        }
        return high
    }

    // MARK: - Internals

    static func isProbability(_ p: Double) -> Bool { p >= 0 && p <= 1 }
    static func isLevel(_ alpha: Double) -> Bool { alpha > 0 && alpha < 1 }
    static func isTarget(_ power: Double, _ alpha: Double) -> Bool { power > alpha && power < 1 }

    static func validPaired(_ first: Double, _ second: Double) -> Bool {
        isProbability(first) && isProbability(second) && first + second <= 1 + 1e-12
    }

    static func ceilingCount(_ n: Double) -> Int? {
        guard n.isFinite, n <= Double(maximumSampleSize) else { return nil }
        // Guard against n = 42.0000000001 from rounding in a value that is exactly an integer.
        let rounded = n.rounded()
        if abs(n - rounded) <= 1e-9 * max(1, n) { return max(1, Int(rounded)) }
        return max(1, Int(n.rounded(.up)))
    }

    /// Cohen's h.
    static func cohenH(_ p1: Double, _ p2: Double) -> Double {
        2 * asin(p1.squareRoot()) - 2 * asin(p2.squareRoot())
    }

    /// The power of a z test whose statistic has mean `shift >= 0` under the alternative.
    static func normalPower(_ shift: Double, _ alpha: Double, _ sidedness: Sidedness) -> Double {
        switch sidedness {
        case .twoSided:
            let critical = -Normal.standardQuantile(alpha / 2)
            return min(1, Normal.standardCDF(shift - critical) + Normal.standardCDF(-critical - shift))
        case .oneSided:
            let critical = -Normal.standardQuantile(alpha)
            return Normal.standardCDF(shift - critical)
        }
    }

    /// The shift `d` with `normalPower(d) == power`, by bisection (the far-tail term has no closed form).
    static func requiredShift(_ alpha: Double, _ power: Double, _ sidedness: Sidedness) -> Double {
        let critical = -Normal.standardQuantile(sidedness == .twoSided ? alpha / 2 : alpha)
        // Ignoring the far tail gives an upper bound; the far tail contributes at most alpha / 2.
        var high = critical + Normal.standardQuantile(power)
        var low = max(0, critical + Normal.standardQuantile(max(power - alpha / 2, 1e-300)))
        if sidedness == .oneSided { return high }
        high = max(high, low)
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if normalPower(middle, alpha, sidedness) >= power { high = middle } else { low = middle }
            if high - low <= 1e-16 * high { break }
        }
        return (low + high) / 2
    }

    /// The absolute difference between `baseline` and the proportion whose Cohen's h from it is `h`, in `direction`.
    static func arcsineShift(_ baseline: Double, _ h: Double, _ direction: Direction) -> Double? {
        let angle = asin(baseline.squareRoot())
        let shifted = direction == .decrease ? angle - h / 2 : angle + h / 2
        guard shifted >= 0, shifted <= Double.pi / 2 else { return nil }
        let s = sin(shifted)
        return abs(s * s - baseline)
    }

    static func connorPower(_ first: Double, _ second: Double, _ n: Double, _ alpha: Double, _ sidedness: Sidedness) -> Double {
        let psi = first + second
        let delta = abs(first - second)
        guard psi > 0, n > 0 else { return 0 }
        let critical = -Normal.standardQuantile(sidedness == .twoSided ? alpha / 2 : alpha)
        let spread = psi - delta * delta
        let numerator = delta * n.squareRoot() - critical * psi.squareRoot()
        guard spread > 0 else { return numerator > 0 ? 1 : 0 }
        return Normal.standardCDF(numerator / spread.squareRoot())
    }

    static func connorContinuousSampleSize(
        _ first: Double, _ second: Double, _ alpha: Double, _ power: Double, _ sidedness: Sidedness
    ) -> Double? {
        let psi = first + second
        let delta = abs(first - second)
        guard delta > 0 else { return nil }
        let critical = -Normal.standardQuantile(sidedness == .twoSided ? alpha / 2 : alpha)
        let zBeta = Normal.standardQuantile(power)
        let root = critical * psi.squareRoot() + zBeta * max(0, psi - delta * delta).squareRoot()
        return root * root / (delta * delta)
    }

    /// The exact power of the exact conditional McNemar test with `n` pairs.
    static func exactPairedPower(_ first: Double, _ second: Double, _ n: Int, _ alpha: Double, _ sidedness: Sidedness) -> Double {
        let psi = min(1, first + second)
        guard n > 0, psi > 0 else { return 0 }
        // The cell expected to be smaller is tested in the lower tail.
        let smallShare = min(first, second) / (first + second)
        // Two-sided: min(1, 2 F(min)) <= alpha  <=>  F(min) <= alpha / 2.
        let level = sidedness == .twoSided ? alpha / 2 : alpha
        let mean = Double(n) * psi
        let spread = 12 * (mean * (1 - psi)).squareRoot() + 10
        let lowest = max(0, Int((mean - spread).rounded(.down)))
        let highest = min(n, Int((mean + spread).rounded(.up)))
        var k = -1
        var total = 0.0
        for m in lowest...highest {
            while k + 1 < m && Binomial.tails(k + 1, m, 0.5).lower <= level { k += 1 }
            guard k >= 0 else { continue }
            let weight = Binomial.uncheckedPMF(m, n, psi)
            var reject = Binomial.tails(k, m, smallShare).lower
            if sidedness == .twoSided {
                reject += Binomial.tails(k, m, 1 - smallShare).lower
            }
            total += weight * reject
        }
        return min(1, total)
    }
}
