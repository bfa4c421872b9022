import Foundation

/// The verdict of a paired comparison on one route x scorer.
public enum ChangeVerdict: String, Sendable, Hashable, Codable {
    /// The candidate passes significantly more often.
    case improved
    /// The candidate passes significantly less often.
    case regressed
    /// No significant difference at this sample size (see the minimum detectable effect).
    case noDetectableChange = "no_detectable_change"
    /// Nothing to compare: no case was scored in both runs.
    case unmeasured
}

/// A paired comparison of one route x scorer across two runs, on the cases both scored.
public struct CellComparison: Sendable, Hashable, Codable {
    /// The route.
    public var route: String
    /// The scorer.
    public var scorer: String
    /// True for safety and refusal rubrics, which are listed first.
    public var isSafety: Bool
    /// Cases scored in both runs.
    public var pairedCases: Int
    /// Baseline pass rate on those cases.
    public var baselinePassRate: Double?
    /// Candidate pass rate on those cases.
    public var candidatePassRate: Double?
    /// Candidate minus baseline.
    public var difference: Double?
    /// 95% interval of the difference (paired bootstrap over cases, BCa).
    public var differenceLower: Double?
    /// Upper bound of that interval.
    public var differenceUpper: Double?
    /// Cases only the baseline passed.
    public var baselineOnly: Int
    /// Cases only the candidate passed.
    public var candidateOnly: Int
    /// The test used (`mcnemar_exact` or `paired_permutation`).
    public var test: String
    /// Two-sided p-value.
    public var pValue: Double?
    /// p-value after Holm's correction across the compared cells.
    public var adjustedPValue: Double?
    /// The smallest change (in pass rate) this many paired cases detects with 80% power at alpha, assuming the
    /// larger of the observed discordance and 20%; nil when no change up to that discordance is detectable.
    public var minimumDetectableEffect: Double?
    /// Paired cases needed to decide the observed difference with 80% power, when it is not yet significant.
    public var casesNeeded: Int?
    /// The verdict.
    public var verdict: ChangeVerdict

    /// Memberwise initialiser.
    public init(
        route: String, scorer: String, isSafety: Bool, pairedCases: Int, baselinePassRate: Double?,
        candidatePassRate: Double?, difference: Double?, differenceLower: Double?, differenceUpper: Double?,
        baselineOnly: Int, candidateOnly: Int, test: String, pValue: Double?, adjustedPValue: Double?,
        minimumDetectableEffect: Double?, casesNeeded: Int?, verdict: ChangeVerdict
    ) {
        self.route = route
        self.scorer = scorer
        self.isSafety = isSafety
        self.pairedCases = pairedCases
        self.baselinePassRate = baselinePassRate
        self.candidatePassRate = candidatePassRate
        self.difference = difference
        self.differenceLower = differenceLower
        self.differenceUpper = differenceUpper
        self.baselineOnly = baselineOnly
        self.candidateOnly = candidateOnly
        self.test = test
        self.pValue = pValue
        self.adjustedPValue = adjustedPValue
        self.minimumDetectableEffect = minimumDetectableEffect
        self.casesNeeded = casesNeeded
        self.verdict = verdict
    }
}

/// Two runs compared on the cases they share.
public struct RunComparison: Sendable, Hashable, Codable {
    /// The baseline run.
    public var baseline: RunRecord
    /// The candidate run.
    public var candidate: RunRecord
    /// Cases in both runs.
    public var sharedCases: Int
    /// Per route x scorer, safety and refusal rubrics first.
    public var cells: [CellComparison]
    /// The baseline's operational figures on the shared cases.
    public var baselineUsage: UsageSummary
    /// The candidate's operational figures on the shared cases.
    public var candidateUsage: UsageSummary
    /// Significance level used.
    public var alpha: Double
    /// True when no rubric regressed (and at least one cell was compared).
    public var cleanWin: Bool

    /// Memberwise initialiser.
    public init(
        baseline: RunRecord, candidate: RunRecord, sharedCases: Int, cells: [CellComparison], baselineUsage: UsageSummary,
        candidateUsage: UsageSummary, alpha: Double, cleanWin: Bool
    ) {
        self.baseline = baseline
        self.candidate = candidate
        self.sharedCases = sharedCases
        self.cells = cells
        self.baselineUsage = baselineUsage
        self.candidateUsage = candidateUsage
        self.alpha = alpha
        self.cleanWin = cleanWin
    }
}
