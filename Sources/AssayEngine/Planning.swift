import AssayCore
import AssayStats
import Foundation

/// Sample-size planning in the words of a suite: what a route's cases can detect, and how many it would need.
public enum Planning {
    /// Assumptions behind a plan.
    public struct Assumptions: Sendable, Hashable {
        /// Significance level.
        public var alpha: Double
        /// Target power.
        public var power: Double
        /// Probability that baseline and candidate disagree on a case (paired designs).
        public var discordance: Double

        /// Creates assumptions (defaults: alpha 0.05, power 0.8, 20% discordance).
        public init(alpha: Double = 0.05, power: Double = 0.8, discordance: Double = 0.2) {
            self.alpha = alpha
            self.power = power
            self.discordance = discordance
        }
    }

    /// The smallest drop in pass rate (0...1) a paired comparison on `cases` cases detects, or nil when even a
    /// drop as large as the discordance is not detectable.
    public static func detectableDrop(cases: Int, assumptions: Assumptions = Assumptions()) -> Double? {
        Power.pairedProportionsMinimumDetectableEffect(
            discordance: assumptions.discordance, n: cases, alpha: assumptions.alpha, power: assumptions.power
        )
    }

    /// Paired cases needed to detect a drop of `drop` (0...1) given the discordance.
    public static func casesNeeded(drop: Double, assumptions: Assumptions = Assumptions()) -> Int? {
        let discordance = max(assumptions.discordance, drop)
        return Power.pairedProportionsSampleSize(
            firstOnly: (discordance + drop) / 2, secondOnly: (discordance - drop) / 2,
            alpha: assumptions.alpha, power: assumptions.power
        )
    }

    /// One line per route: "route refund: 120 cases can detect a drop of 11 points".
    public static func detectabilityLines(dataset: Dataset, assumptions: Assumptions = Assumptions()) -> [String] {
        dataset.manifest.routes.sorted { $0.key < $1.key }.map { route, count in
            if let drop = detectableDrop(cases: count, assumptions: assumptions) {
                return String(format: "route %@: %d cases can detect a drop of %.0f points", route, count, drop * 100)
            }
            return "route \(route): \(count) cases cannot detect a drop of even \(Int(assumptions.discordance * 100)) points"
        }
    }
}
