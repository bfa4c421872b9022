import AssayCore
import Testing
@testable import AssayScorers

@Suite("Agent scorers: configuration and fingerprints")
struct AgentScorerConfigTests {
    @Test("the agent scorers are built in")
    func registered() throws {
        for type in ["tool_calls", "trajectory", "task_completion"] {
            #expect(ScorerFactory.builtIns[type] != nil, "\(type) is not in builtIns")
        }
        #expect(try makeScorer("{type: tool_calls}") is ToolCallScorer)
        #expect(try makeScorer("{type: trajectory, max_steps: 3}") is TrajectoryScorer)
        #expect(try makeScorer("{type: task_completion, final_tool: submit}") is TaskCompletionScorer)
    }

    /// One bad configuration: the YAML (its first line is line 2 of the suite), the line and field of the error, and
    /// the start of its message.
    struct BadConfig: Sendable, CustomTestStringConvertible {
        let yaml: String
        let line: Int
        let field: String
        let message: String
        var testDescription: String { yaml.split(separator: "\n").joined(separator: " | ") }
    }

    @Test("bad options are errors at their line and field", arguments: [
        BadConfig(yaml: "type: tool_calls\narguments: exat", line: 3, field: "rubric[0].arguments",
                  message: "unknown arguments 'exat'; did you mean 'exact'? (one of exact, subset, types, ignore)"),
        BadConfig(yaml: "type: tool_calls\norder: stict", line: 3, field: "rubric[0].order",
                  message: "unknown order 'stict'; did you mean 'strict'? (one of strict, any)"),
        BadConfig(yaml: "type: tool_calls\nname: t\nextra_calls: deny", line: 4, field: "rubric[0].extra_calls",
                  message: "unknown extra_calls 'deny' (one of allow, fail)"),
        BadConfig(yaml: "type: tool_calls\norder: [strict]", line: 3, field: "rubric[0].order",
                  message: "'order' must be one of strict, any"),
        BadConfig(yaml: "type: tool_calls\nargument: subset", line: 3, field: "rubric[0].argument",
                  message: "unknown field 'argument'; did you mean 'arguments'?"),
        BadConfig(yaml: "type: tool_calls\nthreshold: 2", line: 3, field: "rubric[0].threshold",
                  message: "a threshold is a value between 0 and 1"),
        BadConfig(yaml: "type: trajectory\nmax_steps: -1", line: 3, field: "rubric[0].max_steps",
                  message: "'max_steps' must be an integer >= 0, got -1"),
        BadConfig(yaml: "type: trajectory\nmax_steps: many", line: 3, field: "rubric[0].max_steps",
                  message: "expected an integer, got 'many'"),
        BadConfig(yaml: "type: trajectory\n\npenalty: 1.5", line: 4, field: "rubric[0].penalty",
                  message: "'penalty' is a value between 0 and 1 (e.g. 0.25), got 1.5"),
        BadConfig(yaml: "type: trajectory\ncount_consecutive: maybe", line: 3, field: "rubric[0].count_consecutive",
                  message: "expected true or false, got 'maybe'"),
        BadConfig(yaml: "type: trajectory\nmax_step: 3", line: 3, field: "rubric[0].max_step",
                  message: "unknown field 'max_step'; did you mean 'max_steps'?"),
        BadConfig(yaml: "name: done\ntype: task_completion", line: 2, field: "rubric[0]",
                  message: "task_completion needs an end state"),
        BadConfig(yaml: "type: task_completion\nstate_path: order.status", line: 3, field: "rubric[0].state_path",
                  message: "'state_path' needs 'equals' or 'contains'"),
        BadConfig(yaml: "type: task_completion\nequals: shipped", line: 3, field: "rubric[0].equals",
                  message: "'equals' needs 'state_path'"),
        BadConfig(yaml: "type: task_completion\ncontains: shipped", line: 3, field: "rubric[0].contains",
                  message: "'contains' needs 'state_path'"),
        BadConfig(yaml: "type: task_completion\nstate_path: a\nequals: 1\ncontains: 1", line: 5, field: "rubric[0].contains",
                  message: "give either 'equals' or 'contains', not both"),
        BadConfig(yaml: "type: task_completion\nstate_path: ''\nequals: 1", line: 3, field: "rubric[0].state_path",
                  message: "'state_path' must not be empty"),
        BadConfig(yaml: "type: task_completion\nfinal_arguments: {id: 1}", line: 3, field: "rubric[0].final_arguments",
                  message: "'final_arguments' needs 'final_tool'"),
        BadConfig(yaml: "type: task_completion\nfinal_tool: submit\nfinal_arguments: [1]", line: 4,
                  field: "rubric[0].final_arguments", message: "'final_arguments' must be a mapping"),
        BadConfig(yaml: "type: task_completion\nfinal_tool: [a, b]", line: 3, field: "rubric[0].final_tool",
                  message: "expected a string"),
    ])
    func badOptions(_ bad: BadConfig) throws {
        let error = try #require(configError(bad.yaml))
        #expect(error.category == .config)
        #expect(error.location?.file == "suite.yaml")
        #expect(error.location?.line == bad.line)
        #expect(error.field == bad.field)
        #expect(error.message.hasPrefix(bad.message), "got: \(error.message)")
    }

