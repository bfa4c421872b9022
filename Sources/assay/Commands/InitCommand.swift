import ArgumentParser
import AssayCore
import Foundation

/// `assay init DIR`: writes a runnable starter suite.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a runnable starter suite (assay.yaml, cases.jsonl, prompt.mustache) into DIR."
    )

    @Argument(help: "The folder to write into (created if missing).")
    var directory: String

    @Option(name: .customLong("base-url"), help: "OpenAI-compatible base URL of the model to test.")
    var baseURL = "http://127.0.0.1:8089/v1"

    @Option(help: "Model name the endpoint expects.")
    var model = "smollm2"

    @Option(name: .customLong("api-key-env"), help: "Environment variable holding the API key, if the endpoint needs one.")
    var apiKeyEnv: String?

    @Flag(help: "Overwrite existing files.")
    var force = false

    func run() async throws {
        let folder = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = StarterSuite.files(baseURL: baseURL, model: model, apiKeyEnv: apiKeyEnv)
        for (name, _) in files where !force && FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) {
            throw AssayError(.usage, "\(folder.appendingPathComponent(name).path) already exists; pass --force to overwrite it")
        }
        for (name, text) in files {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        let suite = (directory as NSString).appendingPathComponent("assay.yaml")
        print("Wrote \(files.map(\.0).joined(separator: ", ")) to \(directory)")
        print("Next: assay run \(suite)")
    }
}

/// The files of a starter suite.
enum StarterSuite {
    static func files(baseURL: String, model: String, apiKeyEnv: String?) -> [(String, String)] {
        let keyLine = apiKeyEnv.map { "\n    api_key_env: \($0)" } ?? ""
        let suite = """
            # An Assay suite: what to test (targets), on what (datasets), and how to judge it (rubric, gates).
            # Reference: docs/suite-reference.md
            name: starter
            targets:
              - name: model
                provider: openai
                base_url: \(baseURL)
                model: \(model)\(keyLine)
                stream: true
                parameters: {temperature: 0, max_tokens: 64}
                prices: {input: 0.15, output: 0.60}   # USD per million tokens
                timeout: 60
            datasets:
              - cases.jsonl
            prompt: prompt.mustache
            rubric:
              - name: answers
                type: contains
                gate: 0.5
              - name: no-apology-loop
                type: must_not_contain
                values: ["as an AI language model"]
            run:
              samples: 1
              concurrency: 2

            """
        let cases = """
            {"id": "capital-france", "input": "What is the capital of France?", "expected": "Paris"}
            {"id": "two-plus-two", "input": "What is 2 + 2? Answer with a number.", "expected": "4"}
            {"id": "color-sky", "input": "What colour is a clear daytime sky?", "expected": "blue"}
            {"id": "opposite-hot", "input": "What is the opposite of hot?", "expected": "cold"}

            """
        let prompt = """
            [system]
            You are a concise assistant. Answer in one short sentence.
            [user]
            {{input}}

            """
        return [("assay.yaml", suite), ("cases.jsonl", cases), ("prompt.mustache", prompt)]
    }
}
