import Foundation

/// Token counts reported by a provider.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// Tokens generated.
    public var completionTokens: Int
    /// Prompt plus completion.
    public var totalTokens: Int { promptTokens + completionTokens }

    /// Creates a usage record.
    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }

    /// Both counts added.
    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(promptTokens: lhs.promptTokens + rhs.promptTokens, completionTokens: lhs.completionTokens + rhs.completionTokens)
    }

    /// The sum of some usage records; nil when there are none (unknown, not zero).
    public static func sum(_ records: some Sequence<TokenUsage>) -> TokenUsage? {
        records.reduce(nil) { total, record in total.map { $0 + record } ?? record }
    }
}

/// The log-probability of one generated token and its top alternatives.
public struct TokenLogprob: Sendable, Hashable, Codable {
    /// The token text.
    public var token: String
    /// Its natural-log probability.
    public var logprob: Double
    /// The most likely alternatives at this position, when requested.
    public var top: [String: Double]?

    /// Creates a token log-probability.
    public init(token: String, logprob: Double, top: [String: Double]? = nil) {
        self.token = token
        self.logprob = logprob
        self.top = top
    }
}

/// What a target produced for one trial.
public struct Output: Sendable, Hashable, Codable {
    /// The answer text.
    public var text: String
    /// Tool calls the model made.
    public var toolCalls: [ToolCall]
    /// Token usage, when the provider reports it.
    public var usage: TokenUsage?
    /// Seconds from sending the request to the last byte.
    public var latency: Double
    /// Seconds from sending the request to the first streamed token, when streaming.
    public var timeToFirstToken: Double?
    /// Cost in US dollars, from the target's prices and the usage.
    public var cost: Double?
    /// Why generation stopped (`stop`, `length`, `tool_calls`, ...).
    public var finishReason: String?
    /// Per-token log-probabilities, when requested.
    public var logprobs: [TokenLogprob]?

    /// Creates an output.
    public init(
        text: String,
        toolCalls: [ToolCall] = [],
        usage: TokenUsage? = nil,
        latency: Double = 0,
        timeToFirstToken: Double? = nil,
        cost: Double? = nil,
        finishReason: String? = nil,
        logprobs: [TokenLogprob]? = nil
    ) {
        self.text = text
        self.toolCalls = toolCalls
        self.usage = usage
        self.latency = latency
        self.timeToFirstToken = timeToFirstToken
        self.cost = cost
        self.finishReason = finishReason
        self.logprobs = logprobs
    }

    enum CodingKeys: String, CodingKey {
        case text, usage, latency, cost, logprobs
        case toolCalls = "tool_calls"
        case timeToFirstToken = "ttft"
        case finishReason = "finish_reason"
    }
}
