import AssayCore
import AssayStats
import Foundation

/// `rubric_judge`: an LLM judge in the G-Eval style. The judge reads criteria and evaluation steps, the case and
/// the output (quoted as data between unguessable markers), and returns `{"explanation", "score"}` through a JSON
/// schema. With top log-probabilities the score is the probability-weighted mean over the scale's tokens;
/// otherwise the parsed integer. Repeats are averaged and their spread is reported.
///
/// Several judge prompts: `criteria` may be a list of phrasings of the same criteria; each phrasing is judged
/// (`repeats` times) and every judgement is averaged, so no single wording decides, and the spread across
/// phrasings and repeats is recorded as the judge's own variance.
///
/// Options: `judge` (a name from the suite's `judges:`), `criteria` (required: a string, or a list of phrasings),
/// `steps` (list; generated once per phrasing from the criteria when absent, and kept stable by the response cache), `scale` (`[min, max]`, default `[1, 5]`),
/// `threshold` (pass when the score normalised to 0...1 reaches it; default 0.75, i.e. 4 of 5), `repeats`
/// (default 1), `include` (case fields shown to the judge: `input`, `expected`, `context`; default all present).
public struct RubricJudgeScorer: Scorer {
    /// `rubric_judge`.
    public static let typeName = "rubric_judge"
    static let optionNames: Set<String> = ["judge", "criteria", "steps", "scale", "repeats", "include"]
    static let promptVersion = 1

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type, the judge, the criteria, steps, scale, threshold, repeats and prompt version.
    public let fingerprint: String
    let judge: JudgeClient
    /// The criteria, one entry per phrasing (judge prompt).
    let criteria: [String]
    let givenSteps: [String]?
    let scale: ClosedRange<Int>
    let threshold: Double
    let repeats: Int
    let include: Set<String>
    /// Evaluation steps per phrasing.
    private let steps: [StepsMemo]

    /// Builds the scorer.
    /// - Parameters:
    ///   - config: The scorer's configuration.
    ///   - context: The suite's judges.
    /// - Throws: `AssayError` (config) at the offending option.
    public init(config: ScorerConfig, context: ScorerContext) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        let grading = try JudgeGrading(options, context: context)
        let criteriaNode = options.node("criteria")
        guard let criteria = try options.stringList("criteria"), !criteria.isEmpty,
              !criteria.contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else {
            throw (criteriaNode ?? config.options).error(
                "rubric_judge needs 'criteria': what a good answer does, in a sentence or two (or a list of phrasings of it)")
        }
        guard criteria.count <= 10 else {
            throw (criteriaNode ?? config.options).error("at most 10 phrasings of the criteria, got \(criteria.count)")
        }
        let fields: Set<String> = ["input", "expected", "context"]
        let include = try Set(options.stringList("include") ?? Array(fields))
        if let unknown = include.subtracting(fields).first {
            throw (options.node("include") ?? config.options).error("unknown field '\(unknown)' in include (input, expected, context)")
        }
        self.init(name: config.name, grading: grading, criteria: criteria, steps: try options.stringList("steps"), include: include)
    }

    /// Builds the scorer from resolved settings (for judge templates such as `tone` that generate the criteria).
    /// - Parameters:
    ///   - name: The scorer's name in its rubric.
    ///   - grading: The judge, scale, repeats and threshold.
    ///   - criteria: What a good output does, one entry per phrasing.
    ///   - steps: Evaluation steps, or nil to generate them once per phrasing from the criteria.
    ///   - include: The case fields shown to the judge.
    init(name: String, grading: JudgeGrading, criteria: [String], steps givenSteps: [String]?, include: Set<String>) {
        self.name = name
        judge = grading.judge
        scale = grading.scale
        threshold = grading.threshold
        repeats = grading.repeats
        self.criteria = criteria
        self.givenSteps = givenSteps
        self.include = include
        steps = criteria.map { _ in StepsMemo(given: givenSteps) }
        // One phrasing keeps the fingerprint it had before phrasings could be listed.
        let criteriaIdentity: JSONValue = criteria.count == 1 ? .string(criteria[0]) : .array(criteria.map(JSONValue.string))
        fingerprint = Fingerprint.sha256(JSONValue.object([
            "type": .string(Self.typeName), "prompt_version": .number(Double(Self.promptVersion)),
            "judge": .string(judge.fingerprint), "criteria": criteriaIdentity,
            "steps": givenSteps.map { .array($0.map(JSONValue.string)) } ?? .null,
            "scale": .array([.number(Double(scale.lowerBound)), .number(Double(scale.upperBound))]),
            "threshold": .number(threshold), "repeats": .number(Double(repeats)),
            "include": .array(include.sorted().map(JSONValue.string)),
        ]))
    }

    /// One judge call per phrasing and repeat (generated evaluation steps are one more call per phrasing per run).
    public var plannedCalls: Int { criteria.count * repeats }

    public func score(_ testCase: Case, _ output: Output) async -> Score {
        var values: [Double] = []
        var explanations: [String] = []
        var spend = JudgeSpend()
        for (phrasing, memo) in zip(criteria, steps) {
            let stepsResult = await memo.value { await generateSteps(for: phrasing) }
            let steps: [String]
            switch stepsResult {
            case .success(let list): steps = list
            case .failure(let failure): return Score.unmeasured(name, reason: failure.message).charged(spend)
            }
            let messages = JudgePrompt.rubric(
                criteria: phrasing, steps: steps, scale: scale, testCase: testCase, output: output.text, include: include
            )
            if let failure = await collect(messages, testCase, into: &values, explanations: &explanations, spend: &spend) {
                return failure
            }
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let normalized = (mean - Double(scale.lowerBound)) / Double(scale.upperBound - scale.lowerBound)
        var explanation = String(format: "score %.2f on %d–%d", mean, scale.lowerBound, scale.upperBound)
        if values.count > 1, let sd = Summary.standardDeviation(values) {
            let what = criteria.count > 1 ? "\(values.count) judgements over \(criteria.count) prompts" : "\(values.count) repeats"
            explanation += String(format: " (mean of %@, sd %.2f)", what, sd)
        }
        if let first = explanations.first { explanation += ": " + first }
        var result = Score.scored(
            name, passed: normalized >= threshold - 1e-12, value: min(1, max(0, normalized)),
            label: String(format: "%.2f", mean), explanation: explanation
        ).charged(spend)
        if values.count > 1 {
            let span = Double(scale.upperBound - scale.lowerBound)
            result.repeatValues = values.map { ($0 - Double(scale.lowerBound)) / span }
        }
        return result
    }

    /// Asks the judge `repeats` times with one prompt, appending the scores; the unmeasured score when a call
    /// fails or a reply does not parse, else nil.
    private func collect(
        _ messages: [Message], _ testCase: Case, into values: inout [Double], explanations: inout [String], spend: inout JudgeSpend
    ) async -> Score? {
        for index in 0..<repeats {
            switch await judge.ask(messages, responseFormat: JudgePrompt.scoreSchema(scale), for: testCase, repeat: index, spend: &spend) {
            case .failed(let reason):
                return Score.unmeasured(name, reason: reason).charged(spend)
            case .answered(let reply):
                guard let parsed = JudgeReplyParser.score(reply, scale: scale) else {
                    return Score.unmeasured(name, reason: "the judge's reply did not parse: \(quoted(reply.text, limit: 200))").charged(spend)
                }
                values.append(parsed.score)
                if !parsed.explanation.isEmpty { explanations.append(parsed.explanation) }
            }
        }
        return nil
    }

    func generateSteps(for criteria: String) async -> Result<[String], JudgeFailure> {
        if let givenSteps { return .success(givenSteps) }
        let messages = JudgePrompt.steps(criteria: criteria)
        var spend = JudgeSpend()
        switch await judge.ask(messages, responseFormat: JudgePrompt.stepsSchema, for: Case(id: "steps", input: .string(criteria)), spend: &spend) {
        case .failed(let reason):
            return .failure(JudgeFailure(message: "could not generate evaluation steps: \(reason)"))
        case .answered(let reply):
            guard let json = JudgeReplyParser.json(in: reply.text), let list = json["steps"]?.arrayValue?.compactMap(\.stringValue), !list.isEmpty else {
                return .failure(JudgeFailure(message: "the judge's evaluation steps did not parse: \(quoted(reply.text, limit: 200))"))
            }
            return .success(Array(list.prefix(8)))
        }
    }
}

