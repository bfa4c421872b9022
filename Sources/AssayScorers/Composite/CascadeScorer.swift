import AssayCore
import Foundation

/// `cascade`: scorers listed cheapest first; a later (costlier) scorer runs only when the earlier ones leave the
/// verdict open.
///
/// Each stage says which of its verdicts are final with `decides`: `pass` (a pass ends the cascade, a fail leaves
/// it open), `fail`, or `both` (the default). An unmeasured stage always leaves the verdict open, and so does a
/// value inside the stage's optional `open_between: [low, high]` band. The first stage whose verdict is final
/// gives the cascade's verdict, value and label; when no stage decides, the last stage that scored does (its
/// verdict is the best evidence there is), and when none scored the cascade is unmeasured.
///
/// The judge calls of the stages that did not run are recorded as `savedCalls`, so reports show what the
/// cascade saved.
public struct CascadeScorer: Scorer {
    /// `cascade`.
    public static let typeName = "cascade"
    static let optionNames: Set<String> = ["scorers"]
    /// Keys a stage may carry besides its own options.
    static let stageKeys: Set<String> = ["decides", "open_between"]

    /// Which verdicts of a stage end the cascade.
    public enum Decides: String, Sendable, CaseIterable {
        /// A pass is final; a fail leaves the verdict open.
        case pass
        /// A fail is final; a pass leaves the verdict open.
        case fail
        /// Either verdict is final.
        case both
    }

    struct Stage: Sendable {
        let scorer: any Scorer
        let decides: Decides
        let openBand: ClosedRange<Double>?

        /// Whether this stage's score settles the verdict.
        func isFinal(_ score: Score) -> Bool {
            guard score.status.isScored, let passed = score.passed else { return false }
            if let openBand, let value = score.value, openBand.contains(value) { return false }
            switch decides {
            case .both: return true
            case .pass: return passed
            case .fail: return !passed
            }
        }
    }

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the stages' fingerprints and their decision rules.
    public let fingerprint: String
    let stages: [Stage]

    /// Builds the cascade and its stages.
    /// - Parameters:
    ///   - config: The scorer's configuration.
    ///   - context: The suite's judges, for judge stages.
    /// - Throws: `AssayError` (config) at the offending option or stage.
    public init(config: ScorerConfig, context: ScorerContext) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        if options.threshold != nil {
            throw (options.node("threshold") ?? config.options).error("a cascade has no threshold of its own: each stage passes at its own")
        }
        name = config.name
        var stages: [Stage] = []
        for (member, node) in try CompositeMembers.configs(options, what: "cascade", minimum: 2) {
            var decides = Decides.both
            if let decidesNode = node["decides"] {
                let text = try decidesNode.string()
                guard let value = Decides(rawValue: text) else {
                    throw decidesNode.error("'decides' is one of pass, fail, both (which verdicts of this stage are final), got '\(text)'")
                }
                decides = value
            }
            var band: ClosedRange<Double>?
            if let bandNode = node["open_between"] {
                let values = try bandNode.elements().map { try $0.double() }
                guard values.count == 2, values[0] <= values[1], values.allSatisfy({ (0...1).contains($0) }) else {
                    throw bandNode.error("'open_between' is [low, high] with 0 <= low <= high <= 1: values in it leave the verdict open")
                }
                band = values[0]...values[1]
            }
            let child = ScorerConfig(
                name: member.name, type: member.type, options: node.removing(Self.stageKeys), gate: nil, location: member.location
            )
            stages.append(Stage(scorer: try ScorerFactory.make(child, context: context), decides: decides, openBand: band))
        }
        self.stages = stages
        fingerprint = Fingerprint.sha256(JSONValue.object([
            "type": .string(Self.typeName),
            "stages": .array(stages.map { stage in
                .array([
                    .string(stage.scorer.name), .string(stage.scorer.fingerprint), .string(stage.decides.rawValue),
                    stage.openBand.map { .array([.number($0.lowerBound), .number($0.upperBound)]) } ?? .null,
                ])
            }),
        ]))
    }

    /// At most every stage runs.
    public var plannedCalls: Int { stages.reduce(0) { $0 + $1.scorer.plannedCalls } }

    public func score(_ testCase: Case, _ output: Output) async -> Score {
        var scores: [Score] = []
        var decided: Int?
        for (index, stage) in stages.enumerated() {
            let score = await stage.scorer.score(testCase, output)
            scores.append(score)
            if stage.isFinal(score) {
                decided = index
                break
            }
        }
        let trail = zip(stages, scores).map { "\($0.scorer.name) \(CompositeMembers.describe($1))" }.joined(separator: " -> ")
        var result: Score
        if let decided {
            let deciding = scores[decided]
            result = deciding
            result.explanation = "decided by \(stages[decided].scorer.name) (stage \(decided + 1) of \(stages.count)): \(trail). \(deciding.explanation)"
        } else if let last = scores.lastIndex(where: { $0.status.isScored }) {
            result = scores[last]
            result.explanation = "no stage was decisive; \(stages[last].scorer.name) gives the verdict: \(trail). \(scores[last].explanation)"
        } else {
            result = .unmeasured(name, reason: "no stage could score: \(trail)")
        }
        result.scorer = name
        result.repeatValues = decided.flatMap { scores[$0].repeatValues }
        result.savedCalls = stages.dropFirst(scores.count).reduce(0) { $0 + $1.scorer.plannedCalls }
        return CompositeMembers.sumSpending(of: scores, into: result)
    }
}