    @Test("errors in a suite file name that file's line and field")
    func suiteFileLines() throws {
        // Given a suite whose rubric holds one good and two bad agent scorers
        let suite = """
            name: support-agent
            rubric:
              - {name: calls, type: tool_calls, arguments: subset}
              - name: efficient
                type: trajectory
                max_steps: 4
                penalty: 2
              - name: done
                type: task_completion
                state_path: ticket.status
            """
        let root = try ConfigNode.parse(suite, file: "suites/agent.yaml")
        let entries = try #require(try root["rubric"]?.elements())
        // When each entry is built
        let errors: [AssayError?] = try entries.map { entry in
            let type = try entry["type"]?.string() ?? ""
            let config = ScorerConfig(
                name: try entry["name"]?.string() ?? type, type: type, options: entry, gate: nil, location: entry.location
            )
            do {
                _ = try ScorerFactory.make(config)
                return nil
            } catch let error as AssayError {
                return error
            }
        }
        // Then the good one builds and the bad ones point at their own lines
        #expect(errors[0] == nil)
        #expect(errors[1]?.location?.file == "suites/agent.yaml")
        #expect(errors[1]?.location?.line == 7)
        #expect(errors[1]?.field == "rubric[1].penalty")
        #expect(errors[2]?.location?.line == 10)
        #expect(errors[2]?.field == "rubric[2].state_path")
        #expect(errors[2]?.description.contains("suites/agent.yaml:10:") == true, "\(String(describing: errors[2]))")
    }

    @Test("every agent scorer accepts the common keys", arguments: [
        "type: tool_calls", "type: tool_calls, arguments: subset, order: strict, extra_calls: fail",
        "type: trajectory", "type: trajectory, max_steps: 4, penalty: 0.1, count_consecutive: false",
        "type: task_completion, state_path: a, equals: 1", "type: task_completion, final_tool: f, final_arguments: {a: 1}",
    ])
    func commonKeys(options: String) throws {
        let scorer = try makeScorer("{\(options), name: n, gate: 0.9, role: monitor, threshold: 0.5}")
        #expect(scorer.name == "n")
    }

    @Test("fingerprints ignore key order, names, gates and spelled-out defaults", arguments: [
        ("{type: tool_calls}", "{name: x, gate: 0.9, extra_calls: allow, order: any, arguments: exact, type: tool_calls, threshold: 1}"),
        ("{type: trajectory}", "{type: trajectory, penalty: 0.25, count_consecutive: true, threshold: 1.0, role: monitor}"),
        ("{type: task_completion, state_path: a, equals: {x: 1, y: [1, 2]}}",
         "{equals: {y: [1.0, 2], x: 1}, type: task_completion, state_path: a, name: z}"),
        ("type: task_completion\nfinal_tool: submit\nfinal_arguments: {id: 1}",
         "{type: task_completion, final_arguments: {id: 1.0}, final_tool: submit}"),
    ])
    func fingerprintsEqual(_ a: String, _ b: String) throws {
        let first = try makeScorer(a).fingerprint
        #expect(first == (try makeScorer(b).fingerprint))
        #expect(first.count == 64)
    }

