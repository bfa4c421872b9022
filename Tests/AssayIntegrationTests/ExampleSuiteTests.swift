import Foundation
import Testing

@Suite struct ExampleSuiteTests {
    @Test(.enabled(if: assayBinary != nil, "needs the assay executable: run `swift build` (make test does)"))
    func theSupportBotExamplePlansCleanly() throws {
        // Given the example suite shipped with the repository (what `make demo` runs)
        // When it is planned without calling anything
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("assay-example-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: store) }
        let result = try runAssay(["run", "examples/support-bot/assay.yaml", "--dry-run", "--store", store.path], in: packageRoot)

        // Then it is valid, every route is planned, and judge calls are estimated
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout + result.stderr
        for route in ["billing", "extract", "faq", "orders", "rag", "refund", "unsafe"] {
            #expect(text.contains("route \(route):"), "route \(route) missing")
        }
        #expect(text.contains("judge calls"))
        #expect(text.contains("Dry run: the suite is valid"))
    }

    @Test(.enabled(if: assayBinary != nil, "needs the assay executable: run `swift build` (make test does)"))
    func aBadLabelsFileExitsTwoNamingItsLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-labels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{\"id\": \"a\", \"passed\": true}\n{\"id\": \"b\", \"passed\": \"yes\"}\n".utf8).write(to: folder.appendingPathComponent("labels.jsonl"))
        let result = try runAssay(["agree", "latest", "--labels", "labels.jsonl", "--store", "none.sqlite"], in: folder)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("labels.jsonl:2"), "\(result.stderr)")
        #expect(result.stderr.contains("'passed' is true or false"))
    }
}
