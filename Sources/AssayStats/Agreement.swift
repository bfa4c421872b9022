import Foundation

/// Cohen's kappa for two raters on the same items, with its large-sample standard error.
public struct KappaResult: Sendable, Hashable, Codable {
    /// Items rated by both.
    public var n: Int
    /// The share of items both raters put in the same category.
    public var observedAgreement: Double
    /// The agreement expected by chance from the raters' marginal rates.
    public var expectedAgreement: Double
    /// `(observed - expected) / (1 - expected)`: 1 is perfect agreement, 0 is chance, below 0 worse than chance.
    public var kappa: Double
    /// The asymptotic standard error of kappa (Fleiss, Cohen and Everitt 1969), as statsmodels reports it.
    public var standardError: Double
    /// `kappa ± z * standardError`, clipped to [-1, 1].
    public var interval: ConfidenceInterval
}

/// Agreement between two raters (a judge and a human, two judges, two prompts).
public enum Agreement {
    /// Cohen's (unweighted) kappa of a square contingency table.
    /// - Parameters:
    ///   - table: `table[i][j]` counts items rater A put in category i and rater B in category j.
    ///   - level: The interval's coverage, in (0, 1).
    /// - Returns: The result; nil for a table that is not square, has negative counts or no items, or where chance
    ///   agreement is already 1 (both raters used one and the same category for everything: kappa is undefined).
    public static func cohensKappa(_ table: [[Int]], level: Double = 0.95) -> KappaResult? {
        let k = table.count
        guard k >= 1, table.allSatisfy({ $0.count == k }), table.allSatisfy({ $0.allSatisfy { $0 >= 0 } }),
              level > 0, level < 1, let z = Normal.quantile(0.5 + level / 2) else {
            return nil
        }
        let n = table.reduce(0) { $0 + $1.reduce(0, +) }
        guard n > 0 else { return nil }
        let total = Double(n)
        let p = table.map { $0.map { Double($0) / total } }
        let rows = p.map { $0.reduce(0, +) }
        let columns = (0..<k).map { j in p.reduce(0) { $0 + $1[j] } }
        let observed = (0..<k).reduce(0) { $0 + p[$1][$1] }
        let expected = (0..<k).reduce(0) { $0 + rows[$1] * columns[$1] }
        guard expected < 1 - 1e-15 else { return nil }
        let kappa = (observed - expected) / (1 - expected)
        var termA = 0.0, termB = 0.0
        for i in 0..<k {
            termA += p[i][i] * pow(1 - (rows[i] + columns[i]) * (1 - kappa), 2)
            for j in 0..<k where j != i {
                termB += p[i][j] * pow(columns[i] + rows[j], 2)
            }
        }
        termB *= pow(1 - kappa, 2)
        let termC = pow(kappa - expected * (1 - kappa), 2)
        let variance = max(0, (termA + termB - termC) / pow(1 - expected, 2) / total)
        let se = variance.squareRoot()
        let interval = ConfidenceInterval(lower: max(-1, kappa - z * se), upper: min(1, kappa + z * se), level: level)
        return KappaResult(
            n: n, observedAgreement: observed, expectedAgreement: expected, kappa: kappa, standardError: se, interval: interval
        )
    }
}
