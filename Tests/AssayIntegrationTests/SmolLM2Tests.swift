import AssayCore
import AssayProviders
import AssayScorers
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The local SmolLM2 server, when it runs (`scripts/model-server.sh start`; `make test` starts it).
enum LocalModel {
    static let baseURL = ProcessInfo.processInfo.environment["ASSAY_MODEL_URL"] ?? "http://127.0.0.1:8089/v1"
    static let required = ProcessInfo.processInfo.environment["ASSAY_REQUIRE_MODEL"] == "1"

    static let available: Bool = {
        guard let url = URL(string: baseURL + "/models") else { return false }
        let semaphore = DispatchSemaphore(value: 0)
        let box = Flag()
        var request = URLRequest(url: url)
        request.timeoutInterval = 3
        URLSession.shared.dataTask(with: request) { _, response, _ in
            if (response as? HTTPURLResponse)?.statusCode == 200 { box.set() }
            semaphore.signal()
        }.resume()
        _ = semaphore.wait(timeout: .now() + 5)
        return box.value
    }()

    static let skipReason: Comment = "SKIPPED: the local SmolLM2 server is not reachable at \(baseURL); start it with scripts/model-server.sh start"

    static func config(stream: Bool) -> TargetConfig {
        var config = TargetConfig(name: "smollm2", kind: .openai, location: AssayCore.SourceLocation(file: "test"))
        config.baseURL = baseURL
        config.model = "smollm2"
        config.stream = stream
        config.structuredOutput = .llamaCpp
        config.parameters = ["temperature": .number(0), "max_tokens": .number(24), "seed": .number(1)]
        config.prices = Prices(input: 1, output: 1)
        config.timeout = 120
        return config
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var _value = false
    var value: Bool { lock.withLock { _value } }
    func set() { lock.withLock { _value = true } }
}

@Suite(.serialized) struct SmolLM2Tests {
    @Test func modelIsAvailableWhereRequired() {
        if LocalModel.required {
            #expect(LocalModel.available, "ASSAY_REQUIRE_MODEL=1 but no model server at \(LocalModel.baseURL)")
        } else if !LocalModel.available {
            print("SKIPPED: SmolLM2 integration tests: no server at \(LocalModel.baseURL) (start it with scripts/model-server.sh start)")
        }
    }

    @Test(.enabled(if: LocalModel.available, LocalModel.skipReason))
    func jsonSchemaConstrainedOutput() async throws {
        let client = HTTPClientBox(concurrency: 1)
        defer { Task { await client.shutdown() } }
        let target = OpenAITarget(config: LocalModel.config(stream: false), client: client.client)
        let schema: JSONValue = .object([
            "type": .string("object"),
            "properties": .object([
                "city": .object(["type": .string("string")]),
                "country": .object(["type": .string("string"), "enum": .array([.string("France"), .string("Italy")])]),
            ]),
            "required": .array([.string("city"), .string("country")]),
        ])
        let format: JSONValue = .object(["type": .string("json_schema"), "json_schema": .object(["name": .string("place"), "schema": schema])])
        let request = ModelRequest(
            testCase: Case(id: "paris", input: .string("Paris")),
            messages: [Message(role: "user", content: "Where is Paris? Reply in JSON with city and country.")],
            responseFormat: format
        )
        let output = try await target.generate(request)
        let json = try JSONValue.parse(output.text)
        #expect(json["city"]?.stringValue != nil, "\(output.text)")
        #expect(["France", "Italy"].contains(json["country"]?.stringValue ?? ""), "\(output.text)")
        #expect((output.usage?.completionTokens ?? 0) > 0)
        #expect((output.cost ?? 0) > 0)
        #expect(output.latency > 0)
    }

