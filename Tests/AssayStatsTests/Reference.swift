import Foundation
import Testing
@testable import AssayStats

/// One reference value set produced by `scripts/stats-reference/make_reference.py` (SciPy, statsmodels, mpmath).
struct ReferenceCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let args: [Double?]
    let expected: [Double?]
    let data: [[Double]]?
    let options: [String]?
    let rtol: Double
    let atol: Double
    let label: String?
    let source: String?

    var testDescription: String {
        let arguments = args.map { $0.map { "\($0)" } ?? "nil" }.joined(separator: ", ")
        let extras = [label, options?.joined(separator: ","), source].compactMap { $0 }.joined(separator: " ")
        return "\(name)(\(arguments)) \(extras)"
    }

    func arg(_ index: Int) -> Double { index < args.count ? (args[index] ?? .nan) : .nan }
    func int(_ index: Int) -> Int { Int(arg(index)) }
    func array(_ index: Int) -> [Double] { index < (data?.count ?? 0) ? (data?[index] ?? []) : [] }
    func option(_ index: Int) -> String { index < (options?.count ?? 0) ? (options?[index] ?? "") : "" }
}

private struct ReferenceFile: Decodable {
    let cases: [ReferenceCase]
}

enum Reference {
    /// All cases, loaded once from the test bundle's `Resources/reference.json`.
    static let all: [ReferenceCase] = load()

    static func cases(_ prefixes: String...) -> [ReferenceCase] {
        all.filter { c in prefixes.contains { c.name.hasPrefix($0) } }
    }

