import AssayCore
import AssayProviders
import AssayTestSupport
import Foundation
import Testing

let here = AssayCore.SourceLocation(file: "test.yaml", line: 1)

func folder(_ files: [String: String]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-providers-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in files { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }
    return url
}

@Suite struct TargetTests {
    @Test func openAICompletionParsesToolCallsUsageAndLogprobs() throws {
        let body = """
            {"choices": [{"message": {"content": "hi", "tool_calls": [{"id": "c1", "type": "function",
              "function": {"name": "lookup", "arguments": "{\\"order\\": \\"A1\\"}"}}]}, "finish_reason": "tool_calls",
              "logprobs": {"content": [{"token": "hi", "logprob": -0.1, "top_logprobs": [{"token": "hi", "logprob": -0.1}, {"token": "yo", "logprob": -2.5}]}]}}],
             "usage": {"prompt_tokens": 12, "completion_tokens": 3}}
            """
        let output = try OpenAITarget.parseCompletion(Data(body.utf8))
        #expect(output.text == "hi")
        #expect(output.toolCalls == [ToolCall(id: "c1", name: "lookup", arguments: .object(["order": .string("A1")]))])
        #expect(output.usage == TokenUsage(promptTokens: 12, completionTokens: 3))
        #expect(output.finishReason == "tool_calls")
        #expect(output.logprobs?.first?.top?["yo"] == -2.5)
    }

