import Foundation
import Testing
@testable import AssayStats

/// Every case of `Resources/reference.json`, grouped by statistic family.
@Suite("Reference values (SciPy, statsmodels, mpmath)")
struct ReferenceTests {
    @Test func referenceFileLoads() {
        #expect(Reference.all.count > 3000)
        let names = Set(Reference.all.map(\.name))
        for family in ["normal.", "t.", "chi2.", "beta.", "binom.", "wilson", "clopper", "agresti", "percentile.",
                       "summary.", "mcnemar.", "wilcoxon.", "permutation.", "holm", "bh", "pearson", "spearman",
                       "kendall", "kappa", "power.", "bootstrap."] {
            #expect(names.contains { $0.hasPrefix(family) }, "no reference cases for \(family)")
        }
    }

    @Test(arguments: Reference.cases("normal."))
    func normal(_ c: ReferenceCase) throws { try Reference.check(c) }

    @Test(arguments: Reference.cases("t."))
    func studentT(_ c: ReferenceCase) throws { try Reference.check(c) }

    @Test(arguments: Reference.cases("chi2."))
    func chiSquare(_ c: ReferenceCase) throws { try Reference.check(c) }

    @Test(arguments: Reference.cases("beta."))
    func beta(_ c: ReferenceCase) throws { try Reference.check(c) }

    @Test(arguments: Reference.cases("binom."))
    func binomial(_ c: ReferenceCase) throws { try Reference.check(c) }

    @Test(arguments: Reference.cases("wilson", "clopper", "agresti"))
    func binomialIntervals(_ c: ReferenceCase) throws { try Reference.check(c) }

    @Test(arguments: Reference.cases("percentile.", "summary."))
    func percentilesAndSummaries(_ c: ReferenceCase) throws { try Reference.check(c) }

    @Test(arguments: Reference.cases("mcnemar.", "wilcoxon.", "permutation."))
    func pairedTests(_ c: ReferenceCase) throws { try Reference.check(c) }

    @Test(arguments: Reference.cases("holm", "bh"))
    func multipleComparisons(_ c: ReferenceCase) throws { try Reference.check(c) }

    @Test(arguments: Reference.cases("pearson", "spearman", "kendall"))
    func correlation(_ c: ReferenceCase) throws { try Reference.check(c) }

    @Test(arguments: Reference.cases("kappa"))
    func agreement(_ c: ReferenceCase) throws { try Reference.check(c) }

    @Test(arguments: Reference.cases("power."))
    func power(_ c: ReferenceCase) throws { try Reference.check(c) }

    @Test(arguments: Reference.cases("bootstrap."))
    func bootstrapAgainstSciPy(_ c: ReferenceCase) throws { try Reference.check(c) }

    /// Prints the largest relative error per function for cases held to 1e-9 or tighter (the accuracy report).
    @Test func accuracyReport() throws {
        var worst: [String: Double] = [:]
        var worstCase: [String: String] = [:]
        for c in Reference.all where c.rtol > 0 && c.rtol <= 1e-9 && !c.name.hasPrefix("bootstrap") {
            let actual = try Reference.evaluate(c)
            for (a, e) in zip(actual, c.expected) {
                guard let e, e != 0, e.isFinite, abs(e) > 1e-14 || c.atol == 0 else { continue }
                let error = Reference.relativeError(a, e)
                if error > worst[c.name] ?? -1 {
                    worst[c.name] = error
                    worstCase[c.name] = c.testDescription
                }
            }
        }
        let lines = worst.keys.sorted().map { name in
            let value = worst[name] ?? 0
            return "  \(name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(String(format: "%.2e", value))  at \(worstCase[name] ?? "")"
        }
        print("Largest relative error vs reference:\n" + lines.joined(separator: "\n"))
        #expect(worst.values.allSatisfy { $0 <= 1e-9 })
    }
}
