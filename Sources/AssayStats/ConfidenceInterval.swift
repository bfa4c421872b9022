import Foundation

/// A two-sided confidence interval.
///
/// `lower <= upper` always holds for intervals produced by AssayStats. A degenerate interval
/// (`lower == upper`) is returned when the data carry no spread, such as a bootstrap of identical values.
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    /// The lower bound.
    public var lower: Double
    /// The upper bound.
    public var upper: Double
    /// The nominal coverage, in (0, 1), for example `0.95`.
    public var level: Double

    /// Creates an interval.
    /// - Parameter lower: The lower bound.
    /// - Parameter upper: The upper bound.
    /// - Parameter level: The nominal coverage, for example `0.95`.
    public init(lower: Double, upper: Double, level: Double) {
        self.lower = lower
        self.upper = upper
        self.level = level
    }

    /// The distance between the bounds, `upper - lower`.
    public var width: Double { upper - lower }

    /// Whether `value` lies inside the closed interval.
    /// - Parameter value: The value to test.
    /// - Returns: `true` when `lower <= value <= upper`.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}
