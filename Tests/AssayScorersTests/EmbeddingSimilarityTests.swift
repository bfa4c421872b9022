import AssayCore
import AssayProviders
import AssayScorers
import AssayTestSupport
import Foundation
import Testing

@Suite(.serialized) struct EmbeddingSimilarityTests {
    static let refund = Case(id: "e1", input: .string("How long do I have?"), expected: "Refunds are accepted within 30 days of purchase.")

    @Test func identicalTextScoresOneAndUnrelatedTextScoresLower() async throws {
        let harness = try await JudgeHarness.start()
        defer { Task { await harness.stop() } }
        let scorer = try harness.scorer("{type: embedding_similarity, embedder: grader}")

        let same = await scorer.score(Self.refund, Output(text: "Refunds are accepted within 30 days of purchase."))
        let close = await scorer.score(Self.refund, Output(text: "Refunds are accepted within 30 days."))
        let unrelated = await scorer.score(Self.refund, Output(text: "The cat sat on the mat."))

        #expect(abs((same.value ?? 0) - 1) < 1e-9)
        #expect(same.passed == true)
        #expect((close.value ?? 0) > (unrelated.value ?? 1))
        #expect((unrelated.value ?? 1) < 0.5 && unrelated.passed == false)
        #expect(unrelated.explanation.contains("cosine similarity"), "\(unrelated.explanation)")
        // Both texts embedded on the first score (prompt tokens charged), only the new output afterwards
        #expect(same.calls == 2 && same.usage?.promptTokens ?? 0 > 0 && same.cost > 0)
        #expect(scorer.plannedCalls == 2)
    }

    @Test func cachedEmbeddingsMakeNoCalls() async throws {
        // Given a response cache shared by two scorers with the same embedder
        let cache = MemoryCache()
        let harness = try await JudgeHarness.start(cache: cache)
        defer { Task { await harness.stop() } }
        let scorer = try harness.scorer("{type: embedding_similarity, embedder: grader}")
        let first = await scorer.score(Self.refund, Output(text: "Within 30 days."))

        // When the same output is scored again, even by a new scorer
        let again = try harness.scorer("{type: embedding_similarity, embedder: grader, threshold: 0.9}")
        let second = await again.score(Self.refund, Output(text: "Within 30 days."))
        let newOutput = await again.score(Self.refund, Output(text: "Thirty days."))

        // Then the vectors come from the cache: no call, the same value, the cost at today's prices
        #expect(first.calls == 2)
        #expect(second.calls == 0)
        #expect(second.usage == nil)
        #expect(second.value == first.value)
        #expect(second.cost == first.cost)
        #expect(newOutput.calls == 1, "the reference is cached, the new output is not")
        #expect(harness.server.received.count == 3)
    }

    @Test func undefinedCosinesAreUnmeasured() async throws {
        // Given an embedder with vectors of other lengths, zero vectors and empty vectors for some words
        let harness = try await JudgeHarness.start(embedding: { text in
            switch text {
            case _ where text.contains("short"): [1, 2]
            case _ where text.contains("zero"): [0, 0, 0, 0]
            case _ where text.contains("four"): [1, 2, 3, 4]
            case _ where text.contains("empty"): []
            default: FakeModelServer.bagOfWords(text)
            }
        })
        defer { Task { await harness.stop() } }
        let scorer = try harness.scorer("{type: embedding_similarity, embedder: grader}")

        for (output, expected, fragment) in [
            ("a short answer", "a longer reference", "different dimensions"),
            ("zero", "four", "output embedding is a zero vector"),
            ("?!", "words", "output embedding is a zero vector"),
            ("empty", "empty too", "embedding is empty"),
            ("  \n", "words", "output is empty"),
        ] {
            let score = await scorer.score(Case(id: "u", input: .string("q"), expected: expected), Output(text: output))
            #expect(!score.status.isScored && score.passed == nil && score.value == nil)
            #expect(score.explanation.contains(fragment), "\(output): \(score.explanation)")
        }
        let noReference = await scorer.score(Case(id: "n", input: .string("q")), Output(text: "hello"))
        #expect(noReference.status.reason == "case has no expected answer")
        #expect(noReference.calls == 0)
    }

