import AssayCore
import Foundation
import Testing

/// Writes files into a fresh temporary folder.
func makeFolder(_ files: [String: String]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-core-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in files {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }
    return folder
}

let minimalCases = #"{"id": "a", "input": "hello", "expected": "hi"}"# + "\n"

func loadSuite(_ yaml: String, extra: [String: String] = [:]) throws -> Suite {
    var files = ["cases.jsonl": minimalCases, "prompt.mustache": "{{input}}"]
    files.merge(extra) { _, new in new }
    files["suite.yaml"] = yaml
    let folder = try makeFolder(files)
    return try SuiteLoader.load(path: folder.appendingPathComponent("suite.yaml").path)
}

/// Expects a config error at `line` whose text contains `fragment`.
func expectConfigError(line: Int, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected an error containing '\(fragment)'", sourceLocation: sourceLocation)
    } catch let error as AssayError {
        #expect(error.location?.line == line, "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
        #expect(error.category.exitCode == 2, sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

typealias SourceLocation = Testing.SourceLocation

@Suite struct SuiteLoaderTests {
    let valid = """
        name: demo
        targets:
          - name: local
            provider: openai
            base_url: http://127.0.0.1:8089/v1
            model: smollm2
            parameters: {temperature: 0, max_tokens: 16}
            prices: {input: 1, output: 2}
        datasets: [cases.jsonl]
        prompt: prompt.mustache
        rubric:
          - {name: says-hi, type: contains, gate: 0.9}
        routes:
          json:
            response_format: {json_schema: {type: object}}
            rubric:
              - {type: is_json}
        run: {samples: 3, concurrency: 8}
        """

    @Test func loadsAValidSuite() throws {
        let suite = try loadSuite(valid)
        #expect(suite.name == "demo")
        #expect(suite.targets.count == 1)
        #expect(suite.targets[0].model == "smollm2")
        #expect(suite.targets[0].parameters["max_tokens"] == .number(16))
        #expect(suite.targets[0].prices == Prices(input: 1, output: 2))
        #expect(suite.run.samples == 3)
        #expect(suite.run.concurrency == 8)
        #expect(suite.rubric.map(\.name) == ["says-hi"])
        #expect(suite.rubric[0].gate == GateConfig(minPassRate: 0.9))
        #expect(suite.scorers(forRoute: "json").map(\.name) == ["says-hi", "is_json"])
        #expect(suite.routes["json"]?.responseFormat?["type"] == .string("json_schema"))
        let dataset = try suite.loadDataset()
        #expect(dataset.cases.count == 1)
    }

    @Test func unknownFieldNamesTheLineAndSuggests() {
        let yaml = valid.replacingOccurrences(of: "    model: smollm2", with: "    modle: smollm2")
        expectConfigError(line: 6, "did you mean 'model'") { _ = try loadSuite(yaml) }
    }

    @Test func badProviderNamesItsLine() {
        let yaml = valid.replacingOccurrences(of: "provider: openai", with: "provider: openia")
        expectConfigError(line: 4, "unknown provider 'openia'") { _ = try loadSuite(yaml) }
    }

    @Test func wrongTypeNamesTheField() {
        let yaml = valid.replacingOccurrences(of: "run: {samples: 3, concurrency: 8}", with: "run: {samples: many, concurrency: 8}")
        do {
            _ = try loadSuite(yaml)
            Issue.record("expected an error")
        } catch let error as AssayError {
            #expect(error.field == "run.samples")
            #expect(error.location?.line == 18)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func missingDatasetFileIsAnError() {
        let yaml = valid.replacingOccurrences(of: "datasets: [cases.jsonl]", with: "datasets: [nope.jsonl]")
        expectConfigError(line: 9, "does not exist") { _ = try loadSuite(yaml) }
    }

    @Test func yamlSyntaxErrorHasALine() {
        // libyaml reports the place it noticed the problem: the end of the unclosed list, line 4.
        expectConfigError(line: 4, "not valid YAML") { _ = try loadSuite("name: x\ntargets:\n  - [unclosed\n") }
    }

    @Test func gateOutOfRangeIsAnError() {
        let yaml = valid.replacingOccurrences(of: "gate: 0.9", with: "gate: 90")
        expectConfigError(line: 12, "fraction between 0 and 1") { _ = try loadSuite(yaml) }
    }

    @Test func missingRequiredTargetField() {
        let yaml = valid.replacingOccurrences(of: "    model: smollm2\n", with: "")
        expectConfigError(line: 3, "needs 'model'") { _ = try loadSuite(yaml) }
    }

    @Test func inlinePromptKeepsLineNumbers() throws {
        let yaml = valid.replacingOccurrences(of: "prompt: prompt.mustache", with: "prompt:\n  system: Be brief.\n  user: \"{{question}}\"")
        let suite = try loadSuite(yaml)
        let prompt = try #require(suite.prompt)
        let testCase = Case(id: "a", input: .string("hi"))
        do {
            _ = try prompt.render(for: testCase)
            Issue.record("expected a missing-variable error")
        } catch let error as AssayError {
            #expect(error.description.contains("'question'"))
            #expect(error.location?.line == 12)
        }
    }

    @Test func targetFingerprintIgnoresSecretsButNotParameters() throws {
        let a = try loadSuite(valid).targets[0]
        var b = a
        b.apiKeyEnv = "OTHER_KEY"
        #expect(Fingerprint.sha256(a.identity) == Fingerprint.sha256(b.identity))
        b.parameters["temperature"] = .number(0.7)
        #expect(Fingerprint.sha256(a.identity) != Fingerprint.sha256(b.identity))
    }
}
