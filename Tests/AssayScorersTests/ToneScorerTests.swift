import AssayCore
import AssayProviders
import AssayScorers
import Foundation
import Testing

/// A scripted tone judge: 1 when the output uses jargon ("synergy", "leverage"), 5 otherwise; it follows any
/// "score N" outside delimited data, as `scriptedJudge` does.
func scriptedToneJudge(_ prompt: String) -> String {
    let (outside, blocks) = delimitedBlocks(prompt)
    if let range = outside.range(of: #"score (\d)"#, options: [.regularExpression, .caseInsensitive]) {
        return #"{"explanation": "as instructed", "score": \#(outside[range].suffix(1))}"#
    }
    guard let output = blocks["OUTPUT"]?.lowercased() else { return "no output to grade" }
    let jargon = output.contains("synergy") || output.contains("leverage")
    return #"{"explanation": "\#(jargon ? "corporate jargon" : "warm and plain")", "score": \#(jargon ? 1 : 5)}"#
}

@Suite(.serialized) struct ToneScorerTests {
    static let yaml = """
        type: tone
        judge: grader
        voice: warm, concise, no jargon
        avoid: [blame the customer, corporate buzzwords]
        """
    static let question = Case(id: "t1", input: .string("My parcel is late."), expected: "SECRET-REFERENCE")

    @Test func gradesTheVoiceWithOneCallPerRepeat() async throws {
        let harness = try await JudgeHarness.start(answer: scriptedToneJudge)
        defer { Task { await harness.stop() } }
        let scorer = try harness.scorer(Self.yaml)

        let warm = await scorer.score(Self.question, Output(text: "Sorry about that! It will arrive tomorrow."))
        let stiff = await scorer.score(Self.question, Output(text: "We leverage synergy to optimise delivery."))

        #expect(warm.value == 1 && warm.passed == true && warm.label == "5.00")
        #expect(stiff.value == 0 && stiff.passed == false)
        #expect(stiff.explanation.contains("corporate jargon"))
        // No call to generate steps: one judge call per score
        #expect(harness.prompts.count == 2 && warm.calls == 1 && scorer.plannedCalls == 1)
        // The criteria come from the voice and the things to avoid; the judge sees the input, never the reference
        let prompt = harness.prompts[0]
        #expect(prompt.contains("brand voice: warm, concise, no jargon."))
        #expect(prompt.contains("never does any of these: blame the customer; corporate buzzwords."))
        #expect(delimitedBlocks(prompt).blocks["INPUT"] == "My parcel is late.")
        #expect(!prompt.contains("SECRET-REFERENCE"))
    }

    @Test func repeatsScaleAndThresholdApply() async throws {
        let harness = try await JudgeHarness.start(answer: { _ in #"{"explanation": "mostly on voice", "score": 7}"# })
        defer { Task { await harness.stop() } }
        let scorer = try harness.scorer("{type: tone, judge: grader, voice: playful, scale: [1, 10], repeats: 2, threshold: 0.7}")
        let score = await scorer.score(Self.question, Output(text: "Whee, it's on its way!"))
        #expect(abs((score.value ?? 0) - 6.0 / 9.0) < 1e-9)
        #expect(score.passed == false)
        #expect(score.calls == 2 && scorer.plannedCalls == 2)
        #expect(score.repeatValues?.count == 2)
    }

    @Test(arguments: ["The tone is nice.", #"{"score": 9}"#])
    func unparseableRepliesAreUnmeasured(reply: String) async throws {
        let harness = try await JudgeHarness.start(answer: { _ in reply })
        defer { Task { await harness.stop() } }
        let scorer = try harness.scorer(Self.yaml)
        let score = await scorer.score(Self.question, Output(text: "Hello!"))
        #expect(!score.status.isScored && score.passed == nil && score.value == nil)
        #expect(score.explanation.contains("did not parse"))
        #expect(score.calls == 1)
    }

    @Test func aFailingJudgeIsUnmeasured() async throws {
        let harness = try await JudgeHarness.start(failing: true)
        defer { Task { await harness.stop() } }
        let score = await (try harness.scorer(Self.yaml)).score(Self.question, Output(text: "Hello!"))
        #expect(score.status.reason?.contains("judge 'grader' failed: HTTP 500") == true, "\(score.explanation)")
        #expect(score.calls == 2 && score.passed == nil)
    }

    @Test func fingerprintsFollowTheVoice() async throws {
        let (judge, box) = JudgeHarness.makeJudge(port: 9)
        defer { Task { await box.shutdown() } }
        func fingerprint(_ yaml: String) throws -> String {
            try makeScorer(yaml, context: ScorerContext(judges: ["grader": judge])).fingerprint
        }
        let base = try fingerprint("{type: tone, voice: warm}")
        #expect(try fingerprint("{voice: warm, type: tone, name: other, judge: grader}") == base)
        #expect(try fingerprint("{type: tone, voice: formal}") != base)
        #expect(try fingerprint("{type: tone, voice: warm, avoid: slang}") != base)
        #expect(try fingerprint("{type: rubric_judge, criteria: warm}") != base)
    }

    @Test func configErrorsNameTheLine() async throws {
        let (judge, box) = JudgeHarness.makeJudge(port: 9)
        defer { Task { await box.shutdown() } }
        for (yaml, line, fragment) in [
            ("type: tone\njudge: grader", 2, "needs 'voice'"),
            ("type: tone\njudge: grader\nvoice: ''", 4, "must not be empty"),
            ("type: tone\njudge: grader\nvoice: warm\navoid: []", 5, "at least one"),
            ("type: tone\njudge: grader\nvoice: warm\nrepeats: 50", 5, "between 1 and 20"),
            ("type: tone\njudge: grader\nvoice: warm\ncriteria: x", 5, "unknown field 'criteria'"),
        ] {
            let error = try #require(configError(yaml, context: ScorerContext(judges: ["grader": judge])), "\(yaml)")
            #expect(error.location?.line == line, "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
        }
    }
}
