import AssayCore
import AssayProviders
import AssayScorers
import AssayTestSupport
import Foundation
import Testing

/// A scripted OpenAI-compatible server and a judge named `grader` that calls it.
struct JudgeHarness {
    let server: FakeModelServer
    let judge: JudgeClient
    let box: HTTPClientBox

    /// Starts a server that answers with `answer` (from the last user message) and embeds with `embedding`, or
    /// answers every request with a 500 when `failing`.
    static func start(
        answer: @escaping @Sendable (String) -> String = { _ in "" },
        embedding: @escaping @Sendable (String) -> [Double] = { FakeModelServer.bagOfWords($0) },
        cache: (any ResponseCache)? = nil, failing: Bool = false
    ) async throws -> JudgeHarness {
        var behaviour = FakeModelServer.Behaviour()
        if failing {
            behaviour.faultRate = 1
            behaviour.faults = [.serverError]
        }
        behaviour.answer = answer
        behaviour.embedding = embedding
        let server = FakeModelServer(behaviour: behaviour)
        let port = try await server.start()
        let (judge, box) = makeJudge(port: port, cache: cache)
        return JudgeHarness(server: server, judge: judge, box: box)
    }

    /// A judge at `port` (prices of $1 per token, so any call costs something; two quick attempts).
    static func makeJudge(
        port: Int, name: String = "grader", kind: TargetKind = .openai, cache: (any ResponseCache)? = nil
    ) -> (JudgeClient, HTTPClientBox) {
        var config = TargetConfig(name: name, kind: kind, location: AssayCore.SourceLocation(file: "suite.yaml", line: 3))
        config.baseURL = "http://127.0.0.1:\(port)/v1"
        config.model = "judge"
        config.prices = Prices(input: 1_000_000, output: 1_000_000)
        config.retry = RetryPolicy(maxAttempts: 2, initialDelay: 0.01, maxDelay: 0.05)
        let box = HTTPClientBox(concurrency: 4)
        let target: any Target = kind == .anthropic
            ? AnthropicTarget(config: config, client: box.client) : OpenAITarget(config: config, client: box.client)
        return (JudgeClient(config: config, target: target, cache: cache), box)
    }

    /// Builds a scorer from one rubric entry (line 1 is `rubric:`, the entry starts on line 2).
    func scorer(_ yaml: String, folder: URL? = nil) throws -> any Scorer {
        try makeScorer(yaml, context: ScorerContext(judges: ["grader": judge], suiteFolder: folder))
    }

    /// The prompts the server received, in order.
    var prompts: [String] { server.received.map(\.prompt) }

    func stop() async {
        await server.stop()
        await box.shutdown()
    }
}

/// The data blocks of a judge prompt in order (label, body) and the prompt's text outside them. Only a block whose
/// BEGIN and END markers carry the same label and nonce counts, so a forged END marker inside data does not close
/// a block.
func orderedDelimitedBlocks(_ prompt: String) -> (blocks: [(label: String, body: String)], outside: String) {
    guard let pattern = try? NSRegularExpression(
        pattern: #"<<<BEGIN ([A-Z0-9 ]+) ([0-9a-f]{16})>>>\n(.*?)\n<<<END \1 \2>>>"#, options: [.dotMatchesLineSeparators]
    ) else { return ([], prompt) }
    let ns = prompt as NSString
    var blocks: [(label: String, body: String)] = []
    var outside = prompt as NSString
    for match in pattern.matches(in: prompt, range: NSRange(location: 0, length: ns.length)).reversed() {
        blocks.insert((ns.substring(with: match.range(at: 1)), ns.substring(with: match.range(at: 3))), at: 0)
        outside = outside.replacingCharacters(in: match.range, with: "") as NSString
    }
    return (blocks, outside as String)
}

/// The data blocks of a judge prompt by label (the first block of a label wins) and the text outside them.
func delimitedBlocks(_ prompt: String) -> (outside: String, blocks: [String: String]) {
    let ordered = orderedDelimitedBlocks(prompt)
    var blocks: [String: String] = [:]
    for block in ordered.blocks.reversed() { blocks[block.label] = block.body }
    return (ordered.outside, blocks)
}
