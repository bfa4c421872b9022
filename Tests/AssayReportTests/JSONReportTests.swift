import AssayCore
import AssayReport
import Foundation
import Testing

@Suite("JSON report")
struct JSONReportTests {
    /// Paths whose keys are data (route names, reasons, tags), shown as `*` in key paths.
    static let mapPaths: Set<String> = [
        "runs[].routes", "runs[].run.dataset.routes", "runs[].run.dataset.strata", "runs[].run.provenance",
        "runs[].cells[].unmeasured_reasons", "runs[].target_errors",
    ]

    /// Every key path of a JSON value: objects as `a.b`, arrays as `a[]`, data-keyed maps as `a.*`.
    static func keyPaths(_ value: Any, prefix: String = "", into paths: inout Set<String>) {
        if let object = value as? [String: Any] {
            for (key, child) in object {
                let name = mapPaths.contains(prefix) ? "*" : key
                let path = prefix.isEmpty ? name : "\(prefix).\(name)"
                paths.insert(path)
                keyPaths(child, prefix: path, into: &paths)
            }
        } else if let array = value as? [Any] {
            for element in array {
                if element is [String: Any] {
                    keyPaths(element, prefix: prefix + "[]", into: &paths)
                } else {
                    paths.insert(prefix + "[]")
                }
            }
        }
    }

    /// The format's key paths, as documented in docs/report-format.md. Changing this set is a format change.
    static var documentedPaths: Set<String> {
        let counts = ["passed", "failed", "inconclusive", "total"]
        let latency = ["count", "p50", "p95", "p99", "mean", "max"]
        let usage = [
            "trials", "answered", "target_errors", "cached", "prompt_tokens", "completion_tokens", "answers_without_usage", "cost", "scoring_cost",
        ] + ["latency", "time_to_first_token"].flatMap { key in [key] + latency.map { "\(key).\($0)" } }
        let gate = ["route", "scorer", "min_pass_rate", "basis", "observed", "verdict", "explanation"]
        let run = [
            "id", "suite_name", "suite_path", "suite_sha256", "target_name", "target_fingerprint", "samples", "total_trials",
            "status", "created_at", "finished_at", "duration_seconds", "provenance", "provenance.*", "dataset",
        ] + ["name", "version", "sha256", "case_count", "routes", "routes.*", "strata", "strata.*", "sources", "sources[]"].map { "dataset.\($0)" }
        let cell = [
            "route", "scorer", "trials", "passed", "failed", "unmeasured", "pass_rate", "pass_rate_lower",
            "pass_rate_upper", "mean_value", "unmeasured_reasons", "unmeasured_reasons.*", "failing_case_ids",
            "failing_case_ids[]", "flaky_case_ids", "case_variance", "generator_variance",
            "judge_variance", "judge_calls", "judge_tokens", "saved_calls", "worst_case_failure_rate", "high_risk",
            "refusal", "pairwise", "cost", "gate",
        ] + gate.map { "gate.\($0)" }
        var runEntry = ["summary_format_version", "verdict", "gate_counts", "usage", "routes", "routes.*", "cells", "gates", "target_errors", "target_errors.*", "cost_per_correct", "run"]
        runEntry += counts.map { "gate_counts.\($0)" } + usage.map { "usage.\($0)" } + usage.map { "routes.*.\($0)" }
        runEntry += cell.map { "cells[].\($0)" } + gate.map { "gates[].\($0)" } + run.map { "run.\($0)" }
        runEntry += ["value", "cost", "correct", "routes", "routes[]", "per_route"].map { "cost_per_correct.\($0)" }
        return Set(["format", "format_version", "generated_at", "verdict", "gate_counts", "runs"] + counts.map { "gate_counts.\($0)" } + runEntry.map { "runs[].\($0)" })
    }

    func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func headerFields() throws {
        let data = try JSONReport.render([Fixtures.passing], generatedAt: Fixtures.created)
        let root = try object(data)
        #expect(root["format"] as? String == "assay-report")
        #expect(root["format_version"] as? Int == 1)
        #expect(root["generated_at"] as? String == "2025-03-01T10:00:00Z")
        #expect(root["verdict"] as? String == "pass")
        #expect(JSONReport.format == "assay-report" && JSONReport.formatVersion == 1)
    }

    @Test func keyPathsAreExactlyTheDocumentedOnes() throws {
        let data = try JSONReport.render([Fixtures.passing, Fixtures.failing], generatedAt: Fixtures.created)
        var paths = Set<String>()
        Self.keyPaths(try object(data), into: &paths)
        #expect(paths.subtracting(Self.documentedPaths).sorted() == [], "undocumented keys")
        #expect(Self.documentedPaths.subtracting(paths).sorted() == [], "documented keys missing")
    }

    @Test func everyKeyIsDocumented() throws {
        // docs/report-format.md, two folders above this file's folder.
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/report-format.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        #expect(text.contains("`format_version`"))
        let keys = Set(Self.documentedPaths.map { path in
            String(path.split(separator: ".").last ?? "").replacingOccurrences(of: "[]", with: "")
        }).subtracting(["*"])
        for key in keys.sorted() {
            // Latency percentiles share one row: `p50`, `p95`, `p99`.
            #expect(text.contains("| `\(key)`") || text.contains("`\(key)`, ") || text.contains(", `\(key)` |"), "docs/report-format.md does not document `\(key)`")
        }
    }

