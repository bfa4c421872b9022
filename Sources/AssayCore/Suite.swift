import Foundation

/// How a failed request is retried.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// Delay before the first retry, in seconds; doubles each retry (with full jitter).
    public var initialDelay: Double
    /// Upper bound of any one delay, `Retry-After` included, in seconds.
    public var maxDelay: Double

    /// Creates a policy.
    public init(maxAttempts: Int = 4, initialDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }
}

/// Prices in US dollars per million tokens.
public struct Prices: Sendable, Hashable, Codable {
    /// Per million prompt tokens.
    public var input: Double
    /// Per million completion tokens.
    public var output: Double

    /// Creates prices.
    public init(input: Double, output: Double) {
        self.input = input
        self.output = output
    }

    /// The cost of a usage record.
    public func cost(of usage: TokenUsage) -> Double {
        (Double(usage.promptTokens) * input + Double(usage.completionTokens) * output) / 1_000_000
    }
}

/// The kind of system under test.
public enum TargetKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An OpenAI-compatible chat-completions endpoint.
    case openai
    /// Anthropic's Messages API.
    case anthropic
    /// The user's own HTTP endpoint: a templated JSON body, the answer read by a JSON path.
    case http
    /// A command run per case: case JSON on stdin, answer on stdout.
    case exec
    /// Outputs already recorded in a JSONL file.
    case recorded
}

/// The wire form of JSON-schema-constrained output.
public enum StructuredOutputStyle: String, Sendable, Hashable, Codable, CaseIterable {
    /// `{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}` (OpenAI, vLLM, most gateways).
    case openai
    /// `{"type": "json_object", "schema": {...}}` (llama.cpp's Python server).
    case llamaCpp = "llama_cpp"
}

/// A target as configured in a suite.
public struct TargetConfig: Sendable {
    /// The target's name (unique in the suite).
    public var name: String
    /// Which kind.
    public var kind: TargetKind
    /// Base URL of an OpenAI-compatible API (ending in `/v1`), for `openai`.
    public var baseURL: String?
    /// Model name, for `openai`.
    public var model: String?
    /// Environment variable holding the API key. The key itself never appears in a suite, store or report.
    public var apiKeyEnv: String?
    /// Extra request headers; values may use `${ENV_VAR}`.
    public var headers: [String: String]
    /// Generation parameters sent as they are (temperature, max_tokens, top_p, seed, stop, ...).
    public var parameters: [String: JSONValue]
    /// Stream the response (measures time to first token).
    public var stream: Bool
    /// Request top log-probabilities (`openai`): the number of alternatives per token, or nil.
    public var topLogprobs: Int?
    /// How a JSON-schema `response_format` is sent: OpenAI's `json_schema` form (default) or llama.cpp's
    /// `{"type": "json_object", "schema": ...}` form.
    public var structuredOutput: StructuredOutputStyle = .openai
    /// Tool definitions offered to the model (OpenAI `tools` format).
    public var tools: JSONValue?
    /// Prices for cost accounting.
    public var prices: Prices?
    /// Per-request timeout in seconds.
    public var timeout: Double
    /// Retry policy.
    public var retry: RetryPolicy
    /// At most this many requests in flight to this target.
    public var maxConcurrency: Int?
    /// For `http`: the endpoint URL.
    public var url: String?
    /// For `http`: the JSON body template (Mustache; values are JSON-escaped).
    public var bodyTemplate: TextTemplate?
    /// For `http`: JSON path of the answer in the response.
    public var answerPath: String?
    /// For `http`: JSON path of tool calls in the response, if any.
    public var toolCallsPath: String?
    /// For `exec`: the command and its arguments.
    public var command: [String]?
    /// For `recorded`: the JSONL file of outputs (resolved against the suite's folder).
    public var recordedPath: URL?
    /// Where the target is defined.
    public var location: SourceLocation

    /// Creates a target configuration with defaults for everything optional.
    public init(name: String, kind: TargetKind, location: SourceLocation) {
        self.name = name
        self.kind = kind
        self.headers = [:]
        self.parameters = [:]
        self.stream = false
        self.timeout = 60
        self.retry = RetryPolicy()
        self.location = location
    }

