import Foundation

/// Numerical building blocks shared by the distribution families. Internal: the public API is the distributions.
enum Special {
    static let halfLogTwoPi = 0.918_938_533_204_672_741_780_329_736_406 // 0.5 * log(2π)
    static let sqrtTwoPi = 2.506_628_274_631_000_502_415_765_284_811
    static let fpMin = 1e-300
    static let epsilon = 1e-16

    /// log Γ(x) for x > 0, via `lgamma_r` (the re-entrant variant, safe to call concurrently).
    static func logGamma(_ x: Double) -> Double {
        let (value, _) = lgamma(x)
        return value
    }

    /// The Stirling remainder `log Γ(z) - ((z - 1/2) log z - z + log √(2π))`.
    ///
    /// For `z >= 10` the asymptotic series is used (truncation error below 1e-17); below that the
    /// definition is evaluated directly.
    static func stirlingCorrection(_ z: Double) -> Double {
        if z < 10 {
            return logGamma(z) - ((z - 0.5) * log(z) - z + halfLogTwoPi)
        }
        let r = 1 / z
        let r2 = r * r
        let series = 1.0 / 12 + r2 * (-1.0 / 360 + r2 * (1.0 / 1260 + r2 * (-1.0 / 1680
            + r2 * (1.0 / 1188 + r2 * (-691.0 / 360_360 + r2 * (1.0 / 156))))))
        return r * series
    }

    /// `log(1 + t) - t`, accurate for small `t` where the difference cancels. Requires `t > -1`.
    static func log1pMinusX(_ t: Double) -> Double {
        if abs(t) > 0.25 {
            return log1p(t) - t
        }
        // -t²/2 + t³/3 - t⁴/4 + ...
        var power = t * t
        var sum = 0.0
        var k = 2.0
        var sign = -1.0
        while k < 200 {
            let term = sign * power / k
            sum += term
            if abs(term) <= 1e-17 * abs(sum) { break }
            power *= t
            sign = -sign
            k += 1
        }
        return sum
    }

    // MARK: - Incomplete beta

    /// `log(x^a y^b / B(a, b))` where `y = 1 - x` is supplied separately so that neither loses precision.
    ///
    /// When both shapes are large the Gamma functions are expanded with Stirling's series and the
    /// leading terms cancelled analytically, so the result keeps its accuracy for `a, b` up to 1e7 and beyond.
    static func logPowerTerms(a: Double, b: Double, x: Double, y: Double) -> Double {
        let logX = x < 0.5 ? log(x) : log1p(-y)
        let logY = y < 0.5 ? log(y) : log1p(-x)
        let c = a + b
        if a >= 10 && b >= 10 {
            // x c / a = 1 + d / a and y c / b = 1 - d / b with d = x b - y a.
            let d = x * b - y * a
            let u = d / a
            let v = -d / b
            let main: Double
            if abs(u) < 0.5 && abs(v) < 0.5 {
                // a log1p(u) + b log1p(v) with the linear terms (a u + b v = 0) removed.
                main = a * log1pMinusX(u) + b * log1pMinusX(v)
            } else {
                let first = abs(u) < 0.5 ? a * log1p(u) : a * (logX + log1p(b / a))
                let second = abs(v) < 0.5 ? b * log1p(v) : b * (logY + log1p(a / b))
                main = first + second
            }
            return main + 0.5 * (log(a) + log(b) - log(c)) - halfLogTwoPi
                + stirlingCorrection(c) - stirlingCorrection(a) - stirlingCorrection(b)
        }
        if a < 10 && b >= 10 {
            // log Γ(a + b) - log Γ(b) = (b - 1/2) log1p(a / b) + a log c - a + corr(c) - corr(b)
            return a * (logX + log(c)) + b * logY + (b - 0.5) * log1p(a / b) - a
                - logGamma(a) + stirlingCorrection(c) - stirlingCorrection(b)
        }
        if b < 10 && a >= 10 {
            return b * (logY + log(c)) + a * logX + (a - 0.5) * log1p(b / a) - b
                - logGamma(b) + stirlingCorrection(c) - stirlingCorrection(a)
        }
        return a * logX + b * logY - (logGamma(a) + logGamma(b) - logGamma(c))
    }

