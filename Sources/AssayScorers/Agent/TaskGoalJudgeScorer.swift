import AssayCore
import Foundation

/// `task_completion` (judge form): an LLM judge reads the agent's transcript (the request, the tool calls it made
/// and its final answer, all quoted as data) against a stated goal and says whether the task was completed.
///
/// Chosen when the scorer has `goal` or `judge`. The goal is `goal`, else the case's expected answer (a case
/// without either is unmeasured). The reply `{"explanation", "completed": true|false}` comes through a JSON schema;
/// one that does not parse is unmeasured with the raw reply. Combine it with the structured checks of the
/// deterministic form through a `cascade` or an `aggregate`.
struct TaskGoalJudgeScorer: Scorer {
    static let optionNames: Set<String> = ["goal", "judge"]
    static let promptVersion = 1

    static let schema: JSONValue = JudgePrompt.objectFormat("completion", [
        "explanation": .object(["type": .string("string")]),
        "completed": .object(["type": .string("boolean")]),
    ])

    let name: String
    let fingerprint: String
    let judge: JudgeClient
    let goal: String?

    init(config: ScorerConfig, context: ScorerContext) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        if let threshold = options.node("threshold") {
            throw threshold.error("the judge form of task_completion passes when the judge says the task is completed; it has no threshold")
        }
        name = config.name
        judge = try context.judge(named: options.node("judge"), in: config)
        goal = try options.nonEmptyString("goal")
        fingerprint = Fingerprint.sha256(JSONValue.object([
            "type": .string("task_completion/judge"), "prompt_version": .number(Double(Self.promptVersion)),
            "judge": .string(judge.fingerprint), "goal": goal.map(JSONValue.string) ?? .null,
        ]))
    }

    /// One judge call per output.
    var plannedCalls: Int { 1 }

    func score(_ testCase: Case, _ output: Output) async -> Score {
        guard let goal = goal ?? testCase.expected else {
            return .unmeasured(name, reason: "no goal: give the scorer 'goal' or the case an expected answer")
        }
        var spend = JudgeSpend()
        switch await judge.ask(Self.prompt(goal: goal, testCase: testCase, output: output), responseFormat: Self.schema, for: testCase, spend: &spend) {
        case .failed(let reason):
            return Score.unmeasured(name, reason: reason).charged(spend)
        case .answered(let reply):
            guard let json = JudgeReplyParser.json(in: reply.text), case .bool(let completed)? = json["completed"] else {
                return Score.unmeasured(name, reason: "the judge's reply did not parse: \(quoted(reply.text, limit: 200))").charged(spend)
            }
            let why = json["explanation"]?.stringValue.map { ": \($0)" } ?? ""
            return Score.scored(
                name, passed: completed, label: completed ? "completed" : "not_completed",
                explanation: (completed ? "completed" : "not completed") + why
            ).charged(spend)
        }
    }

    static func prompt(goal: String, testCase: Case, output: Output) -> [Message] {
        let request = testCase.messages.map { $0.map { "\($0.role): \($0.content)" }.joined(separator: "\n") } ?? testCase.input.displayText
        let calls = output.toolCalls.isEmpty
            ? "(no tool calls)"
            : output.toolCalls.enumerated().map { "\($0 + 1). \($1.name)(\($1.arguments.canonicalText))" }.joined(separator: "\n")
        let nonce = JudgePrompt.nonce(for: [goal, request, calls, output.text].joined(separator: "\u{0}"))
        let user = [
            "Decide whether the AI agent completed the task: judge the end state its tool calls and answer reached, not its style.",
            JudgePrompt.quote("Goal", goal, nonce: nonce),
            JudgePrompt.quote("Request", request, nonce: nonce),
            JudgePrompt.quote("Tool calls", calls, nonce: nonce),
            JudgePrompt.quote("Final answer", output.text, nonce: nonce),
            #"Reply with JSON: {"explanation": "<one or two sentences>", "completed": true or false}."#,
        ].joined(separator: "\n\n")
        return [Message(role: "system", content: JudgePrompt.system), Message(role: "user", content: user)]
    }
}