    private static func load() -> [ReferenceCase] {
        let url = Bundle.module.url(forResource: "reference", withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "reference", withExtension: "json")
        guard let url, let bytes = try? Data(contentsOf: url) else { return [] }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan"
        )
        return (try? decoder.decode(ReferenceFile.self, from: bytes).cases) ?? []
    }

    /// Whether `actual` matches `expected` within `|a - e| <= rtol |e| + atol`; nil must match nil.
    static func matches(_ actual: Double?, _ expected: Double?, rtol: Double, atol: Double) -> Bool {
        switch (actual, expected) {
        case (nil, nil): return true
        case (nil, _), (_, nil): return false
        case let (a?, e?):
            if a == e { return true }
            if a.isNaN || e.isNaN || a.isInfinite || e.isInfinite { return false }
            return abs(a - e) <= rtol * abs(e) + atol
        }
    }

    /// The relative error used for the accuracy report (absolute below 1e-300 in magnitude).
    static func relativeError(_ actual: Double?, _ expected: Double?) -> Double {
        guard let a = actual, let e = expected else { return actual == nil && expected == nil ? 0 : .infinity }
        if a == e { return 0 }
        return abs(a - e) / max(abs(e), 1e-300)
    }

    static func alternative(_ text: String) -> Alternative {
        switch text {
        case "less": return .less
        case "greater": return .greater
        default: return .twoSided
        }
    }

    static func sidedness(_ text: String) -> Sidedness { text == "oneSided" ? .oneSided : .twoSided }

    /// Evaluates the AssayStats function a case refers to.
    static func evaluate(_ c: ReferenceCase) throws -> [Double?] {
        switch c.name {
        // Normal
        case "normal.cdf": return [Normal.cdf(c.arg(0))]
        case "normal.sf": return [Normal.survival(c.arg(0))]
        case "normal.pdf": return [Normal.pdf(c.arg(0))]
        case "normal.ppf": return [Normal.quantile(c.arg(0))]
        case "normal.cdf.scaled": return [Normal.cdf(c.arg(0), mean: c.arg(1), standardDeviation: c.arg(2))]
        case "normal.pdf.scaled": return [Normal.pdf(c.arg(0), mean: c.arg(1), standardDeviation: c.arg(2))]
        case "normal.ppf.scaled": return [Normal.quantile(c.arg(0), mean: c.arg(1), standardDeviation: c.arg(2))]
        // Student t
        case "t.cdf": return [StudentT.cdf(c.arg(0), degreesOfFreedom: c.arg(1))]
        case "t.sf": return [StudentT.survival(c.arg(0), degreesOfFreedom: c.arg(1))]
        case "t.pdf": return [StudentT.pdf(c.arg(0), degreesOfFreedom: c.arg(1))]
        case "t.ppf": return [StudentT.quantile(c.arg(0), degreesOfFreedom: c.arg(1))]
        // Chi-square
        case "chi2.cdf": return [ChiSquare.cdf(c.arg(0), degreesOfFreedom: c.arg(1))]
        case "chi2.sf": return [ChiSquare.survival(c.arg(0), degreesOfFreedom: c.arg(1))]
        case "chi2.pdf": return [ChiSquare.pdf(c.arg(0), degreesOfFreedom: c.arg(1))]
        case "chi2.ppf": return [ChiSquare.quantile(c.arg(0), degreesOfFreedom: c.arg(1))]
        case "chi2.isf": return [ChiSquare.inverseSurvival(c.arg(0), degreesOfFreedom: c.arg(1))]
        // Beta
        case "beta.cdf": return [Beta.cdf(c.arg(0), a: c.arg(1), b: c.arg(2))]
        case "beta.sf": return [Beta.survival(c.arg(0), a: c.arg(1), b: c.arg(2))]
        case "beta.pdf": return [Beta.pdf(c.arg(0), a: c.arg(1), b: c.arg(2))]
        case "beta.ppf": return [Beta.quantile(c.arg(0), a: c.arg(1), b: c.arg(2))]
        case "beta.isf": return [Beta.inverseSurvival(c.arg(0), a: c.arg(1), b: c.arg(2))]
        // Binomial
        case "binom.pmf": return [Binomial.pmf(c.int(0), trials: c.int(1), probability: c.arg(2))]
        case "binom.cdf": return [Binomial.cdf(c.int(0), trials: c.int(1), probability: c.arg(2))]
        case "binom.sf": return [Binomial.survival(c.int(0), trials: c.int(1), probability: c.arg(2))]
        case "binom.ppf":
            return [Binomial.quantile(c.arg(0), trials: c.int(1), probability: c.arg(2)).map(Double.init)]
        // Binomial intervals
        case "wilson":
            let i = BinomialInterval.wilson(successes: c.int(0), trials: c.int(1), level: c.arg(2))
            return [i.lower, i.upper]
        case "clopper":
            let i = BinomialInterval.clopperPearson(successes: c.int(0), trials: c.int(1), level: c.arg(2))
            return [i.lower, i.upper]
        case "agresti":
            let i = BinomialInterval.agrestiCaffo(
                successes1: c.int(0), trials1: c.int(1), successes2: c.int(2), trials2: c.int(3), level: c.arg(4)
            )
            return [i.lower, i.upper]
        // Percentiles and summaries
        case "percentile.linear": return (Percentile.linear(c.array(0), c.array(1)) ?? []).map { $0 }
        case "percentile.nearest": return c.array(1).map { Percentile.nearestRank(c.array(0), $0) }
        case "summary.mean": return [Summary.mean(c.array(0))]
        case "summary.median": return [Summary.median(c.array(0))]
        case "summary.variance": return [Summary.variance(c.array(0))]
        case "summary.sd": return [Summary.standardDeviation(c.array(0))]
        case "summary.sem": return [Summary.standardError(c.array(0))]
        // Paired tests
        case "mcnemar.exact":
            let r = McNemar.exact(b: c.int(0), c: c.int(1))
            return [r?.statistic, r?.pValue]
        case "mcnemar.chi2":
            let r = McNemar.chiSquare(b: c.int(0), c: c.int(1))
            return [r?.statistic, r?.pValue]
        case "mcnemar.chi2.nocc":
            let r = McNemar.chiSquare(b: c.int(0), c: c.int(1), continuityCorrection: false)
            return [r?.statistic, r?.pValue]
        case "wilcoxon.auto", "wilcoxon.approx", "wilcoxon.exact":
            let method: WilcoxonSignedRank.Method = c.name == "wilcoxon.auto"
                ? .automatic : (c.name == "wilcoxon.exact" ? .exact : .normalApproximation)
            let r = try WilcoxonSignedRank.test(
                c.array(0), c.array(1), alternative: alternative(c.option(0)), method: method
            )
            return [r.statistic, r.pValue]
        case "permutation.exact":
            let r = try PairedPermutation.test(c.array(0), c.array(1), alternative: alternative(c.option(0)))
            return [r.meanDifference, r.pValue]
        // Multiple comparisons
        case "holm": return (MultipleComparisons.holm(c.array(0)) ?? []).map { $0 }
        case "bh": return (MultipleComparisons.benjaminiHochberg(c.array(0)) ?? []).map { $0 }
        // Correlation
        case "pearson": return [Correlation.pearson(c.array(0), c.array(1))]
        case "spearman": return [Correlation.spearman(c.array(0), c.array(1))]
        case "kendall": return [Correlation.kendallTauB(c.array(0), c.array(1))]
        // Agreement
        case "kappa":
            let table = (c.data ?? []).map { $0.map { Int($0) } }
            guard let r = Agreement.cohensKappa(table) else { return [nil, nil, nil, nil] }
            return [r.kappa, r.standardError, r.interval.lower, r.interval.upper]
        // Power
        case "power.two":
            return [Power.twoProportions(
                p1: c.arg(0), p2: c.arg(1), samplesPerGroup: c.int(2), alpha: c.arg(3), sidedness: sidedness(c.option(0))
            )]
        case "power.two.n":
            let side = sidedness(c.option(0))
            return [
                Power.twoProportionsContinuousSampleSize(p1: c.arg(0), p2: c.arg(1), alpha: c.arg(2), power: c.arg(3), sidedness: side),
                Power.twoProportionsSampleSize(p1: c.arg(0), p2: c.arg(1), alpha: c.arg(2), power: c.arg(3), sidedness: side)
                    .map(Double.init),
            ]
        case "power.two.mde":
            return [Power.twoProportionsMinimumDetectableEffect(
                baseline: c.arg(0), samplesPerGroup: c.int(1), alpha: c.arg(2), power: c.arg(3),
                sidedness: sidedness(c.option(0)), direction: c.option(1) == "increase" ? .increase : .decrease
            )]
        case "power.one":
            return [Power.oneProportion(p: c.arg(0), p0: c.arg(1), n: c.int(2), alpha: c.arg(3), sidedness: sidedness(c.option(0)))]
        case "power.one.n":
            let side = sidedness(c.option(0))
            return [
                Power.oneProportionContinuousSampleSize(p: c.arg(0), p0: c.arg(1), alpha: c.arg(2), power: c.arg(3), sidedness: side),
                Power.oneProportionSampleSize(p: c.arg(0), p0: c.arg(1), alpha: c.arg(2), power: c.arg(3), sidedness: side)
                    .map(Double.init),
            ]
        case "power.paired.connor", "power.paired.exact":
            return [Power.pairedProportions(
                firstOnly: c.arg(0), secondOnly: c.arg(1), n: c.int(2), alpha: c.arg(3),
                sidedness: sidedness(c.option(0)), method: c.name.hasSuffix("exact") ? .exact : .connor
            )]
        case "power.paired.connor.n", "power.paired.exact.n":
            return [Power.pairedProportionsSampleSize(
                firstOnly: c.arg(0), secondOnly: c.arg(1), alpha: c.arg(2), power: c.arg(3),
                sidedness: sidedness(c.option(0)), method: c.name.contains("exact") ? .exact : .connor
            ).map(Double.init)]
        // Bootstrap (loose: SciPy uses a different random stream)
        case "bootstrap.percentile", "bootstrap.bca":
            let method: Bootstrap.Method = c.name == "bootstrap.bca" ? .bca : .percentile
            let i = try Bootstrap.interval(c.array(0), resamples: 50_000, method: method, seed: 7) { sample in
                sample.reduce(0, +) / Double(sample.count)
            }
            return [i.lower, i.upper]
        default:
            throw StatsError.invalidParameter("case name", "known to the test dispatcher (got \(c.name))")
        }
    }

    /// Checks one case and reports a readable failure.
    static func check(_ c: ReferenceCase, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let actual = try evaluate(c)
        #expect(actual.count == c.expected.count, "\(c.testDescription): \(actual) vs \(c.expected)", sourceLocation: sourceLocation)
        for (a, e) in zip(actual, c.expected) {
            #expect(
                matches(a, e, rtol: c.rtol, atol: c.atol),
                "\(c.testDescription): got \(String(describing: a)), expected \(String(describing: e)), relative error \(relativeError(a, e))",
                sourceLocation: sourceLocation
            )
        }
    }
}