/// The options of judges that grade on an integer scale: `judge`, `scale`, `repeats` and `threshold`.
struct JudgeGrading {
    /// The judge.
    let judge: JudgeClient
    /// The scale, default 1...5.
    let scale: ClosedRange<Int>
    /// Judge calls per output, averaged (1...20, default 1).
    let repeats: Int
    /// The normalised score needed to pass (default 0.75: 4 of 5).
    let threshold: Double

    /// Reads the options.
    /// - Parameters:
    ///   - options: The scorer's options.
    ///   - context: The suite's judges.
    /// - Throws: `AssayError` (config) at the offending option.
    init(_ options: ScorerOptions, context: ScorerContext) throws {
        judge = try context.judge(named: options.node("judge"), in: options.config)
        if let node = options.node("scale") {
            let values = try node.elements().map { try $0.int() }
            guard values.count == 2, values[0] < values[1], values[1] - values[0] <= 100 else {
                throw node.error("scale is [min, max] with min < max, e.g. [1, 5]")
            }
            scale = values[0]...values[1]
        } else {
            scale = 1...5
        }
        threshold = options.threshold ?? 0.75
        repeats = try options.nonNegativeInt("repeats") ?? 1
        guard (1...20).contains(repeats) else {
            throw (options.node("repeats") ?? options.node).error("repeats must be between 1 and 20")
        }
    }
}

/// Why a judge could not help.
struct JudgeFailure: Error, Sendable {
    let message: String
}

/// Computes the evaluation steps once per scorer, however many trials ask at the same time.
actor StepsMemo {
    private var result: Result<[String], JudgeFailure>?
    private var pending: Task<Result<[String], JudgeFailure>, Never>?

    init(given: [String]?) {
        if let given { result = .success(given) }
    }

    func value(_ make: @escaping @Sendable () async -> Result<[String], JudgeFailure>) async -> Result<[String], JudgeFailure> {
        if let result { return result }
        if let pending { return await pending.value }
        let task = Task { await make() }
        pending = task
        let value = await task.value
        // A failure is not memoised: a later trial may succeed (the judge may have been briefly unreachable).
        if case .success = value { result = value }
        pending = nil
        return value
    }
}
