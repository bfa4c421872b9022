import AssayCore
import AssayProviders
import Foundation

/// `pairwise_judge`: an LLM judge compares the output with a baseline output for the same case, by `criteria`,
/// and says which is better or that they are equally good.
///
/// The baseline is the case's expected answer (`baseline: expected`, the default) or a recorded output from
/// `baseline_file` (a JSONL file in the format `RecordedTarget` reads, keyed by case id; sample 0 of each case is
/// the baseline for every sample of the candidate). A case without a baseline is unmeasured.
///
/// Judges favour a position, so by default (`swap: true`) the judge is asked twice: once with the candidate shown
/// as output A and the baseline as B, once the other way round. Both replies (`{"explanation", "winner": "A" |
/// "B" | "tie"}`, through a JSON schema with an enum) are read from the candidate's side. The label is exactly one
/// of four:
/// - `win`: the candidate is better in both orders (value 1);
/// - `loss`: the baseline is better in both orders (value 0);
/// - `tie`: both orders say the two are equally good (value 0.5);
/// - `inconsistent`: the two orders disagree (any disagreement: win and loss, or win or loss and tie), so the
///   judgement follows the position rather than the content; counted as a tie (value 0.5). Only with `swap: true`.
/// The position-consistency rate of a judge is `1 - inconsistent / scored` over these labels. Without `swap` there
/// is one call (candidate as A) and the label is `win`, `loss` or `tie`.
///
/// The verdict passes when the value reaches `threshold` (default 0.5: not worse than the baseline).
/// Options: `judge`, `criteria` (required), `baseline` (`expected`), `baseline_file` (a path relative to the
/// suite's folder), `swap` (default true), `threshold`.
public struct PairwiseJudgeScorer: Scorer {
    /// `pairwise_judge`.
    public static let typeName = "pairwise_judge"
    static let optionNames: Set<String> = ["judge", "criteria", "baseline", "baseline_file", "swap"]
    static let promptVersion = 1

    /// The four labels of a comparison, from the candidate's side.
    public enum Outcome: String, Sendable, CaseIterable {
        /// The candidate is better (in both orders, with swap).
        case win
        /// The baseline is better (in both orders, with swap).
        case loss
        /// Equally good (in both orders, with swap).
        case tie
        /// The two orders disagree: a position effect, counted as a tie.
        case inconsistent

        /// Win 1, tie and inconsistent 0.5, loss 0.
        public var value: Double {
            switch self {
            case .win: 1
            case .loss: 0
            case .tie, .inconsistent: 0.5
            }
        }
    }

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type, prompt version, judge, criteria, baseline source (the file's content for
    /// `baseline_file`), swap and threshold.
    public let fingerprint: String
    private let judge: JudgeClient
    private let criteria: String
    private let baselineFile: RecordedTarget?
    private let baselineShown: String?
    private let swap: Bool
    private let threshold: Double

    /// Builds the scorer.
    /// - Parameters:
    ///   - config: The scorer's configuration.
    ///   - context: The suite's judges and folder (`baseline_file` is resolved against the folder).
    /// - Throws: `AssayError` (config) at the offending option, or at the file and line of a bad baseline record.
    public init(config: ScorerConfig, context: ScorerContext) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        judge = try context.judge(named: options.node("judge"), in: config)
        guard let criteria = try options.nonEmptyString("criteria") else {
            throw config.options.error("pairwise_judge needs 'criteria': what makes one answer better than another, in a sentence or two")
        }
        self.criteria = criteria
        if let node = options.node("baseline"), try node.string() != "expected" {
            throw node.error("baseline must be 'expected' (the case's expected answer); for recorded outputs use 'baseline_file: PATH'")
        }
        var source: JSONValue = .string("expected")
        if let fileNode = options.node("baseline_file") {
            if options.node("baseline") != nil { throw fileNode.error("give either 'baseline' or 'baseline_file', not both") }
            let loaded = try Self.loadBaseline(fileNode, context: context)
            baselineFile = loaded.outputs
            baselineShown = loaded.shown
            source = .object(["file_sha256": .string(loaded.sha256)])
        } else {
            baselineFile = nil
            baselineShown = nil
        }
        swap = try options.bool("swap", default: true)
        threshold = options.threshold ?? 0.5
        fingerprint = Fingerprint.sha256(JSONValue.object([
            "type": .string(Self.typeName), "prompt_version": .number(Double(Self.promptVersion)),
            "judge": .string(judge.fingerprint), "criteria": .string(criteria), "baseline": source,
            "swap": .bool(swap), "threshold": .number(threshold),
        ]))
    }