    @Test(arguments: ["not json", #"{"choices": []}"#])
    func malformedCompletionsAreTransient(body: String) {
        do {
            _ = try OpenAITarget.parseCompletion(Data(body.utf8))
            Issue.record("expected an error")
        } catch let error as ProviderError {
            #expect(error.kind == .transient)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func providerErrorsAreFatalAndStatusesClassified() {
        #expect(throws: ProviderError.self) { _ = try OpenAITarget.parseCompletion(Data(#"{"error": {"message": "bad model"}}"#.utf8)) }
        #expect(ProviderError.http(status: 429, body: "", retryAfter: 2).kind == .rateLimited)
        #expect(ProviderError.http(status: 503, body: "", retryAfter: nil).kind == .transient)
        #expect(ProviderError.http(status: 400, body: "bad", retryAfter: nil).kind == .fatal)
        #expect(ProviderError.http(status: 401, body: String(repeating: "x", count: 500), retryAfter: nil).message.count < 230)
    }

    @Test func cacheKeyChangesWithWhatChangesTheAnswer() {
        var config = TargetConfig(name: "t", kind: .openai, location: here)
        config.baseURL = "http://x/v1"
        config.model = "m"
        let box = HTTPClientBox(concurrency: 1)
        defer { Task { await box.shutdown() } }
        let target = OpenAITarget(config: config, client: box.client)
        let request = ModelRequest(testCase: Case(id: "a", input: .string("q")), messages: [Message(role: "user", content: "q")])
        let key = target.cacheKey(for: request)
        #expect(key?.count == 64)
        #expect(target.cacheKey(for: request) == key, "stable")
        var other = request
        other.sample = 1
        #expect(target.cacheKey(for: other) != key, "sample index is part of the key")
        other = request
        other.messages[0].content = "q2"
        #expect(target.cacheKey(for: other) != key)
        var hotter = config
        hotter.parameters["temperature"] = .number(1)
        #expect(OpenAITarget(config: hotter, client: box.client).cacheKey(for: request) != key)
        var keyed = config
        keyed.apiKeyEnv = "SOME_KEY"
        #expect(OpenAITarget(config: keyed, client: box.client).cacheKey(for: request) == key, "secrets are not part of the key")
    }

    @Test func llamaCppStructuredOutputRewritesTheResponseFormat() {
        var config = TargetConfig(name: "t", kind: .openai, location: here)
        config.model = "m"
        config.structuredOutput = .llamaCpp
        let box = HTTPClientBox(concurrency: 1)
        defer { Task { await box.shutdown() } }
        let schema: JSONValue = .object(["type": .string("object")])
        let request = ModelRequest(
            testCase: Case(id: "a", input: .string("q")), messages: [],
            responseFormat: .object(["type": .string("json_schema"), "json_schema": .object(["name": .string("x"), "schema": schema])])
        )
        let body = OpenAITarget(config: config, client: box.client).body(for: request)
        #expect(body["response_format"] == .object(["type": .string("json_object"), "schema": schema]))
    }

    @Test func httpTargetPostsATemplatedBodyAndReadsTheAnswerPath() async throws {
        let server = FakeModelServer()
        let port = try await server.start()
        defer { Task { await server.stop() } }
        var config = TargetConfig(name: "agent", kind: .http, location: here)
        config.url = "http://127.0.0.1:\(port)/agent"
        config.bodyTemplate = try TextTemplate(#"{"question": "{{input}}"}"#, location: here, escaping: .json)
        config.answerPath = "data.answer"
        config.toolCallsPath = "data.tool_calls"
        config.prices = Prices(input: 1_000_000, output: 0)
        let box = HTTPClientBox(concurrency: 1)
        defer { Task { await box.shutdown() } }
        let target = HTTPTarget(config: config, client: box.client)
        let output = try await target.generate(ModelRequest(testCase: Case(id: "a", input: .string("say \"hi\"")), messages: []))
        #expect(output.text == "Echo: say \"hi\"")
        #expect(output.toolCalls == [ToolCall(name: "lookup", arguments: .object(["q": .string("x")]))])
        #expect(output.cost == 10)
        #expect(server.received.first?.prompt == "say \"hi\"")

        config.answerPath = "data.missing"
        do {
            _ = try await HTTPTarget(config: config, client: box.client).generate(ModelRequest(testCase: Case(id: "a", input: .string("x")), messages: []))
            Issue.record("expected an error")
        } catch let error as ProviderError {
            #expect(error.kind == .fatal)
            #expect(error.message.contains("data.missing"))
        }
    }

    @Test func execTargetSendsTheCaseOnStdinAndReadsJSONOrText() async throws {
        let dir = try folder([
            "agent.py": """
                import json, sys
                request = json.load(sys.stdin)
                question = request["case"]["input"]
                if question == "fail":
                    print("something broke", file=sys.stderr); sys.exit(3)
                if question == "json":
                    print(json.dumps({"output": "structured", "usage": {"prompt_tokens": 2, "completion_tokens": 1}}))
                else:
                    print("plain: " + question + " / " + request["messages"][0]["content"])
                """,
        ])
        var config = TargetConfig(name: "exec", kind: .exec, location: here)
        config.command = ["python3", "agent.py"]
        config.timeout = 20
        let target = ExecTarget(config: config, workingDirectory: dir)
        let plain = try await target.generate(ModelRequest(testCase: Case(id: "a", input: .string("hello")), messages: [Message(role: "user", content: "rendered")]))
        #expect(plain.text == "plain: hello / rendered")
        let json = try await target.generate(ModelRequest(testCase: Case(id: "b", input: .string("json")), messages: [Message(role: "user", content: "x")]))
        #expect(json.text == "structured")
        #expect(json.usage == TokenUsage(promptTokens: 2, completionTokens: 1))
        do {
            _ = try await target.generate(ModelRequest(testCase: Case(id: "c", input: .string("fail")), messages: [Message(role: "user", content: "x")]))
            Issue.record("expected an error")
        } catch let error as ProviderError {
            #expect(error.kind == .fatal)
            #expect(error.message.contains("status 3"))
            #expect(error.message.contains("something broke"))
        }
    }

    @Test func execTargetTimesOut() async throws {
        var config = TargetConfig(name: "slow", kind: .exec, location: here)
        config.command = ["sleep", "5"]
        config.timeout = 0.3
        let target = ExecTarget(config: config, workingDirectory: FileManager.default.temporaryDirectory)
        do {
            _ = try await target.generate(ModelRequest(testCase: Case(id: "a", input: .string("x")), messages: []))
            Issue.record("expected a timeout")
        } catch let error as ProviderError {
            #expect(error.kind == .transient)
            #expect(error.message.contains("timed out"))
        }
    }

    @Test func execTimeoutReturnsEvenWhenAGrandchildHoldsTheOutput() async throws {
        var config = TargetConfig(name: "stuck", kind: .exec, location: here)
        config.command = ["sh", "-c", "sleep 30 & echo started"]
        config.timeout = 1
        let target = ExecTarget(config: config, workingDirectory: FileManager.default.temporaryDirectory)
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let output = try await target.generate(ModelRequest(testCase: Case(id: "a", input: .string("x")), messages: []))
            Issue.record("expected a timeout, got \(output.text)")
        } catch let error as ProviderError {
            #expect(error.message.contains("timed out"))
        }
        #expect(clock.now - start < .seconds(10))
    }

    @Test func aCommandThatIgnoresItsInputDoesNotKillUs() async throws {
        var config = TargetConfig(name: "deaf", kind: .exec, location: here)
        config.command = ["true"]
        config.timeout = 20
        let target = ExecTarget(config: config, workingDirectory: FileManager.default.temporaryDirectory)
        let big = String(repeating: "x", count: 2 << 20)
        let output = try await target.generate(ModelRequest(testCase: Case(id: "a", input: .string(big)), messages: []))
        #expect(output.text == "")
    }

    @Test func execStdinHidesExpectations() throws {
        var config = TargetConfig(name: "exec", kind: .exec, location: here)
        config.command = ["cat"]
        let target = ExecTarget(config: config, workingDirectory: FileManager.default.temporaryDirectory)
        let request = ModelRequest(testCase: Case(id: "a", input: .string("q"), expected: "SECRET", expectedOutcome: .refuse), messages: [])
        let identity = target.cacheIdentity(for: request)?.canonicalText ?? ""
        #expect(!identity.contains("SECRET"))
        #expect(!identity.contains("expected"))
    }

    @Test func recordedTargetServesOutputsAndNamesBadLines() async throws {
        let dir = try folder(["out.jsonl": #"{"id": "a", "output": "recorded A", "latency": 1.5}"# + "\n" + #"{"id": "a", "sample": 1, "text": "second"}"# + "\n"])
        var config = TargetConfig(name: "rec", kind: .recorded, location: here)
        config.recordedPath = dir.appendingPathComponent("out.jsonl")
        let target = try RecordedTarget(config: config)
        let a = try await target.generate(ModelRequest(testCase: Case(id: "a", input: .string("")), messages: []))
        #expect(a.text == "recorded A")
        #expect(a.latency == 1.5)
        let second = try await target.generate(ModelRequest(testCase: Case(id: "a", input: .string("")), messages: [], sample: 1))
        #expect(second.text == "second")
        #expect(target.cacheKey(for: ModelRequest(testCase: Case(id: "a", input: .string("")), messages: [])) == nil)
        await #expect(throws: ProviderError.self) {
            _ = try await target.generate(ModelRequest(testCase: Case(id: "missing", input: .string("")), messages: []))
        }

        let bad = try folder(["out.jsonl": #"{"id": "a", "output": "x"}"# + "\n" + #"{"output": "no id"}"# + "\n"])
        config.recordedPath = bad.appendingPathComponent("out.jsonl")
        do {
            _ = try RecordedTarget(config: config, displayPath: "out.jsonl")
            Issue.record("expected an error")
        } catch let error as AssayError {
            #expect(error.location?.line == 2)
            #expect(error.field == "id")
        }
    }

}

@Suite struct AnthropicTargetTests {
    func config(port: Int, stream: Bool) -> TargetConfig {
        var config = TargetConfig(name: "claude", kind: .anthropic, location: here)
        config.baseURL = "http://127.0.0.1:\(port)/v1"
        config.model = "claude-test"
        config.apiKeyEnv = "FAKE_ANTHROPIC_KEY"
        config.stream = stream
        config.prices = Prices(input: 1_000_000, output: 1_000_000)
        config.tools = .array([.object(["type": .string("function"), "function": .object(["name": .string("get_weather"), "parameters": .object(["type": .string("object")])])])])
        return config
    }

    @Test(arguments: [false, true])
    func messagesAPIWithToolUse(stream: Bool) async throws {
        let server = FakeModelServer()
        let port = try await server.start()
        defer { Task { await server.stop() } }
        let box = HTTPClientBox(concurrency: 1)
        defer { Task { await box.shutdown() } }
        let target = AnthropicTarget(config: config(port: port, stream: stream), client: box.client, environment: ["FAKE_ANTHROPIC_KEY": "k"])
        let request = ModelRequest(
            testCase: Case(id: "w", input: .string("weather")),
            messages: [Message(role: "system", content: "Be brief."), Message(role: "user", content: "What is the weather in Paris?")]
        )
        let body = target.body(for: request)
        #expect(body["system"] == .string("Be brief."))
        #expect(body["messages"]?.arrayValue?.count == 1)
        #expect(body["tools"]?.arrayValue?.first?["input_schema"] != nil)
        let output = try await target.generate(request)
        #expect(output.text.trimmingCharacters(in: .whitespaces) == "Echo: What is the weather in Paris?")
        #expect(output.toolCalls == [ToolCall(id: "toolu_1", name: "get_weather", arguments: .object(["city": .string("Paris")]))])
        #expect(output.usage == TokenUsage(promptTokens: 11, completionTokens: 7))
        #expect(output.cost == 18)
        #expect(output.finishReason == "tool_use")
        if stream { #expect(output.timeToFirstToken != nil) }
    }

    @Test func missingKeyIsFatal() async throws {
        let box = HTTPClientBox(concurrency: 1)
        defer { Task { await box.shutdown() } }
        let target = AnthropicTarget(config: config(port: 9, stream: false), client: box.client, environment: [:])
        do {
            _ = try await target.generate(ModelRequest(testCase: Case(id: "a", input: .string("x")), messages: [Message(role: "user", content: "x")]))
            Issue.record("expected an error")
        } catch let error as ProviderError {
            #expect(error.kind == .fatal)
            #expect(error.message.contains("FAKE_ANTHROPIC_KEY"))
        }
    }

    @Test func errorObjectsAndTruncatedStreams() throws {
        #expect(throws: ProviderError.self) { _ = try AnthropicTarget.parseMessage(Data(#"{"type":"error","error":{"message":"overloaded"}}"#.utf8)) }
        #expect(throws: ProviderError.self) { _ = try AnthropicTarget.parseMessage(Data("nope".utf8)) }
        #expect(ProviderError.http(status: 529, body: "overloaded", retryAfter: nil).kind == .transient)
    }
}
