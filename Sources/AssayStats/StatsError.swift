import Foundation

/// An error thrown by AssayStats when an input cannot produce a defined result.
///
/// `StatsError` wraps a private enum so that new failure modes can be added without breaking the API.
/// Descriptions never include the data values themselves, only their shape.
public struct StatsError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case emptyInput(String)
        case lengthMismatch(Int, Int)
        case invalidParameter(String, String)
        case nonFiniteInput(String)
        case nonFiniteStatistic
        case tooFewObservations(String, Int, Int)
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// An input collection was empty.
    /// - Parameter name: The name of the argument.
    /// - Returns: The error.
    public static func emptyInput(_ name: String) -> StatsError { StatsError(.emptyInput(name)) }

    /// Two paired inputs had different lengths.
    /// - Parameter first: The length of the first input.
    /// - Parameter second: The length of the second input.
    /// - Returns: The error.
    public static func lengthMismatch(_ first: Int, _ second: Int) -> StatsError {
        StatsError(.lengthMismatch(first, second))
    }

    /// A parameter was outside its valid range.
    /// - Parameter name: The name of the parameter.
    /// - Parameter requirement: A short statement of the valid range, such as `"in (0, 1)"`.
    /// - Returns: The error.
    public static func invalidParameter(_ name: String, _ requirement: String) -> StatsError {
        StatsError(.invalidParameter(name, requirement))
    }

    /// An input contained NaN or an infinity.
    /// - Parameter name: The name of the argument.
    /// - Returns: The error.
    public static func nonFiniteInput(_ name: String) -> StatsError { StatsError(.nonFiniteInput(name)) }

    /// A user-supplied statistic closure returned NaN or an infinity.
    public static let nonFiniteStatistic = StatsError(.nonFiniteStatistic)

    /// An input had fewer observations than the method needs.
    /// - Parameter name: The name of the argument.
    /// - Parameter count: The number of observations received.
    /// - Parameter minimum: The minimum number of observations needed.
    /// - Returns: The error.
    public static func tooFewObservations(_ name: String, count: Int, minimum: Int) -> StatsError {
        StatsError(.tooFewObservations(name, count, minimum))
    }

    /// A human-readable description of the error.
    public var description: String {
        switch base {
        case .emptyInput(let name):
            return "\(name) is empty"
        case .lengthMismatch(let first, let second):
            return "paired inputs have different lengths (\(first) and \(second))"
        case .invalidParameter(let name, let requirement):
            return "\(name) must be \(requirement)"
        case .nonFiniteInput(let name):
            return "\(name) contains NaN or infinite values"
        case .nonFiniteStatistic:
            return "the statistic returned NaN or an infinite value"
        case .tooFewObservations(let name, let count, let minimum):
            return "\(name) has \(count) observations; at least \(minimum) are needed"
        }
    }

    /// A short, stable identifier for the kind of error, safe to use as a metrics label.
    public var shortDescription: String {
        switch base {
        case .emptyInput: return "empty_input"
        case .lengthMismatch: return "length_mismatch"
        case .invalidParameter: return "invalid_parameter"
        case .nonFiniteInput: return "non_finite_input"
        case .nonFiniteStatistic: return "non_finite_statistic"
        case .tooFewObservations: return "too_few_observations"
        }
    }
}
