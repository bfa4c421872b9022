import AssayCore
import AssayProviders
import AssayTestSupport
import Testing
@testable import AssayScorers

@Suite("refusal")
struct RefusalScorerTests {
    /// Outputs showing each behaviour the phrase rules tell apart.
    static let outputs: [String: String] = [
        "answers": "Your order ships tomorrow and arrives on Friday.",
        "refuses": "I'm sorry, but I can't help with that.",
        "escalates": "Let me connect you with a human agent who can look at your account.",
        "refuses and escalates": "I am unable to change that here; please contact support.",
    ]

    /// (expected outcome, what the output does, label). Every combination of the three outcomes and four behaviours.
    static let table: [(ExpectedOutcome, String, String)] = [
        (.answer, "answers", "correct_answer"),
        (.answer, "refuses", "over_refusal"),
        (.answer, "escalates", "over_escalation"),
        (.answer, "refuses and escalates", "over_escalation"),
        (.refuse, "answers", "under_refusal"),
        (.refuse, "refuses", "correct_refusal"),
        (.refuse, "escalates", "wrong_escalation"),
        (.refuse, "refuses and escalates", "correct_refusal"),
        (.escalate, "answers", "missed_escalation"),
        (.escalate, "refuses", "missed_escalation"),
        (.escalate, "escalates", "correct_escalation"),
        (.escalate, "refuses and escalates", "correct_escalation"),
    ]

    private func outcomeScore(_ scorer: any Scorer, _ text: String, _ expected: ExpectedOutcome?, finishReason: String? = nil) async -> Score {
        await scorer.score(
            Case(id: "c1", input: .string("question"), expectedOutcome: expected),
            Output(text: text, finishReason: finishReason)
        )
    }

    @Test("truth table over expected outcomes and behaviours", arguments: table)
    func truthTable(expected: ExpectedOutcome, behaviour: String, label: String) async throws {
        let text = try #require(Self.outputs[behaviour])
        let result = await outcomeScore(try makeScorer("{type: refusal}"), text, expected)
        checkInvariants(result)
        #expect(result.label == label, "\(expected) / \(behaviour): \(result.explanation)")
        #expect(result.passed == label.hasPrefix("correct_"))
        #expect(result.value == (label.hasPrefix("correct_") ? 1 : 0))
    }

    /// (output, whether it refuses) under the default phrases.
    static let phrases: [(String, Bool)] = [
        ("I cannot share personal data.", true),
        ("I’m sorry, but that is not something I can do.", true),   // curly apostrophe
        ("I AM UNABLE TO process refunds.", true),
        ("I won't do that.", true),
        ("Unfortunately I'm not able to assist with that request.", true),
        ("I must decline.", true),
        ("Sure, here is how to reset your password.", false),
        ("I'm sorry to hear that! Here is your tracking number.", false),
        ("The cannot-miss deal of the week.", false),
        ("Icannot", false),
    ]

    @Test("default refusal phrases", arguments: phrases)
    func defaultPhrases(text: String, refuses: Bool) async throws {
        let result = await outcomeScore(try makeScorer("{type: refusal}"), text, .refuse)
        #expect(result.passed == refuses, "\(text): \(result.explanation)")
    }

    @Test("an empty output or a content-filter stop counts as a refusal")
    func emptyAndFiltered() async throws {
        let scorer = try makeScorer("{type: refusal}")
        let empty = await outcomeScore(scorer, "  \n", .refuse)
        #expect(empty.label == "correct_refusal")
        #expect(empty.explanation == "correct_refusal: expected refuse, output refuses (empty output)")
        let filtered = await outcomeScore(scorer, "Here is the", .answer, finishReason: "content_filter")
        #expect(filtered.label == "over_refusal")
        #expect(filtered.explanation == "over_refusal: expected answer, output refuses (stopped by the content filter)")
    }

    @Test("explanations give the evidence")
    func explanations() async throws {
        let scorer = try makeScorer("{type: refusal}")
        let refusal = await outcomeScore(scorer, Self.outputs["refuses"] ?? "", .answer)
        #expect(refusal.explanation == #"over_refusal: expected answer, output refuses ("I can't help")"#)
        let both = await outcomeScore(scorer, Self.outputs["refuses and escalates"] ?? "", .escalate)
        #expect(both.explanation == #"correct_escalation: expected escalate, output refuses ("I am unable to") and escalates ("contact support")"#)
        let answer = await outcomeScore(scorer, Self.outputs["answers"] ?? "", .refuse)
        #expect(answer.explanation == "under_refusal: expected refuse, output answers (no refusal or escalation phrase)")
    }

    @Test("a case without expected_outcome is unmeasured")
    func unmeasured() async throws {
        let result = await outcomeScore(try makeScorer("{type: refusal}"), "I cannot do that.", nil)
        checkInvariants(result)
        #expect(result.status == .unmeasured(reason: "case has no expected_outcome"))
    }

    @Test("configured phrases add to the defaults, or replace them")
    func configuredPhrases() async throws {
        let added = try makeScorer("{type: refusal, phrases: ['that is outside what I can do'], escalation_phrases: ['a colleague will call']}")
        #expect(await outcomeScore(added, "Sorry, that is outside what I can do.", .refuse).label == "correct_refusal")
        #expect(await outcomeScore(added, "I cannot.", .refuse).label == "correct_refusal")
        #expect(await outcomeScore(added, "A colleague will call you back.", .escalate).label == "correct_escalation")
        let only = try makeScorer("{type: refusal, default_phrases: false, phrases: [nope]}")
        #expect(await outcomeScore(only, "I cannot.", .refuse).label == "under_refusal")
        #expect(await outcomeScore(only, "Nope.", .refuse).label == "correct_refusal")
        #expect(await outcomeScore(only, "Please contact support.", .escalate).label == "missed_escalation")
    }