    @Test("every setting that changes a verdict changes the fingerprint")
    func fingerprintsDiffer() throws {
        let configs = [
            "{type: tool_calls}", "{type: tool_calls, arguments: subset}", "{type: tool_calls, arguments: types}",
            "{type: tool_calls, arguments: ignore}", "{type: tool_calls, order: strict}",
            "{type: tool_calls, extra_calls: fail}", "{type: tool_calls, threshold: 0.5}",
            "{type: trajectory}", "{type: trajectory, max_steps: 3}", "{type: trajectory, penalty: 0.5}",
            "{type: trajectory, count_consecutive: false}", "{type: trajectory, threshold: 0.8}",
            "{type: task_completion, state_path: a, equals: 1}", "{type: task_completion, state_path: a, equals: '1'}",
            "{type: task_completion, state_path: a, contains: 1}", "{type: task_completion, state_path: b, equals: 1}",
            "{type: task_completion, final_tool: f}", "{type: task_completion, final_tool: g}",
            "{type: task_completion, final_tool: f, final_arguments: {a: 1}}",
        ]
        let fingerprints = try configs.map { try makeScorer($0).fingerprint }
        #expect(Set(fingerprints).count == configs.count)
    }

    @Test("fingerprints are stable across runs")
    func stableAcrossRuns() throws {
        // Pinned: a change here means cached scores stop matching; bump `deterministicVersion` on purpose only.
        #expect(try makeScorer("{type: tool_calls}").fingerprint == Fingerprint.sha256(JSONValue.object([
            "type": .string("tool_calls"), "version": .number(1),
            "settings": .object([
                "arguments": .string("exact"), "order": .string("any"), "extra_calls": .string("allow"), "threshold": .number(1),
            ]),
        ])))
        #expect(try makeScorer("{type: trajectory, max_steps: 4}").fingerprint == Fingerprint.sha256(JSONValue.object([
            "type": .string("trajectory"), "version": .number(1),
            "settings": .object([
                "max_steps": .number(4), "penalty": .number(0.25), "count_consecutive": .bool(true), "threshold": .number(1),
            ]),
        ])))
        #expect(try makeScorer("{type: task_completion, final_tool: submit}").fingerprint == Fingerprint.sha256(JSONValue.object([
            "type": .string("task_completion"), "version": .number(1),
            "settings": .object(["state_path": .null, "final_tool": .string("submit"), "final_arguments": .null]),
        ])))
    }
}

// MARK: - Helpers shared by the agent scorer tests

/// Tool calls written compactly: `name` (no arguments) or `name {"json": "arguments"}`.
func toolCalls(_ specs: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [ToolCall] {
    specs.map { spec in
        guard let space = spec.firstIndex(of: " ") else { return ToolCall(name: spec, arguments: .object([:])) }
        let name = String(spec[..<space])
        let json = String(spec[spec.index(after: space)...])
        do {
            return ToolCall(name: name, arguments: try JSONParser.parse(json))
        } catch {
            Issue.record("bad JSON in test call '\(spec)': \(error)", sourceLocation: sourceLocation)
            return ToolCall(name: name, arguments: .null)
        }
    }
}

/// Scores an output that made `actual` tool calls (and said `text`) for a case expecting `expected` ones.
func scoreCalls(_ scorer: any Scorer, expected: [ToolCall]?, actual: [ToolCall], text: String = "") async -> Score {
    await scorer.score(
        Case(id: "c1", input: .string("do the task"), expectedToolCalls: expected), Output(text: text, toolCalls: actual)
    )
}
