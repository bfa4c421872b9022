import AssayCore
import Foundation
import Testing

@Suite struct DatasetTests {
    @Test func parsesRichJSONL() throws {
        let text = """
            {"id": "r1", "input": {"question": "q?"}, "expected": "a", "route": "refund", "expected_outcome": "refuse", "context": ["p1", "p2"], "tags": {"risk": "high"}, "weight": 2}
            // a comment
            {"id": 7, "messages": [{"role": "user", "content": "hi"}], "intent": "greet"}
            """
        let cases = try DatasetLoader.parseJSONL(text, file: "d.jsonl")
        #expect(cases.count == 2)
        #expect(cases[0].route == "refund")
        #expect(cases[0].expectedOutcome == .refuse)
        #expect(cases[0].context == ["p1", "p2"])
        #expect(cases[0].weight == 2)
        #expect(cases[0].templateVariables["question"] == .string("q?"))
        #expect(cases[0].templateVariables["expected"] == nil)
        #expect(cases[1].id == "7")
        #expect(cases[1].input == .string("hi"))
        #expect(cases[1].tags["intent"] == "greet")
    }

    @Test(arguments: [
        ("{\"id\": \"a\", \"input\": \"x\"}\n{\"id\": \"a\", \"input\": \"y\"}", 2, "duplicate case id 'a'"),
        ("{\"id\": \"a\", \"input\": \"x\"}\n{not json}", 2, "malformed JSON"),
        ("\n\n{\"input\": \"x\"}", 3, "missing required field 'id'"),
        ("{\"id\": \"a\", \"input\": \"x\", \"expected_outcome\": \"maybe\"}", 1, "answer, refuse, escalate"),
        ("{\"id\": \"a\", \"inptu\": \"x\"}", 1, "did you mean 'input'"),
        ("[1, 2]", 1, "must be a JSON object"),
    ])
    func errorsNameTheLine(text: String, line: Int, fragment: String) {
        do {
            _ = try DatasetLoader.parseJSONL(text, file: "d.jsonl")
            Issue.record("expected an error")
        } catch let error as AssayError {
            #expect(error.location == AssayCore.SourceLocation(file: "d.jsonl", line: line), "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
            #expect(error.category.exitCode == 2)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func parsesCSVWithQuotesAndVariables() throws {
        let text = "id,input.question,expected,route,tag.risk\r\nc1,\"Hello, \"\"world\"\"\",hi,faq,low\nc2,\"two\nlines\",x,faq,\n"
        let cases = try DatasetLoader.parseCSV(text, file: "d.csv")
        #expect(cases.count == 2)
        #expect(cases[0].input["question"] == .string("Hello, \"world\""))
        #expect(cases[0].tags["risk"] == "low")
        #expect(cases[1].input["question"] == .string("two\nlines"))
        #expect(cases[1].tags["risk"] == nil)
    }

    @Test func csvColumnCountMismatchNamesTheLine() {
        do {
            _ = try DatasetLoader.parseCSV("id,input\na,b\nc\n", file: "d.csv")
            Issue.record("expected an error")
        } catch let error as AssayError {
            #expect(error.location?.line == 3)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func hashIsOrderIndependentAndContentSensitive() {
        let a = Case(id: "a", input: .string("x"), expected: "1")
        let b = Case(id: "b", input: .string("y"))
        let one = Dataset(name: "d", cases: [a, b], sources: [])
        let two = Dataset(name: "d", cases: [b, a], sources: [])
        var changed = a
        changed.expected = "2"
        let three = Dataset(name: "d", cases: [changed, b], sources: [])
        #expect(one.manifest.sha256 == two.manifest.sha256)
        #expect(one.manifest.sha256 != three.manifest.sha256)
        #expect(one.manifest.sha256.count == 64)
    }

    @Test func canonicalJSONIsStable() throws {
        let value = try JSONValue.parse(#"{"b": [1, 2.5, "x\n"], "a": {"z": null, "y": true}}"#)
        #expect(value.canonicalText == #"{"a":{"y":true,"z":null},"b":[1,2.5,"x\n"]}"#)
        // Known SHA-256 of that text, so a change in canonical form is caught.
        #expect(Fingerprint.sha256(value) == Fingerprint.sha256(#"{"a":{"y":true,"z":null},"b":[1,2.5,"x\n"]}"#))
        #expect(Fingerprint.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
