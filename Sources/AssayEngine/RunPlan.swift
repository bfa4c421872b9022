import AssayCore
import AssayProviders
import AssayScorers
import Foundation

/// One trial to execute: a case, its sample index and its ready-to-send request.
public struct PlannedTrial: Sendable {
    /// The request (rendered messages included).
    public var request: ModelRequest
    /// The trial's key.
    public var key: TrialKeyValue { TrialKeyValue(caseID: request.testCase.id, sample: request.sample) }
}

/// A (case id, sample) pair.
public struct TrialKeyValue: Sendable, Hashable {
    /// The case.
    public var caseID: String
    /// The sample.
    public var sample: Int
}

/// A suite checked end to end before any call is made: dataset loaded and hashed, every prompt rendered for every
/// case, every scorer built. Whatever is wrong is reported here, with file and line, and nothing has been sent.
public struct RunPlan: Sendable {
    /// The suite.
    public let suite: Suite
    /// The dataset.
    public let dataset: Dataset
    /// The target's configuration.
    public let targetConfig: TargetConfig
    /// The trials in order (case order, then sample).
    public let trials: [PlannedTrial]
    /// The scorers per route.
    public let scorers: [String: [any Scorer]]
    /// Gates per route, by scorer name.
    public let gates: [String: [String: GateConfig]]

    /// Builds and checks a plan.
    /// - Parameters:
    ///   - suite: The suite.
    ///   - target: The target to run.
    ///   - context: The suite's judges, for judge scorers.
    /// - Throws: `AssayError` (config or dataset) describing every problem found (up to 20).
    public init(suite: Suite, target: TargetConfig, context: ScorerContext = .empty) throws {
        self.suite = suite
        self.targetConfig = target
        if let env = target.apiKeyEnv, (ProcessInfo.processInfo.environment[env] ?? "").isEmpty {
            throw AssayError.config(
                "environment variable \(env) is not set; export it with the API key of target '\(target.name)'",
                at: target.location, field: "api_key_env"
            )
        }
        let dataset = try suite.loadDataset()
        self.dataset = dataset

        var scorers: [String: [any Scorer]] = [:]
        var gates: [String: [String: GateConfig]] = [:]
        for route in Set(dataset.cases.map(\.route)).sorted() {
            let configs = suite.scorers(forRoute: route)
            guard !configs.isEmpty else {
                throw AssayError.config(
                    "cases on route '\(route)' have no scorers; add a suite-wide 'rubric:' or 'routes: {\(route): {rubric: [...]}}'",
                    at: SourceLocation(file: suite.fileURL.lastPathComponent), field: "rubric"
                )
            }
            scorers[route] = try configs.map { try ScorerFactory.make($0, context: context) }
            gates[route] = Dictionary(configs.compactMap { config in config.gate.map { (config.name, $0) } }, uniquingKeysWith: { a, _ in a })
        }
        self.scorers = scorers
        self.gates = gates

        var problems: [AssayError] = []
        var trials: [PlannedTrial] = []
        trials.reserveCapacity(dataset.cases.count * suite.run.samples)
        let needsPrompt = target.kind == .openai || target.kind == .anthropic
        for testCase in dataset.cases {
            var messages: [Message] = []
            if let prompt = suite.prompt(forRoute: testCase.route) {
                do {
                    messages = try prompt.render(for: testCase)
                } catch let error as AssayError {
                    problems.append(error)
                    if problems.count >= 20 { break }
                    continue
                }
            } else if needsPrompt && testCase.messages == nil {
                throw AssayError.config(
                    "route '\(testCase.route)' has no prompt; add 'prompt:' to the suite or to the route",
                    at: SourceLocation(file: suite.fileURL.lastPathComponent), field: "prompt"
                )
            } else {
                messages = testCase.messages ?? [Message(role: "user", content: testCase.input.displayText)]
            }
            if target.kind == .http {
                let variables = testCase.templateVariables.merging(["messages_json": .string(""), "sample": .number(0)]) { a, _ in a }
                if let missing = target.bodyTemplate?.missingVariables(in: variables).first {
                    var at = target.bodyTemplate?.location
                    at?.line = missing.line
                    problems.append(AssayError(.dataset, "case '\(testCase.id)' does not provide '\(missing.name)' used in the body of target '\(target.name)'", location: at))
                    continue
                }
            }
            let format = suite.routes[testCase.route]?.responseFormat
            let tools = suite.routes[testCase.route]?.tools
            let parameters = suite.routes[testCase.route]?.parameters ?? [:]
            for sample in 0..<suite.run.samples {
                var request = ModelRequest(testCase: testCase, messages: messages, responseFormat: format, sample: sample, tools: tools)
                request.parameters = parameters
                trials.append(PlannedTrial(request: request))
            }
        }
        if let first = problems.first {
            if problems.count == 1 { throw first }
            let list = problems.prefix(20).map { "  \($0)" }.joined(separator: "\n")
            throw AssayError(first.category, "\(problems.count)\(problems.count >= 20 ? "+" : "") cases cannot be rendered:\n\(list)", location: nil)
        }
        self.trials = trials
        // An http target's body must be JSON: render the first request for real before anything is sent.
        if target.kind == .http, let first = trials.first, let template = target.bodyTemplate {
            var variables = first.request.testCase.templateVariables
            variables["messages_json"] = .string(JSONValue.array(first.request.messages.map { message in
                .object(["role": .string(message.role), "content": .string(message.content)])
            }).canonicalText)
            variables["sample"] = .number(0)
            let body = try template.render(variables, caseID: first.request.testCase.id)
            if (try? JSONValue.parse(body)) == nil {
                throw AssayError.config(
                    "the body of target '\(target.name)' does not render to valid JSON for case '\(first.request.testCase.id)' (use {{{messages_json}}} with three braces to insert JSON)",
                    at: template.location, field: "body"
                )
            }
        }
    }

    /// SHA-256 of the target's identity (no secrets).
    public var targetFingerprint: String { Fingerprint.sha256(targetConfig.identity) }

    /// SHA-256 of everything that decides a trial's result: the rendered requests, the samples and every scorer's
    /// fingerprint. A run may be resumed only under the same plan.
    public var planFingerprint: String {
        var text = "samples=\(suite.run.samples)\n"
        for route in scorers.keys.sorted() {
            text += "route=\(route) " + (scorers[route] ?? []).map { "\($0.name):\($0.fingerprint)" }.joined(separator: ",") + "\n"
            text += "gates=" + (gates[route] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.minPassRate):\($0.value.basis.rawValue)" }.joined(separator: ",") + "\n"
        }
        for trial in trials where trial.request.sample == 0 {
            text += trial.request.testCase.id + "\u{0}" + JSONValue.array(trial.request.messages.map { .string($0.role + ":" + $0.content) }).canonicalText
            text += (trial.request.responseFormat?.canonicalText ?? "") + "\n"
            if let tools = trial.request.tools { text += tools.canonicalText + "\n" }
            if !trial.request.parameters.isEmpty { text += JSONValue.object(trial.request.parameters).canonicalText + "\n" }
        }
        return Fingerprint.sha256(text)
    }
}
