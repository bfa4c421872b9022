import AssayCore
import Foundation

/// `tone`: a brand-voice judge. A template over `rubric_judge`: the criteria are written from the `voice` and the
/// things it must `avoid`, the evaluation steps are fixed (no call to generate them), and the judge sees the input
/// and the output only: it grades how the output is written, not whether it is right.
///
/// Options: `voice` (required: the brand voice, e.g. "warm, concise, no jargon"), `avoid` (a list of things the
/// voice never does), `judge`, `scale` (default `[1, 5]`), `repeats` (default 1) and `threshold` (default 0.75: 4
/// of 5). Value, verdict, label and unmeasured cases are those of `rubric_judge`.
public struct ToneScorer: Scorer {
    /// `tone`.
    public static let typeName = "tone"
    static let optionNames: Set<String> = ["judge", "voice", "avoid", "scale", "repeats"]
    /// Bumped when the generated criteria or steps change.
    static let templateVersion = 1

    /// The evaluation steps every tone judgement follows.
    static let steps = [
        "Read the brand voice and the list of things the voice never does.",
        "Judge only how the output is written (tone, register, word choice, sentence length), not whether its content is correct.",
        "Note each place where the output departs from the voice or does something the voice never does.",
        "Give the top mark only when the whole output sounds like the voice and does none of those things; give the lowest when it sounds nothing like it.",
    ]

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type, the template version and the underlying rubric judge's fingerprint (judge, generated
    /// criteria, steps, scale, threshold, repeats).
    public let fingerprint: String
    private let rubric: RubricJudgeScorer

    /// Builds the scorer.
    /// - Parameters:
    ///   - config: The scorer's configuration.
    ///   - context: The suite's judges.
    /// - Throws: `AssayError` (config) at the offending option.
    public init(config: ScorerConfig, context: ScorerContext) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        let grading = try JudgeGrading(options, context: context)
        guard let voice = try options.nonEmptyString("voice") else {
            throw config.options.error("tone needs 'voice': the brand voice in a few words, e.g. \"warm, concise, no jargon\"")
        }
        let avoid = try options.stringList("avoid") ?? []
        rubric = RubricJudgeScorer(
            name: config.name, grading: grading, criteria: [Self.criteria(voice: voice, avoid: avoid)], steps: Self.steps, include: ["input"]
        )
        name = config.name
        fingerprint = Fingerprint.sha256(JSONValue.object([
            "type": .string(Self.typeName), "template_version": .number(Double(Self.templateVersion)),
            "rubric": .string(rubric.fingerprint),
        ]))
    }

    /// The criteria for a voice.
    /// - Parameters:
    ///   - voice: The brand voice.
    ///   - avoid: What the voice never does.
    /// - Returns: The criteria the judge grades against.
    static func criteria(voice: String, avoid: [String]) -> String {
        var text = "The output is written in this brand voice: \(voice)."
        if !avoid.isEmpty {
            text += " The voice never does any of these: " + avoid.joined(separator: "; ") + "."
        }
        return text + " Grade the writing only, not the correctness of the content."
    }

    /// One judge call per repeat.
    public var plannedCalls: Int { rubric.plannedCalls }

    /// Scores how well the output keeps the brand voice.
    /// - Parameters:
    ///   - testCase: The case (its input is shown to the judge).
    ///   - output: What the target produced.
    /// - Returns: The rubric judge's score: the mean grade normalised to 0...1, or unmeasured when the judge
    ///   fails or its reply does not parse.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        await rubric.score(testCase, output)
    }
}