    /// The parts of the configuration that change what the target answers (no secrets): the target's
    /// fingerprint is the SHA-256 of this.
    public var identity: JSONValue {
        var object: [String: JSONValue] = ["kind": .string(kind.rawValue), "parameters": .object(parameters)]
        if let baseURL { object["base_url"] = .string(baseURL) }
        if let model { object["model"] = .string(model) }
        if let url { object["url"] = .string(url) }
        if let bodyTemplate { object["body"] = .string(bodyTemplate.text) }
        if let answerPath { object["answer_path"] = .string(answerPath) }
        if let command { object["command"] = .array(command.map(JSONValue.string)) }
        if let recordedPath { object["recorded"] = .string(recordedPath.lastPathComponent) }
        if let toolCallsPath { object["tool_calls_path"] = .string(toolCallsPath) }
        // Header templates as written (`${VAR}` unexpanded, so no secret enters a key).
        if !headers.isEmpty { object["headers"] = .object(headers.mapValues(JSONValue.string)) }
        if structuredOutput != .openai { object["structured_output"] = .string(structuredOutput.rawValue) }
        if let tools { object["tools"] = tools }
        if let topLogprobs { object["top_logprobs"] = .number(Double(topLogprobs)) }
        return .object(object)
    }
}

/// A gate: the minimum pass rate a route x scorer must reach.
public struct GateConfig: Sendable, Hashable, Codable {
    /// What the minimum is compared with.
    public enum Basis: String, Sendable, Hashable, Codable {
        /// The observed pass rate.
        case point
        /// The lower bound of the pass rate's 95% Wilson interval: passes only when the data show the rate is
        /// above the minimum.
        case lowerBound = "lower_bound"
    }
    /// Minimum pass rate in 0...1.
    public var minPassRate: Double
    /// What is compared with it.
    public var basis: Basis
    /// The largest share of unmeasured trials with which the gate may still be judged; above it the gate is
    /// inconclusive. Nil means the default, ``defaultMaxUnmeasured``.
    public var maxUnmeasured: Double?

    /// The default largest unmeasured share: 20%.
    public static let defaultMaxUnmeasured = 0.2

    /// Creates a gate.
    public init(minPassRate: Double, basis: Basis = .point, maxUnmeasured: Double? = nil) {
        self.minPassRate = minPassRate
        self.basis = basis
        self.maxUnmeasured = maxUnmeasured
    }

    enum CodingKeys: String, CodingKey {
        case minPassRate = "min_pass_rate"
        case basis
        case maxUnmeasured = "max_unmeasured"
    }
}

/// One scorer in a rubric, as configured.
public struct ScorerConfig: Sendable {
    /// The scorer's name within the rubric (defaults to its type).
    public var name: String
    /// The scorer type (`contains`, `regex`, `json_schema`, ...).
    public var type: String
    /// The scorer's own options: the whole mapping, read by the scorer's factory (which reports errors against it).
    public var options: ConfigNode
    /// The gate on this scorer, if any.
    public var gate: GateConfig?
    /// Where the scorer is defined.
    public var location: SourceLocation

    /// Creates a scorer configuration.
    public init(name: String, type: String, options: ConfigNode, gate: GateConfig?, location: SourceLocation) {
        self.name = name
        self.type = type
        self.options = options
        self.gate = gate
        self.location = location
    }
}

/// How much a failure on a route costs.
public enum RouteRisk: String, Sendable, Hashable, Codable {
    /// The default.
    case normal
    /// A failure here is an incident: reports lead with the worst-case failure rate.
    case high
}

/// Per-route configuration.
public struct RouteConfig: Sendable {
    /// The route's name.
    public var name: String
    /// A prompt for this route instead of the suite's.
    public var prompt: PromptTemplate?
    /// A `response_format` for this route (e.g. a JSON schema for structured output).
    public var responseFormat: JSONValue?
    /// Tool definitions (OpenAI form) offered on this route, replacing the target's.
    public var tools: JSONValue?
    /// Generation parameters laid over the target's on this route (e.g. `tool_choice`, `max_tokens`).
    public var parameters: [String: JSONValue] = [:]
    /// Scorers for this route, after the suite-wide rubric.
    public var rubric: [ScorerConfig]
    /// How much a failure on this route costs: `high` routes (refunds, medical, legal, account changes) get
    /// their worst-case failure rate reported first.
    public var risk: RouteRisk = .normal

