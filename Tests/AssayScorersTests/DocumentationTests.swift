import AssayCore
import AssayProviders
import Foundation
import Testing
@testable import AssayScorers

@Suite("docs/scorers.md")
struct DocumentationTests {
    /// docs/scorers.md, found from this file's path (Tests/AssayScorersTests/ -> ../../docs).
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/scorers.md")

    /// The YAML code blocks of the document.
    static func yamlBlocks() throws -> [String] {
        let text = try String(contentsOf: documentURL, encoding: .utf8)
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.hasPrefix("```yaml") {
                current = []
            } else if current != nil, line.hasPrefix("```") {
                blocks.append((current ?? []).joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test("every scorer example builds, and every scorer is documented")
    func examplesBuild() throws {
        let blocks = try Self.yamlBlocks()
        #expect(blocks.count >= 10)
        var documented: Set<String> = []
        let box = HTTPClientBox(concurrency: 1)
        defer { Task { await box.shutdown() } }
        for (index, block) in blocks.enumerated() {
            let root = try ConfigNode.parse(block, file: "docs/scorers.md#\(index)")
            // Judges named in an example become a context (never called here).
            var judges: [String: JudgeClient] = [:]
            for judge in try root["judges"]?.elements() ?? [] {
                var config = TargetConfig(name: try judge["name"]?.string() ?? "judge", kind: .openai, location: judge.location)
                config.baseURL = try judge["base_url"]?.string()
                config.model = try judge["model"]?.string()
                judges[config.name] = JudgeClient(config: config, target: OpenAITarget(config: config, client: box.client), cache: nil)
            }
            let context = ScorerContext(judges: judges)
            let entries = try (root["rubric"] ?? root).elements()
            for entry in entries {
                let type = try #require(try entry["type"]?.string())
                documented.insert(type)
                // Schema files named in the examples do not exist next to the document.
                if entry["schema_file"] != nil { continue }
                let config = ScorerConfig(
                    name: try entry["name"]?.string() ?? type, type: type, options: entry, gate: nil, location: entry.location)
                #expect(throws: Never.self, "example \(index) of type \(type)") { try ScorerFactory.make(config, context: context) }
            }
        }
        let builtIn = Set(ScorerFactory.builtIns.keys).union(ScorerFactory.contextBuiltIns.keys)
        #expect(builtIn.isSubset(of: documented), "undocumented: \(builtIn.subtracting(documented).sorted())")
    }
}