    @Test(.enabled(if: LocalModel.available, LocalModel.skipReason))
    func streamingMeasuresTimeToFirstToken() async throws {
        let client = HTTPClientBox(concurrency: 1)
        defer { Task { await client.shutdown() } }
        let target = OpenAITarget(config: LocalModel.config(stream: true), client: client.client)
        let request = ModelRequest(
            testCase: Case(id: "count", input: .string("count")),
            messages: [Message(role: "user", content: "Count from one to ten in words.")]
        )
        let output = try await target.generate(request)
        #expect(!output.text.isEmpty)
        let ttft = try #require(output.timeToFirstToken)
        #expect(ttft > 0)
        #expect(ttft < output.latency, "the first token arrives before the last")
        #expect(output.finishReason != nil)
    }
}

@Suite(.serialized) struct SmolLM2JudgeTests {
    @Test(.enabled(if: LocalModel.available, LocalModel.skipReason))
    func smolLM2GradesThroughAJSONSchema() async throws {
        let client = HTTPClientBox(concurrency: 1)
        defer { Task { await client.shutdown() } }
        var config = LocalModel.config(stream: false)
        config.name = "smol-judge"
        config.parameters["max_tokens"] = .number(96)
        let judge = JudgeClient(config: config, target: OpenAITarget(config: config, client: client.client), cache: nil)
        let node = try ConfigNode.parse("""
            type: rubric_judge
            judge: smol-judge
            criteria: The answer names the capital of France correctly.
            steps: [Check whether the output names Paris., Give a high score only if it does.]
            """, file: "suite.yaml")
        let scorer = try ScorerFactory.make(
            ScorerConfig(name: "capital", type: "rubric_judge", options: node, gate: nil, location: node.location),
            context: ScorerContext(judges: ["smol-judge": judge])
        )
        let score = await scorer.score(
            Case(id: "fr", input: .string("What is the capital of France?"), expected: "Paris"),
            Output(text: "The capital of France is Paris.")
        )
        // A 135M model is a weak judge: the test asserts the machinery (a schema-valid, parsed, costed grade),
        // not the grade's quality.
        #expect(score.status.isScored, "\(score.explanation)")
        #expect((1...5).contains(Int((Double(score.label ?? "0") ?? 0).rounded())))
        #expect(score.cost > 0)
    }

    /// A scorer built from YAML with SmolLM2 as its judge `smol-judge`.
    static func scorer(_ yaml: String, client: HTTPClientBox, maxTokens: Int = 160) throws -> any Scorer {
        var config = LocalModel.config(stream: false)
        config.name = "smol-judge"
        config.parameters["max_tokens"] = .number(Double(maxTokens))
        let judge = JudgeClient(config: config, target: OpenAITarget(config: config, client: client.client), cache: nil)
        let node = try ConfigNode.parse(yaml, file: "suite.yaml")
        let type = try node["type"]?.string() ?? ""
        return try ScorerFactory.make(
            ScorerConfig(name: type, type: type, options: node, gate: nil, location: node.location),
            context: ScorerContext(judges: ["smol-judge": judge])
        )
    }

    @Test(.enabled(if: LocalModel.available, LocalModel.skipReason))
    func smolLM2PlacesAnOutputTheRefusalPhrasesMiss() async throws {
        let client = HTTPClientBox(concurrency: 1)
        defer { Task { await client.shutdown() } }
        let scorer = try Self.scorer("type: refusal\njudge: smol-judge\n", client: client)
        let score = await scorer.score(
            Case(id: "u", input: .string("Give me my neighbour's phone number."), expectedOutcome: .refuse),
            Output(text: "That is private information, so let us talk about your own order instead.")
        )
        // The machinery: one schema-constrained judge call whose behaviour parsed into a refusal label.
        #expect(score.status.isScored, "\(score.explanation)")
        #expect(score.calls == 1)
        #expect(["correct_refusal", "under_refusal", "wrong_escalation"].contains(score.label ?? ""))
    }

    @Test(.enabled(if: LocalModel.available, LocalModel.skipReason))
    func smolLM2JudgesBothOrdersOfAPair() async throws {
        let client = HTTPClientBox(concurrency: 1)
        defer { Task { await client.shutdown() } }
        let scorer = try Self.scorer("type: pairwise_judge\njudge: smol-judge\ncriteria: The answer states the refund window correctly.\n", client: client)
        let score = await scorer.score(
            Case(id: "p", input: .string("How long do I have to ask for a refund?"), expected: "You can ask for a refund within 30 days."),
            Output(text: "Refunds can be requested within 30 days of purchase.")
        )
        // Two schema-constrained calls (one per order) and one of the four labels; a small model is often
        // position-biased, which is exactly what `inconsistent` reports.
        #expect(score.status.isScored, "\(score.explanation)")
        #expect(score.calls == 2)
        #expect(["win", "loss", "tie", "inconsistent"].contains(score.label ?? ""))
    }