    /// Creates a route configuration.
    public init(name: String, prompt: PromptTemplate? = nil, responseFormat: JSONValue? = nil, rubric: [ScorerConfig] = []) {
        self.name = name
        self.prompt = prompt
        self.responseFormat = responseFormat
        self.rubric = rubric
    }
}

/// A dataset reference in a suite.
public struct DatasetConfig: Sendable {
    /// The file, resolved against the suite's folder.
    public var url: URL
    /// The path as written in the suite.
    public var path: String
    /// The dataset's name.
    public var name: String
    /// Optional version label.
    public var version: String?
    /// Where the reference is.
    public var location: SourceLocation
}

/// Run settings.
public struct RunSettings: Sendable, Hashable, Codable {
    /// Samples per case.
    public var samples: Int
    /// Trials in flight at once.
    public var concurrency: Int

    /// Creates settings.
    public init(samples: Int = 1, concurrency: Int = 4) {
        self.samples = samples
        self.concurrency = concurrency
    }
}

/// A validated suite: targets, datasets, prompts and rubrics.
public struct Suite: Sendable {
    /// The suite's name.
    public var name: String
    /// A description.
    public var description: String?
    /// The suite file.
    public var fileURL: URL
    /// SHA-256 of the suite file's bytes.
    public var fileSHA256: String
    /// Targets.
    public var targets: [TargetConfig]
    /// LLM judges that judge scorers name (`judge: NAME`); configured like targets.
    public var judges: [TargetConfig] = []
    /// Dataset files.
    public var datasets: [DatasetConfig]
    /// The default prompt.
    public var prompt: PromptTemplate?
    /// Scorers applied to every route.
    public var rubric: [ScorerConfig]
    /// Per-route settings.
    public var routes: [String: RouteConfig]
    /// Run settings.
    public var run: RunSettings

    /// Memberwise initialiser.
    public init(
        name: String, description: String?, fileURL: URL, fileSHA256: String, targets: [TargetConfig],
        datasets: [DatasetConfig], prompt: PromptTemplate?, rubric: [ScorerConfig], routes: [String: RouteConfig],
        run: RunSettings
    ) {
        self.name = name
        self.description = description
        self.fileURL = fileURL
        self.fileSHA256 = fileSHA256
        self.targets = targets
        self.datasets = datasets
        self.prompt = prompt
        self.rubric = rubric
        self.routes = routes
        self.run = run
    }

    /// The scorers that apply to a route: the suite-wide rubric, then the route's own.
    public func scorers(forRoute route: String) -> [ScorerConfig] {
        rubric + (routes[route]?.rubric ?? [])
    }

    /// Routes marked `risk: high`.
    public var highRiskRoutes: Set<String> { Set(routes.values.filter { $0.risk == .high }.map(\.name)) }

    /// The prompt for a route: the route's own, else the suite's.
    public func prompt(forRoute route: String) -> PromptTemplate? {
        routes[route]?.prompt ?? prompt
    }

    /// Loads every dataset of the suite into one dataset, checking ids are unique across files.
    /// - Returns: The combined dataset with its manifest.
    /// - Throws: `AssayError` (dataset).
    public func loadDataset() throws -> Dataset {
        var cases: [Case] = []
        var seen: [String: String] = [:]
        for config in datasets {
            for testCase in try DatasetLoader.load(url: config.url, displayPath: config.path) {
                if let other = seen[testCase.id] {
                    throw AssayError.dataset("case id '\(testCase.id)' is used in both \(other) and \(config.path)", at: SourceLocation(file: config.path), field: "id")
                }
                seen[testCase.id] = config.path
                cases.append(testCase)
            }
        }
        let name = datasets.count == 1 ? datasets[0].name : name
        return Dataset(name: name, version: datasets.count == 1 ? datasets[0].version : nil, cases: cases, sources: datasets.map(\.path))
    }
}