    @Test func negativeCosineCountsAsZero() async throws {
        let harness = try await JudgeHarness.start(embedding: { $0.contains("up") ? [1, 0] : [-1, 0.5] })
        defer { Task { await harness.stop() } }
        let scorer = try harness.scorer("{type: embedding_similarity, embedder: grader, value: up}")
        let score = await scorer.score(Case(id: "v", input: .string("q")), Output(text: "down"))
        #expect(score.value == 0 && score.passed == false)
        #expect(score.explanation.contains("raw cosine -0.894 counts as 0"), "\(score.explanation)")
    }

    @Test func aFailingEmbedderIsUnmeasured() async throws {
        let harness = try await JudgeHarness.start(failing: true)
        defer { Task { await harness.stop() } }
        let scorer = try harness.scorer("{type: embedding_similarity, embedder: grader}")
        let score = await scorer.score(Self.refund, Output(text: "30 days"))
        #expect(score.status.reason?.contains("could not embed the reference: judge 'grader' failed: HTTP 500") == true, "\(score.explanation)")
        #expect(score.calls == 2, "both attempts of the retry policy are counted")
    }

    @Test func configErrorsNameTheLine() async throws {
        let (openai, box) = JudgeHarness.makeJudge(port: 9)
        let (anthropic, otherBox) = JudgeHarness.makeJudge(port: 9, name: "claude", kind: .anthropic)
        defer { Task { await box.shutdown(); await otherBox.shutdown() } }
        let judges = ["grader": openai, "claude": anthropic]
        for (yaml, line, fragment) in [
            ("type: embedding_similarity\nembedder: claude", 3, "embedder 'claude' has provider anthropic"),
            ("type: embedding_similarity\nthreshold: 0.5", 2, "needs 'embedder: NAME'"),
            ("type: embedding_similarity\nembedder: gradr", 3, "did you mean 'grader'"),
            ("type: embedding_similarity\nembedder: grader\nthreshold: 2", 4, "between 0 and 1"),
            ("type: embedding_similarity\nembedder: grader\njudge: grader", 4, "unknown field 'judge'"),
        ] {
            let error = try #require(configError(yaml, context: ScorerContext(judges: judges)), "\(yaml)")
            #expect(error.category == .config)
            #expect(error.location?.line == line, "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test func embeddingResponsesAreParsedStrictly() throws {
        // Items out of order are put back by index; base64 float32 is decoded; usage is the prompt tokens.
        let floats: [Float] = [0.5, -2]
        let base64 = floats.withUnsafeBufferPointer { Data(buffer: $0) }.base64EncodedString()
        let body = #"{"data": [{"index": 1, "embedding": "\#(base64)"}, {"index": 0, "embedding": [1, 2, 3]}], "usage": {"prompt_tokens": 7, "total_tokens": 7}}"#
        let parsed = try OpenAITarget.parseEmbeddings(Data(body.utf8), count: 2)
        #expect(parsed.vectors == [[1, 2, 3], [0.5, -2]])
        #expect(parsed.usage == TokenUsage(promptTokens: 7, completionTokens: 0))

        // One vector per token (llama.cpp without pooling) is mean-pooled; ragged rows are not a vector.
        let perToken = #"{"data": [{"embedding": [[1, 2], [3, 4]]}, {"embedding": [[0, 1]]}]}"#
        #expect(try OpenAITarget.parseEmbeddings(Data(perToken.utf8), count: 2).vectors == [[2, 3], [0, 1]])

        for (bad, kind) in [
            (#"{"data": [{"embedding": [[1, 2], [3]]}, {"embedding": [1]}]}"#, ProviderError.Kind.fatal),
            (#"{"data": [{"embedding": [[1, 2], 3]}, {"embedding": [1]}]}"#, .fatal),
            (#"{"data": [{"embedding": [1]}]}"#, .fatal),
            (#"{"data": [{"embedding": ["x"]}, {"embedding": [1]}]}"#, .fatal),
            (#"{"data": [{"index": 0, "embedding": [1]}, {"index": 0, "embedding": [1]}]}"#, .fatal),
            (#"{"error": {"message": "no such model"}}"#, .fatal),
            (#"{"object": "list"}"#, .transient),
            ("not json", .transient),
        ] {
            #expect(throws: ProviderError.self, "\(bad)") { try OpenAITarget.parseEmbeddings(Data(bad.utf8), count: 2) }
            do {
                _ = try OpenAITarget.parseEmbeddings(Data(bad.utf8), count: 2)
            } catch let error as ProviderError {
                #expect(error.kind == kind, "\(bad): \(error)")
            }
        }
    }
}
