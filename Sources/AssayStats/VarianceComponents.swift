import Foundation

/// Variance components of nested scores: cases, generator samples within a case, and judge repeats within a
/// sample. Answers "is this rubric noisy because the system is, or because the judge is?".
///
/// Method-of-moments estimates from pooled within-group variances (the ANOVA expected-mean-squares estimators;
/// unbiased for balanced designs, a close approximation otherwise). Negative estimates are truncated at 0, the
/// usual convention.
public enum VarianceComponents {
    /// The estimated components.
    public struct Result: Sendable, Hashable, Codable {
        /// Variance between cases (what the suite measures: some cases are harder than others).
        public var caseVariance: Double
        /// Variance between samples of the same case (the generator's non-determinism); nil with one sample per case.
        public var generatorVariance: Double?
        /// Variance between repeated judgements of the same output (the judge's noise); nil without repeats.
        public var judgeVariance: Double?
        /// Cases used.
        public var cases: Int

        /// The share of the total variance that is noise (generator + judge), in 0...1; nil when the total is 0.
        public var noiseShare: Double? {
            let noise = (generatorVariance ?? 0) + (judgeVariance ?? 0)
            let total = caseVariance + noise
            return total > 0 ? noise / total : nil
        }
    }

    /// Estimates the components.
    /// - Parameter scores: `scores[case][sample][repeat]`: the judged values of each repeat of each sample of each
    ///   case. Empty samples and cases are ignored.
    /// - Returns: The components, or nil when there are fewer than two cases or a value is not finite.
    public static func estimate(_ scores: [[[Double]]]) -> Result? {
        let cases = scores.map { $0.filter { !$0.isEmpty } }.filter { !$0.isEmpty }
        guard cases.count >= 2, cases.allSatisfy({ $0.allSatisfy { $0.allSatisfy(\.isFinite) } }) else { return nil }

        // Judge: pooled variance of repeats within a sample.
        var judgeSS = 0.0, judgeDF = 0, repeatCount = 0, sampleCount = 0
        for samples in cases {
            for repeats in samples {
                sampleCount += 1
                repeatCount += repeats.count
                guard repeats.count >= 2, let variance = Summary.variance(repeats) else { continue }
                judgeSS += variance * Double(repeats.count - 1)
                judgeDF += repeats.count - 1
            }
        }
        let judge: Double? = judgeDF > 0 ? judgeSS / Double(judgeDF) : nil
        let meanRepeats = Double(repeatCount) / Double(sampleCount)

        // Generator: pooled variance of sample means within a case, less the judge noise those means carry.
        var generatorSS = 0.0, generatorDF = 0, totalSamples = 0
        var caseMeans: [Double] = []
        for samples in cases {
            let means = samples.map { Summary.sum($0) / Double($0.count) }
            totalSamples += means.count
            caseMeans.append(Summary.sum(means) / Double(means.count))
            guard means.count >= 2, let variance = Summary.variance(means) else { continue }
            generatorSS += variance * Double(means.count - 1)
            generatorDF += means.count - 1
        }
        let generator: Double? = generatorDF > 0
            ? max(0, generatorSS / Double(generatorDF) - (judge ?? 0) / meanRepeats)
            : nil
        let meanSamples = Double(totalSamples) / Double(cases.count)

        // Cases: variance of case means less the noise they carry.
        let between = Summary.variance(caseMeans) ?? 0
        let carried = (generator ?? 0) / meanSamples + (judge ?? 0) / (meanSamples * meanRepeats)
        return Result(caseVariance: max(0, between - carried), generatorVariance: generator, judgeVariance: judge, cases: cases.count)
    }
}