    /// The continued fraction for the incomplete beta function (Numerical Recipes `betacf`),
    /// evaluated with the modified Lentz method.
    static func betaContinuedFraction(a: Double, b: Double, x: Double) -> Double {
        let qab = a + b
        let qap = a + 1
        let qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < fpMin { d = fpMin }
        d = 1 / d
        var h = d
        let limit = min(1_000_000, 10_000 + Int(20 * (a + b).squareRoot()))
        var m = 1
        while m <= limit {
            let md = Double(m)
            let m2 = 2 * md
            var aa = md * (b - md) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < fpMin { d = fpMin }
            c = 1 + aa / c
            if abs(c) < fpMin { c = fpMin }
            d = 1 / d
            h *= d * c
            aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < fpMin { d = fpMin }
            c = 1 + aa / c
            if abs(c) < fpMin { c = fpMin }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= 1e-16 { break }
            m += 1
        }
        return h
    }

    /// The regularized incomplete beta function, both tails: `(I_x(a, b), 1 - I_x(a, b))`.
    ///
    /// `y` must equal `1 - x`; passing it separately keeps full relative accuracy in both tails.
    /// The smaller tail is computed directly (never as `1 - other`).
    static func incompleteBeta(a: Double, b: Double, x: Double, y: Double) -> (lower: Double, upper: Double) {
        if x <= 0 { return (0, 1) }
        if y <= 0 { return (1, 0) }
        let front = exp(logPowerTerms(a: a, b: b, x: x, y: y))
        if x < (a + 1) / (a + b + 2) {
            let lower = min(1, front * betaContinuedFraction(a: a, b: b, x: x) / a)
            return (lower, 1 - lower)
        } else {
            let upper = min(1, front * betaContinuedFraction(a: b, b: a, x: y) / b)
            return (1 - upper, upper)
        }
    }

    /// The beta density at `x` (with `y = 1 - x`).
    static func betaDensity(a: Double, b: Double, x: Double, y: Double) -> Double {
        exp(logPowerTerms(a: a, b: b, x: x, y: y)) / (x * y)
    }

    // MARK: - Incomplete gamma

    /// `log(x^a e^{-x} / Γ(a))`, with the Stirling expansion for large `a`.
    static func logGammaPowerTerms(a: Double, x: Double) -> Double {
        if a >= 10 {
            let t = (x - a) / a
            let main = t < -0.5 ? a * (log(x) - log(a)) - (x - a) : a * log1pMinusX(t)
            return main + 0.5 * (log(a) - log(2 * Double.pi)) - stirlingCorrection(a)
        }
        return a * log(x) - x - logGamma(a)
    }

    /// The regularized incomplete gamma functions `(P(a, x), Q(a, x))`, series below `a + 1`,
    /// Lentz continued fraction above. The smaller tail is computed directly.
    static func incompleteGamma(a: Double, x: Double) -> (lower: Double, upper: Double) {
        if x <= 0 { return (0, 1) }
        if x == .infinity { return (1, 0) }
        let front = exp(logGammaPowerTerms(a: a, x: x))
        let limit = min(1_000_000, 10_000 + Int(20 * a.squareRoot()))
        if x < a + 1 {
            var ap = a
            var delta = 1 / a
            var sum = delta
            var n = 0
            while n < limit {
                ap += 1
                delta *= x / ap
                sum += delta
                if abs(delta) < abs(sum) * 1e-17 { break }
                n += 1
            }
            let lower = min(1, front * sum)
            return (lower, 1 - lower)
        }
        var b = x + 1 - a
        var c = 1 / fpMin
        var d = 1 / b
        var h = d
        var i = 1
        while i <= limit {
            let id = Double(i)
            let an = -id * (id - a)
            b += 2
            d = an * d + b
            if abs(d) < fpMin { d = fpMin }
            c = b + an / c
            if abs(c) < fpMin { c = fpMin }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= 1e-16 { break }
            i += 1
        }
        let upper = min(1, front * h)
        return (1 - upper, upper)
    }

