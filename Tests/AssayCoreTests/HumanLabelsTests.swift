import Foundation
import Testing
@testable import AssayCore

@Suite struct HumanLabelsTests {
    @Test func labelsParseWithTheirOptionalFields() throws {
        let labels = try HumanLabels.parse("""
            # reviewed by the support team
            {"id": "a", "scorer": "helpful", "passed": true}
            {"id": "b", "sample": 1, "passed": false, "score": 2, "note": "rude"}

            {"id": "c", "score": 4.5}
            """, displayPath: "labels.jsonl")
        #expect(labels.map(\.caseID) == ["a", "b", "c"])
        #expect(labels[0].scorer == "helpful" && labels[0].passed == true && labels[0].sample == nil)
        #expect(labels[1].sample == 1 && labels[1].score == 2)
        #expect(labels[2].passed == nil && labels[2].score == 4.5)
        #expect(labels[2].location.line == 5)
    }

    @Test(arguments: [
        (#"{"id": "a", "passed": "yes"}"#, "passed", "true or false"),
        (#"{"passed": true}"#, "id", "needs 'id'"),
        (#"{"id": "a"}"#, "passed", "needs 'passed'"),
        (#"{"id": "a", "passd": true}"#, "passd", "did you mean 'passed'"),
        (#"{"id": "a", "sample": -1, "passed": true}"#, "sample", "whole number"),
        ("not json", nil, "not a JSON object"),
    ])
    func badLinesNameTheirLineAndField(line: String, field: String?, fragment: String) {
        do {
            _ = try HumanLabels.parse(#"{"id": "ok", "passed": true}"# + "\n" + line, displayPath: "labels.jsonl")
            Issue.record("expected an error for \(line)")
        } catch let error as AssayError {
            #expect(error.category == .dataset)
            #expect(error.location?.line == 2)
            #expect(error.location?.file == "labels.jsonl")
            #expect(error.field == field)
            #expect(error.description.contains(fragment), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aLabelGivenTwiceIsAnError() {
        let text = #"{"id": "a", "scorer": "s", "passed": true}"# + "\n" + #"{"id": "a", "scorer": "s", "passed": false}"#
        #expect(throws: AssayError.self) { try HumanLabels.parse(text, displayPath: "l.jsonl") }
        #expect((try? HumanLabels.parse(text.replacingOccurrences(of: #""scorer": "s", "passed": false"#, with: #""scorer": "t", "passed": false"#), displayPath: "l.jsonl"))?.count == 2)
    }
}
