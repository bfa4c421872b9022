import AssayCore
import Foundation
import Testing
@testable import AssayScorers

/// Builds a scorer from one rubric entry written in YAML (flow or block mapping), as the suite loader would, with
/// the suite's judges and folder in `context`.
func makeScorer(_ yaml: String, file: String = "suite.yaml", context: ScorerContext = .empty) throws -> any Scorer {
    try ScorerFactory.make(try scorerConfig(yaml, file: file), context: context)
}

/// Parses one rubric entry into a `ScorerConfig`. The entry sits under `rubric:` so field paths read as in a suite
/// (`rubric[0].pattern`) and line numbers count from the `rubric:` line (line 1).
func scorerConfig(_ yaml: String, file: String = "suite.yaml") throws -> ScorerConfig {
    let indented = yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
        index == 0 ? "  - " + line : "    " + line
    }.joined(separator: "\n")
    let root = try ConfigNode.parse("rubric:\n" + indented, file: file)
    let node = try #require(try root["rubric"]?.elements().first)
    let type = try node["type"]?.string() ?? ""
    return ScorerConfig(name: try node["name"]?.string() ?? type, type: type, options: node, gate: nil, location: node.location)
}

/// The configuration error building `yaml` (with `context`) throws, or nil when it builds.
func configError(_ yaml: String, file: String = "suite.yaml", context: ScorerContext = .empty) -> AssayError? {
    do {
        _ = try makeScorer(yaml, file: file, context: context)
        return nil
    } catch let error as AssayError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// Scores `output` for a case with the given expected answer.
func score(_ scorer: any Scorer, _ output: String, expected: String? = nil) async -> Score {
    await scorer.score(Case(id: "c1", input: .string("question"), expected: expected), Output(text: output))
}

/// The verdict of a score: true/false when scored, nil when unmeasured.
func verdict(_ score: Score) -> Bool? {
    score.status.isScored ? score.passed : nil
}

/// Checks the invariants every score must hold: unmeasured has no value and no verdict; scored has both, the value
/// in 0...1, and an explanation.
func checkInvariants(_ score: Score, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(!score.explanation.isEmpty, sourceLocation: sourceLocation)
    #expect(score.cost == 0, sourceLocation: sourceLocation)
    if score.status.isScored {
        #expect(score.passed != nil, sourceLocation: sourceLocation)
        if let value = score.value {
            #expect((0...1).contains(value), sourceLocation: sourceLocation)
        } else {
            Issue.record("a scored score has no value", sourceLocation: sourceLocation)
        }
    } else {
        #expect(score.passed == nil && score.value == nil, sourceLocation: sourceLocation)
    }
}