    // MARK: - Root finding

    /// Solves `log F(x) == logTarget` for a monotone `F` on the open interval `(lower, upper)`.
    ///
    /// Newton's method on the log of the tail (nearly linear in the far tails) is safeguarded by a bracket; a
    /// step that leaves the bracket is replaced by bisection, so the iteration always converges. With
    /// `logScale` the iteration runs on `log x` (for positive variables whose quantiles span many orders of
    /// magnitude) and finishes with Newton steps on `x` itself. `upper` may be `.infinity`.
    ///
    /// - Parameter evaluate: Returns `log F(x)` and its derivative `d/dx log F(x)`.
    static func invertMonotone(
        logTarget: Double,
        guess: Double,
        lower: Double,
        upper: Double,
        increasing: Bool,
        logScale: Bool = false,
        evaluate: (Double) -> (logValue: Double, derivative: Double)
    ) -> Double {
        guard logScale else {
            return newtonBisection(
                logTarget: logTarget, guess: guess, lower: lower, upper: upper,
                increasing: increasing, geometricBisection: lower >= 0, evaluate: evaluate
            )
        }
        let u = newtonBisection(
            logTarget: logTarget, guess: log(guess), lower: log(lower), upper: log(upper),
            increasing: increasing, geometricBisection: false
        ) { u in
            let x = exp(u)
            let (value, derivative) = evaluate(x)
            return (value, derivative * x)
        }
        // Polish on the linear scale: exp(u) carries a relative error of about |u| ulp.
        var x = exp(u)
        for _ in 0..<2 {
            let (value, derivative) = evaluate(x)
            let difference = value - logTarget
            guard difference.isFinite, derivative.isFinite, derivative != 0 else { break }
            let next = x - difference / derivative
            guard next.isFinite, abs(next - x) <= 1e-8 * abs(x), next > lower, next < upper else { break }
            if next == x { break }
            x = next
        }
        return x
    }

    private static func newtonBisection(
        logTarget: Double,
        guess: Double,
        lower: Double,
        upper: Double,
        increasing: Bool,
        geometricBisection: Bool,
        evaluate: (Double) -> (logValue: Double, derivative: Double)
    ) -> Double {
        var lo = lower
        var hi = upper
        var x = guess
        if !(x > lo && x < hi) || !x.isFinite {
            if lo.isFinite && hi.isFinite {
                x = lo + (hi - lo) / 2
            } else if lo.isFinite {
                x = max(1, lo + 1)
            } else if hi.isFinite {
                x = min(-1, hi - 1)
            } else {
                x = 0
            }
        }
        var iteration = 0
        while iteration < 500 {
            iteration += 1
            let (logValue, derivative) = evaluate(x)
            let difference = logValue - logTarget
            if difference == 0 { return x }
            let rootIsAbove = increasing ? difference < 0 : difference > 0
            if rootIsAbove { lo = x } else { hi = x }
            var next = Double.nan
            if difference.isFinite && derivative.isFinite && derivative != 0 {
                next = x - difference / derivative
            }
            if !(next > lo && next < hi) {
                if !hi.isFinite {
                    next = geometricBisection ? (x > 0 ? x * 64 : 1) : x + max(8, abs(x))
                } else if !lo.isFinite {
                    next = x - max(8, abs(x))
                } else if geometricBisection && hi / max(lo, 1e-300) > 8 {
                    next = (max(lo, 1e-300) * hi).squareRoot()
                } else {
                    next = lo + (hi - lo) / 2
                }
            }
            let scale = geometricBisection ? abs(x) : max(abs(x), 1)
            let bracketClosed = lo.isFinite && hi.isFinite && (hi - lo) <= 4e-16 * max(abs(hi), abs(lo))
            if abs(next - x) <= 4e-16 * scale || bracketClosed {
                return next
            }
            x = next
        }
        return x
    }
}