    /// Reads the recorded baseline outputs.
    private static func loadBaseline(_ node: ConfigNode, context: ScorerContext) throws -> (outputs: RecordedTarget, shown: String, sha256: String) {
        let path = try node.string()
        guard !path.isEmpty else { throw node.error("'baseline_file' must not be empty") }
        let displayFolder = (node.file as NSString).deletingLastPathComponent
        let shown = path.hasPrefix("/") || displayFolder.isEmpty ? path : (displayFolder as NSString).appendingPathComponent(path)
        let url: URL
        if path.hasPrefix("/") {
            url = URL(fileURLWithPath: path)
        } else if let folder = context.suiteFolder {
            url = folder.appendingPathComponent(path).standardizedFileURL
        } else {
            url = URL(fileURLWithPath: shown)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw node.error("cannot read baseline_file '\(path)' (looked for '\(shown)'; paths are relative to the suite file's folder)")
        }
        var config = TargetConfig(name: "baseline_file", kind: .recorded, location: node.location)
        config.recordedPath = url
        let outputs: RecordedTarget
        do {
            outputs = try RecordedTarget(config: config, displayPath: shown)
        } catch let error as AssayError {
            throw AssayError.config("bad baseline record: \(error.message) (each line: {\"id\": \"case-id\", \"output\": \"text\"})", at: error.location, field: error.field)
        }
        guard !outputs.isEmpty else { throw node.error("baseline_file '\(shown)' holds no recorded outputs") }
        return (outputs, shown, Fingerprint.sha256(data))
    }

    /// Two judge calls with `swap` (one per order), one without.
    public var plannedCalls: Int { swap ? 2 : 1 }

    /// Compares the output with the case's baseline.
    /// - Parameters:
    ///   - testCase: The case (its input and context are shown to the judge; with `baseline_file`, its expected
    ///     answer too, as a reference).
    ///   - output: The candidate output.
    /// - Returns: `win`, `loss`, `tie` or `inconsistent` with value 1, 0, 0.5 or 0.5; unmeasured when the case has
    ///   no baseline, a judge call fails, or a reply does not parse.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        let baseline: String
        let reference: String?
        if let baselineFile {
            guard let recorded = baselineFile.recordedOutput(caseID: testCase.id) else {
                return .unmeasured(name, reason: "no baseline output for case '\(testCase.id)' in \(baselineShown ?? "baseline_file")")
            }
            baseline = recorded.text
            reference = testCase.expected
        } else {
            guard let expected = testCase.expected else {
                return .unmeasured(name, reason: "case has no expected answer to compare with (the baseline is the expected answer)")
            }
            baseline = expected
            reference = nil
        }
        var spend = JudgeSpend()
        var outcomes: [Outcome] = []
        var explanations: [String] = []
        for candidateFirst in swap ? [true, false] : [true] {
            let messages = JudgePrompt.pairwise(
                criteria: criteria, testCase: testCase, first: candidateFirst ? output.text : baseline,
                second: candidateFirst ? baseline : output.text, reference: reference
            )
            switch await judge.ask(messages, responseFormat: JudgePrompt.winnerSchema, for: testCase, spend: &spend) {
            case .failed(let reason):
                return Score.unmeasured(name, reason: reason).charged(spend)
            case .answered(let reply):
                guard let parsed = Self.winner(in: reply.text) else {
                    return Score.unmeasured(name, reason: "the judge's reply did not parse: \(quoted(reply.text, limit: 200))").charged(spend)
                }
                outcomes.append(Self.outcome(winner: parsed.winner, candidateFirst: candidateFirst))
                if !parsed.explanation.isEmpty { explanations.append(parsed.explanation) }
            }
        }
        let outcome = outcomes.allSatisfy({ $0 == outcomes[0] }) ? outcomes[0] : .inconsistent
        var explanation: String
        switch (outcome, swap) {
        case (.inconsistent, _):
            explanation = "inconsistent: \(outcomes[0].rawValue) with the candidate shown first, \(outcomes[1].rawValue) with it shown second; counted as a tie"
        case (_, true):
            explanation = "\(outcome.rawValue) against the baseline in both orders"
        case (_, false):
            explanation = "\(outcome.rawValue) against the baseline (candidate shown first; no position swap)"
        }
        if let first = explanations.first { explanation += ": " + first }
        return Score.scored(
            name, passed: outcome.value >= threshold - 1e-12, value: outcome.value, label: outcome.rawValue, explanation: explanation
        ).charged(spend)
    }

    /// The candidate's outcome from the winner the judge named.
    static func outcome(winner: String, candidateFirst: Bool) -> Outcome {
        switch winner {
        case "A": candidateFirst ? .win : .loss
        case "B": candidateFirst ? .loss : .win
        default: .tie
        }
    }

    /// The winner (`A`, `B` or `tie`) and explanation in a reply; nil when there is no such winner.
    static func winner(in text: String) -> (winner: String, explanation: String)? {
        guard let json = JudgeReplyParser.json(in: text), var raw = json["winner"]?.stringValue?.trimmingCharacters(in: .whitespaces).lowercased() else {
            return nil
        }
        if raw.hasPrefix("output ") { raw.removeFirst("output ".count) }
        let winners = ["a": "A", "b": "B", "tie": "tie"]
        guard let winner = winners[raw] else { return nil }
        return (winner, json["explanation"]?.stringValue ?? "")
    }
}