    @Test func absentFiguresAreNullNotMissing() throws {
        let data = try JSONReport.render([Fixtures.inconclusive], generatedAt: Fixtures.created)
        let root = try object(data)
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let cell = try #require((run["cells"] as? [[String: Any]])?.first)
        for key in ["pass_rate", "pass_rate_lower", "pass_rate_upper", "mean_value"] {
            #expect(cell[key] is NSNull, "\(key)")
        }
        let info = try #require(run["run"] as? [String: Any])
        #expect(info["finished_at"] is NSNull)
        #expect(info["duration_seconds"] is NSNull)
        #expect(info["status"] as? String == "interrupted")
        let usage = try #require(run["usage"] as? [String: Any])
        #expect(usage["latency"] is NSNull && usage["time_to_first_token"] is NSNull)
        let cost = try #require(run["cost_per_correct"] as? [String: Any])
        #expect(cost["value"] is NSNull && cost["cost"] is NSNull)
        #expect(cost["correct"] as? Int == 0)
        let gate = try #require(cell["gate"] as? [String: Any])
        #expect(gate["observed"] is NSNull)
        #expect(gate["verdict"] as? String == "inconclusive")
        #expect((cell["unmeasured_reasons"] as? [String: Int]) == ["judge unreachable": 10])
    }

    @Test func figuresOfAFailingRun() throws {
        let data = try JSONReport.render([Fixtures.failing], generatedAt: Fixtures.created)
        let document = try JSONReport.decode(data)
        #expect(document.verdict == .fail)
        #expect(document.gateCounts.failed == 1 && document.gateCounts.inconclusive == 1 && document.gateCounts.total == 2)
        let run = try #require(document.runs.first)
        #expect(abs((run.run.durationSeconds ?? 0) - 754.321) < 1e-6)
        #expect(run.run.provenance["host"] == "ci-runner-7")
        #expect(run.run.dataset.caseCount == 40)
        #expect(run.cells.map(\.scorer) == ["exact", "judge", "length"])
        #expect(run.cells[0].gate?.basis == .lowerBound)
        #expect(run.cells[0].failingCaseIDs.contains(#"<&"'>"#))
        #expect(run.cells[2].gate == nil)
        #expect(run.gates.map(\.verdict) == [.fail, .inconclusive])
        #expect(run.targetErrors == ["timeout": 3, #"HTTP 500: upstream <error> & "quota""#: 1])
        #expect(run.costPerCorrect.correct == 15 && run.costPerCorrect.routes == ["refunds"])
        #expect(run.costPerCorrect.value == 0.02)
        #expect(run.usage.latency?.p50 == 1.2)
        #expect(run.routes["refunds"]?.cost == 0.3)
    }

    @Test func roundTripsToTheSameBytes() throws {
        let summaries = [Fixtures.passing, Fixtures.failing, Fixtures.inconclusive, Fixtures.empty, Fixtures.nastyNames]
        let data = try JSONReport.render(summaries, generatedAt: Fixtures.created)
        let document = try JSONReport.decode(data)
        let original = JSONReport.document(summaries, generatedAt: Fixtures.created)
        #expect(try JSONReport.encode(document) == data)
        #expect(document.runs.map(\.cells) == original.runs.map(\.cells))
        #expect(document.runs.map(\.usage) == original.runs.map(\.usage))
        #expect(document.runs.map(\.gates) == original.runs.map(\.gates))
        #expect(document.runs[4].cells[0].failingCaseIDs == Fixtures.nastyIDs.sorted())
        #expect(document.runs[4].run.targetName == "t|a\nrget")
        #expect(document.generatedAt == Fixtures.created)
        #expect(try JSONReport.render(summaries, generatedAt: Fixtures.created) == data, "rendering is deterministic")
    }

    @Test func keysAreSortedAndTextIsPrettyPrinted() throws {
        let data = try JSONReport.render([Fixtures.passing], generatedAt: Fixtures.created)
        let text = try #require(String(data: data, encoding: .utf8))
        let topLevel = text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  \""), let end = line.dropFirst(3).firstIndex(of: "\"") else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: 3)..<end])
        }
        #expect(topLevel == ["format", "format_version", "gate_counts", "generated_at", "runs", "verdict"])
        #expect(text.hasPrefix("{\n"))
        #expect(!text.contains("\\/"), "slashes are not escaped")
        #expect(text.contains("data/golden.jsonl"))
    }

    @Test func emptyInputIsAValidDocument() throws {
        let data = try JSONReport.render([], generatedAt: Fixtures.created)
        let document = try JSONReport.decode(data)
        #expect(document.runs.isEmpty)
        #expect(document.verdict == .inconclusive)
        #expect(document.gateCounts.total == 0)
    }

    @Test func nonFiniteNumbersAreReportedWithTheirPath() throws {
        var summary = Fixtures.passing
        summary.usage.latency?.p95 = .nan
        let error = try #require(throws: ReportError.self) {
            try JSONReport.render([summary], generatedAt: Fixtures.created)
        }
        #expect(error.description.contains("runs[0].usage.latency.p95"))
        #expect(error.shortDescription == "report.non_finite_number")
    }

    @Test(arguments: [
        (#"{"format": "something-else", "format_version": 1}"#, "report.unsupported_document"),
        (#"{"format": "assay-report", "format_version": 2}"#, "report.unsupported_document"),
        (#"[1, 2]"#, "report.malformed_document"),
        (#"{"format": "assay-report", "format_version": 1, "runs": []}"#, "report.malformed_document"),
    ])
    func decodeRejectsOtherDocuments(json: String, kind: String) throws {
        let error = try #require(throws: ReportError.self) { try JSONReport.decode(Data(json.utf8)) }
        #expect(error.shortDescription == kind)
    }
}
