import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation

/// A suite in a temporary folder, pointed at a fake server.
struct SuiteFixture {
    let folder: URL
    let suitePath: String

    /// Writes `count` cases whose expected answer appears in the fake server's echo.
    init(port: Int, count: Int, stream: Bool = false, timeout: Double = 5, maxAttempts: Int = 4, samples: Int = 1, concurrency: Int = 8, extraTarget: String = "", extraRubric: String = "") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cases = (0..<count).map { i in
            #"{"id": "case-\#(String(format: "%04d", i))", "input": "question \#(i) about token\#(i)", "expected": "token\#(i)", "route": "\#(i % 2 == 0 ? "even" : "odd")"}"#
        }.joined(separator: "\n")
        try Data(cases.utf8).write(to: folder.appendingPathComponent("cases.jsonl"))
        let yaml = """
            name: fixture
            targets:
              - name: fake
                provider: openai
                base_url: http://127.0.0.1:\(port)/v1
                model: fake
                stream: \(stream)
                timeout: \(timeout)
                prices: {input: 1, output: 2}
                retries: {max_attempts: \(maxAttempts), initial_delay: 0.01, max_delay: 1}
            \(extraTarget)
            datasets: [cases.jsonl]
            prompt:
              system: You are a test.
              user: "{{input}}"
            rubric:
              - {name: echoes, type: contains, gate: 0.9}
              - {name: short, type: length, max: 1000}
            \(extraRubric)
            run: {samples: \(samples), concurrency: \(concurrency)}
            """
        suitePath = folder.appendingPathComponent("assay.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: suitePath))
    }

    func suite() throws -> Suite { try SuiteLoader.load(path: suitePath) }
}

/// Records the delays retries asked for, without sleeping long.
actor SleepRecorder {
    private(set) var delays: [Double] = []
    func record(_ delay: Double) { delays.append(delay) }
}
