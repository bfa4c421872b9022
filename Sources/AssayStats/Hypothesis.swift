import Foundation

/// The alternative hypothesis of a test, for paired data `x` and `y` with differences `d = x - y`.
public enum Alternative: String, Sendable, Hashable, Codable, CaseIterable {
    /// The differences are not centred on zero.
    case twoSided
    /// The differences tend to be negative (`x` below `y`).
    case less
    /// The differences tend to be positive (`x` above `y`).
    case greater
}

/// Whether a power calculation is for a one-sided or a two-sided test.
public enum Sidedness: String, Sendable, Hashable, Codable, CaseIterable {
    /// A one-sided test in the direction of the effect, at level `alpha`.
    case oneSided
    /// A two-sided test at level `alpha` (`alpha / 2` in each tail).
    case twoSided
}

/// The outcome of a hypothesis test.
public struct TestResult: Sendable, Hashable, Codable {
    /// The test statistic; its meaning is documented by the function that returns it.
    public var statistic: Double
    /// The p-value, in `[0, 1]`.
    public var pValue: Double

    /// Creates a result.
    /// - Parameter statistic: The test statistic.
    /// - Parameter pValue: The p-value.
    public init(statistic: Double, pValue: Double) {
        self.statistic = statistic
        self.pValue = pValue
    }

    /// Whether the result is significant at level `alpha`, that is `pValue <= alpha`.
    /// - Parameter alpha: The significance level.
    /// - Returns: `true` when the null hypothesis is rejected.
    public func isSignificant(at alpha: Double) -> Bool { pValue <= alpha }
}

/// Validation shared by the paired tests.
enum PairedInput {
    /// The differences `x - y`, after checking that both inputs are non-empty, finite and of equal length.
    static func differences(_ x: [Double], _ y: [Double]) throws -> [Double] {
        guard x.count == y.count else { throw StatsError.lengthMismatch(x.count, y.count) }
        guard !x.isEmpty else { throw StatsError.emptyInput("x") }
        guard x.allSatisfy(\.isFinite) else { throw StatsError.nonFiniteInput("x") }
        guard y.allSatisfy(\.isFinite) else { throw StatsError.nonFiniteInput("y") }
        return zip(x, y).map { $0 - $1 }
    }

    static func checkDifferences(_ differences: [Double]) throws {
        guard !differences.isEmpty else { throw StatsError.emptyInput("differences") }
        guard differences.allSatisfy(\.isFinite) else { throw StatsError.nonFiniteInput("differences") }
    }
}