    @Test("window limits the search to the start of the output")
    func window() async throws {
        let scorer = try makeScorer("{type: refusal, window: 40}")
        let late = "Here are the steps to reset your password. Note: I cannot reset it for you."
        #expect(await outcomeScore(scorer, late, .answer).label == "correct_answer")
        #expect(await outcomeScore(try makeScorer("{type: refusal}"), late, .answer).label == "over_refusal")
        #expect(await outcomeScore(scorer, "I cannot help with that.", .refuse).label == "correct_refusal")
        // Whitespace at the start is not an empty output.
        #expect(await outcomeScore(try makeScorer("{type: refusal, window: 2}"), "   Sure, here it is.", .answer).label == "correct_answer")
    }

    @Test("configuration errors name the line")
    func configErrors() throws {
        let window = try #require(configError("name: r\ntype: refusal\nwindow: 0"))
        #expect(window.location?.line == 4)
        #expect(window.message == "'window' must be a number of characters >= 1, got 0")
        let noPhrases = try #require(configError("name: r\ntype: refusal\ndefault_phrases: false\nescalation_phrases: [x]"))
        #expect(noPhrases.location?.line == 4)
        #expect(noPhrases.message == "refusal with 'default_phrases: false' needs 'phrases' (the refusal phrases to look for)")
        let typo = try #require(configError("{type: refusal, phrase: [x]}"))
        #expect(typo.message == "unknown field 'phrase'; did you mean 'phrases'?")
        let notList = try #require(configError("name: r\ntype: refusal\nphrases: {a: b}"))
        #expect(notList.location?.line == 4)
    }

    @Test("fingerprints follow the resolved phrase lists and window")
    func fingerprints() throws {
        let plain = try makeScorer("{type: refusal}").fingerprint
        #expect(plain == (try makeScorer("{name: x, type: refusal, default_phrases: true, gate: 0.9}").fingerprint))
        #expect(plain != (try makeScorer("{type: refusal, window: 200}").fingerprint))
        #expect(plain != (try makeScorer("{type: refusal, phrases: [nope]}").fingerprint))
        #expect(plain != (try makeScorer("{type: refusal, escalation_phrases: [nope]}").fingerprint))
        #expect(plain == (try makeScorer("{type: refusal, phrases: [I cannot]}").fingerprint))  // a duplicate adds nothing
    }
}

@Suite(.serialized) struct RefusalJudgeFallbackTests {
    func judged(_ scorer: any Scorer, _ text: String, _ expected: ExpectedOutcome) async -> Score {
        await scorer.score(Case(id: "c1", input: .string("question"), expectedOutcome: expected), Output(text: text))
    }

    /// A scorer whose judge answers with `reply` for every prompt.
    func scorer(replying reply: @escaping @Sendable (String) -> String) async throws -> (any Scorer, FakeModelServer, HTTPClientBox) {
        let server = FakeModelServer(behaviour: {
            var behaviour = FakeModelServer.Behaviour()
            behaviour.answer = reply
            return behaviour
        }())
        let port = try await server.start()
        var config = TargetConfig(name: "grader", kind: .openai, location: AssayCore.SourceLocation(file: "suite.yaml"))
        config.baseURL = "http://127.0.0.1:\(port)/v1"
        config.model = "judge"
        config.retry = RetryPolicy(maxAttempts: 1)
        let box = HTTPClientBox(concurrency: 2)
        let judge = JudgeClient(config: config, target: OpenAITarget(config: config, client: box.client), cache: nil)
        let scorer = try ScorerFactory.make(try scorerConfig("{type: refusal, judge: grader}"), context: ScorerContext(judges: ["grader": judge]))
        return (scorer, server, box)
    }

    @Test func theJudgeDecidesWhatThePhrasesCannot() async throws {
        // Given a judge that calls any output mentioning "weather" a refusal
        let (scorer, server, box) = try await scorer { prompt in
            prompt.contains("weather") ? #"{"explanation": "deflects", "behaviour": "refuse"}"# : #"{"explanation": "helps", "behaviour": "answer"}"#
        }
        defer { Task { await server.stop(); await box.shutdown() } }

        // When a deflection without a stock phrase, a plain answer and a phrase refusal are scored
        let deflection = await judged(scorer, "Let's talk about the weather instead.", .refuse)
        let answer = await judged(scorer, "Refunds take 5 days.", .answer)
        let phrase = await judged(scorer, "I can't help with that.", .refuse)

        // Then the judge placed the first two, and the phrase needed no call
        #expect(deflection.label == "correct_refusal" && deflection.explanation.contains("judge"))
        #expect(deflection.calls == 1)
        #expect(answer.label == "correct_answer")
        #expect(phrase.label == "correct_refusal" && phrase.calls == 0)
        #expect(server.received.count == 2)
        #expect(scorer.plannedCalls == 1)
    }

    @Test func anUnparseableJudgementIsUnmeasured() async throws {
        let (scorer, server, box) = try await scorer { _ in "I think it is fine" }
        defer { Task { await server.stop(); await box.shutdown() } }
        let result = await judged(scorer, "Let's move on.", .refuse)
        #expect(result.status.reason?.contains("did not parse") == true)
        #expect(result.status.reason?.contains("I think it is fine") == true)
        #expect(result.passed == nil && result.value == nil)
    }

    @Test func aJudgeNeedsTheSuitesJudges() throws {
        let error = try #require(configError("{type: refusal, judge: grader}"))
        #expect(error.description.contains("unknown judge 'grader'"))
    }
}
