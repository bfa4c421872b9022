import Foundation

/// Descriptive statistics of a sample.
///
/// Sums are compensated (Neumaier), and the variance uses the two-pass algorithm on the compensated mean, so
/// the results are accurate even for large samples with a large common offset. Functions return `nil` for
/// empty input, for fewer observations than they need, or when a value is NaN or infinite.
public enum Summary {
    /// The arithmetic mean.
    /// - Parameter values: The sample.
    /// - Returns: The mean, or `nil` for an empty sample or non-finite values.
    public static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty, values.allSatisfy(\.isFinite) else { return nil }
        return sum(values) / Double(values.count)
    }

    /// The sample variance with Bessel's correction (divisor `n - 1`, numpy `ddof=1`).
    /// - Parameter values: The sample.
    /// - Returns: The variance; 0 when all values are equal; `nil` for fewer than two values or non-finite values.
    public static func variance(_ values: [Double]) -> Double? {
        guard values.count >= 2, let m = mean(values) else { return nil }
        var squares = CompensatedSum()
        var deviations = CompensatedSum()
        for value in values {
            let d = value - m
            squares.add(d * d)
            deviations.add(d)
        }
        // Corrected two-pass formula (Chan, Golub and LeVeque).
        let n = Double(values.count)
        let correction = deviations.value * deviations.value / n
        return max(0, (squares.value - correction) / (n - 1))
    }

    /// The sample standard deviation, the square root of ``variance(_:)``.
    /// - Parameter values: The sample.
    /// - Returns: The standard deviation, or `nil` for fewer than two values or non-finite values.
    public static func standardDeviation(_ values: [Double]) -> Double? {
        variance(values).map { $0.squareRoot() }
    }

    /// The standard error of the mean, `s / √n`.
    /// - Parameter values: The sample.
    /// - Returns: The standard error, or `nil` for fewer than two values or non-finite values.
    public static func standardError(_ values: [Double]) -> Double? {
        standardDeviation(values).map { $0 / Double(values.count).squareRoot() }
    }

    /// The median (the linear-interpolation 50th percentile: the mean of the two middle values when `n` is even).
    /// - Parameter values: The sample.
    /// - Returns: The median, or `nil` for an empty sample or non-finite values.
    public static func median(_ values: [Double]) -> Double? {
        Percentile.linear(values, 0.5)
    }

    /// A compensated sum of the values.
    static func sum(_ values: [Double]) -> Double {
        var total = CompensatedSum()
        for value in values { total.add(value) }
        return total.value
    }
}

/// Neumaier's improved Kahan summation.
struct CompensatedSum: Sendable {
    private var sum = 0.0
    private var compensation = 0.0

    mutating func add(_ value: Double) {
        let t = sum + value
        if abs(sum) >= abs(value) {
            compensation += (sum - t) + value
        } else {
            compensation += (value - t) + sum
        }
        sum = t
    }

    var value: Double { sum + compensation }
}