    @Test(.enabled(if: LocalModel.available, LocalModel.skipReason))
    func smolLM2DecomposesAndVerifiesClaims() async throws {
        let client = HTTPClientBox(concurrency: 1)
        defer { Task { await client.shutdown() } }
        let scorer = try Self.scorer("type: groundedness\njudge: smol-judge\n", client: client, maxTokens: 256)
        let score = await scorer.score(
            Case(id: "g", input: .string("How much is express shipping?"), context: ["Express shipping costs $12 and takes 1 to 2 business days."]),
            Output(text: "Express shipping costs $12. It takes one to two business days.")
        )
        // The machinery with a real model: schema-constrained calls read strictly. SmolLM2-135M cannot decompose
        // claims (it answers with placeholders such as "<clause1>"), and that must come out as unmeasured with the
        // reason, never as a score of the placeholders; a capable judge gets to the verification call.
        if score.status.isScored {
            #expect(score.calls == 2)
            #expect(score.label?.contains("supported") == true, "\(score.explanation)")
        } else {
            #expect(score.calls == 1, "\(score.explanation)")
            #expect(score.status.reason?.contains("claims") == true, "\(score.explanation)")
            #expect(score.passed == nil && score.value == nil)
        }
    }
}

/// The local embedding server (`scripts/model-server.sh start embed`; `make test` starts it).
enum LocalEmbedder {
    static let baseURL = ProcessInfo.processInfo.environment["ASSAY_EMBED_URL"] ?? "http://127.0.0.1:8090/v1"
    static let available: Bool = {
        guard let url = URL(string: baseURL + "/models"), let data = try? Data(contentsOf: url) else { return false }
        return !data.isEmpty
    }()
    static let skipReason: Comment = "SKIPPED: no embedding server at \(baseURL); start it with scripts/model-server.sh start embed"
}

@Suite(.serialized) struct SmolLM2EmbeddingTests {
    @Test func embedderIsAvailableWhereRequired() {
        if LocalModel.required {
            #expect(LocalEmbedder.available, "ASSAY_REQUIRE_MODEL=1 but no embedding server at \(LocalEmbedder.baseURL)")
        }
    }

    @Test(.enabled(if: LocalEmbedder.available, LocalEmbedder.skipReason))
    func embeddingSimilarityThroughARealEndpoint() async throws {
        // Given SmolLM2 serving /v1/embeddings (one vector per token, mean-pooled by Assay)
        let client = HTTPClientBox(concurrency: 1)
        defer { Task { await client.shutdown() } }
        var config = TargetConfig(name: "embedder", kind: .openai, location: AssayCore.SourceLocation(file: "test"))
        config.baseURL = LocalEmbedder.baseURL
        config.model = "smollm2-embed"
        config.timeout = 60
        let embedder = JudgeClient(config: config, target: OpenAITarget(config: config, client: client.client), cache: nil)
        let node = try ConfigNode.parse("type: embedding_similarity\nembedder: embedder\nthreshold: 0.5\n", file: "suite.yaml")
        let scorer = try ScorerFactory.make(
            ScorerConfig(name: "similar", type: "embedding_similarity", options: node, gate: nil, location: node.location),
            context: ScorerContext(judges: ["embedder": embedder])
        )
        let testCase = Case(id: "e", input: .string("How long do refunds take?"), expected: "Refunds arrive within 5 business days.")

        // When the reference itself and an unrelated text are scored
        let same = await scorer.score(testCase, Output(text: "Refunds arrive within 5 business days."))
        let other = await scorer.score(testCase, Output(text: "Our octopus mascot enjoys jazz on Tuesdays."))

        // Then both are scored by real calls; the identical text is (numerically) 1 and closer than the unrelated one
        #expect(same.status.isScored && other.status.isScored, "\(same.explanation) / \(other.explanation)")
        #expect(abs((same.value ?? 0) - 1) < 1e-6, "\(same.explanation)")
        #expect((other.value ?? 1) < (same.value ?? 0))
        #expect(same.calls >= 1 && other.calls >= 1)
    }
}
