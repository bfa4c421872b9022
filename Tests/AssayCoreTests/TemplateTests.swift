import AssayCore
import Foundation
import Testing

@Suite struct TemplateTests {
    let here = AssayCore.SourceLocation(file: "prompt.mustache", line: 1)

    @Test func rendersVariablesWithoutHTMLEscaping() throws {
        let template = try TextTemplate("Q: {{question}} & {{n}}", location: here)
        #expect(try template.render(["question": .string("<a> & \"b\""), "n": .number(3)]) == "Q: <a> & \"b\" & 3")
    }

    @Test func missingVariableIsAnErrorNamingItAndItsLine() throws {
        let template = try TextTemplate("line one\nHello {{name}}, {{greeting}}", location: here)
        do {
            _ = try template.render(["name": .string("Ada")], caseID: "c1")
            Issue.record("a missing variable must not render")
        } catch let error as AssayError {
            #expect(error.message.contains("'greeting'"))
            #expect(error.message.contains("case 'c1'"))
            #expect(error.location?.line == 2)
        }
    }

    @Test func optionalSectionsMayBeAbsent() throws {
        let template = try TextTemplate("{{#context}}- {{.}}\n{{/context}}{{^context}}no context{{/context}}", location: here)
        #expect(try template.render([:]) == "no context")
        #expect(try template.render(["context": .array([.string("a"), .string("b")])]) == "- a\n- b\n")
    }

    @Test func sectionMembersResolveAgainstTheSection() throws {
        let template = try TextTemplate("{{#user}}{{name}}{{/user}}", location: here)
        #expect(try template.render(["user": .object(["name": .string("Ada")])]) == "Ada")
        #expect(template.missingVariables(in: ["user": .object(["age": .number(3)])]).map(\.name) == ["name"])
    }

    @Test func dottedNamesAreChecked() throws {
        let template = try TextTemplate("{{order.id}}", location: here)
        #expect(try template.render(["order": .object(["id": .string("A1")])]) == "A1")
        #expect(template.missingVariables(in: ["order": .object([:])]).map(\.name) == ["order.id"])
    }

    @Test func jsonEscapingKeepsBodiesValid() throws {
        let template = try TextTemplate(#"{"q": "{{input}}"}"#, location: here, escaping: .json)
        let body = try template.render(["input": .string("say \"hi\"\nnow\\")])
        #expect(try JSONValue.parse(body)["q"] == .string("say \"hi\"\nnow\\"))
    }

    @Test(arguments: ["{{#a}}unclosed", "{{> partial}}", "{{=<% %>=}}", "{{name"])
    func unsupportedOrBrokenTagsAreConfigErrors(text: String) {
        #expect(throws: AssayError.self) { _ = try TextTemplate(text, location: here) }
    }

    @Test func promptFileSplitsRoles() throws {
        let prompt = try PromptTemplate(fileText: "[system]\nBe brief.\n[user]\n{{input}}\n", file: "p.mustache")
        let messages = try prompt.render(for: Case(id: "x", input: .string("hi")))
        #expect(messages == [Message(role: "system", content: "Be brief."), Message(role: "user", content: "hi")])
    }

    @Test func expectedAnswerNeverReachesThePrompt() throws {
        let prompt = try PromptTemplate(fileText: "{{expected}}", file: "p.mustache")
        #expect(throws: AssayError.self) { _ = try prompt.render(for: Case(id: "x", input: .string("q"), expected: "secret")) }
    }
}

@Suite struct TemplateStrictnessTests {
    let here = AssayCore.SourceLocation(file: "prompt.mustache", line: 1)

    @Test func nullIsMissing() throws {
        let template = try TextTemplate("Q: [{{name}}]", location: here)
        #expect(template.missingVariables(in: ["name": .null]).map(\.name) == ["name"])
    }

    @Test func invertedSectionBodiesAreCheckedWhenTheyRender() throws {
        let template = try TextTemplate("{{^context}}Q: [{{question}}]{{/context}}", location: here)
        #expect(template.missingVariables(in: [:]).map(\.name) == ["question"])
        #expect(template.missingVariables(in: ["context": .array([.string("c")])]).isEmpty, "the body does not render")
    }

    @Test func everyListElementMustHaveTheName() throws {
        let template = try TextTemplate("{{#items}}<{{name}}>{{/items}}", location: here)
        let mixed: JSONValue = .array([.object(["name": .string("a")]), .object([:])])
        #expect(template.missingVariables(in: ["items": mixed]).map(\.name) == ["name"])
    }

    @Test func listIndexesAreAConfigError() {
        #expect(throws: AssayError.self) { _ = try TextTemplate("{{items.0}}", location: here) }
    }

    @Test func objectsRenderAsCanonicalJSON() throws {
        let template = try TextTemplate("{{profile}} {{tags}}", location: here)
        let rendered = try template.render([
            "profile": .object(["zeta": .number(1), "alpha": .string("x")]),
            "tags": .array([.string("b"), .number(2.5)]),
        ])
        #expect(rendered == #"{"alpha":"x","zeta":1} ["b",2.5]"#)
    }
}

@Suite struct ReviewRegressionTests {
    @Test func crlfPromptFilesSplitRoles() throws {
        let prompt = try PromptTemplate(fileText: "[system]\r\nBe brief.\r\n[user]\r\n{{input}}\r\n", file: "p.mustache")
        let messages = try prompt.render(for: Case(id: "x", input: .string("hi")))
        #expect(messages.map(\.role) == ["system", "user"])
        #expect(messages.last?.content == "hi")
    }

    @Test func crlfDatasetsParse() throws {
        let cases = try DatasetLoader.parseJSONL("{\"id\": \"a\", \"input\": \"x\"}\r\n{\"id\": \"b\", \"input\": \"y\"}\r\n", file: "d.jsonl")
        #expect(cases.map(\.id) == ["a", "b"])
    }

    @Test func inputMembersWinOverCaseMetadata() {
        let testCase = Case(id: "case-7", input: .object(["route": .string("LHR-JFK"), "id": .string("cust-42")]), route: "travel")
        #expect(testCase.templateVariables["route"] == .string("LHR-JFK"))
        #expect(testCase.templateVariables["id"] == .string("cust-42"))
    }

    @Test func riskWinsOverItsAliasWhateverTheOrder() throws {
        for _ in 0..<5 {
            let cases = try DatasetLoader.parseJSONL(#"{"id": "a", "input": "x", "risk": "high", "risk_tier": "low"}"#, file: "d.jsonl")
            #expect(cases[0].tags["risk"] == "high")
        }
    }

    @Test func hugeNumbersDoNotTrap() throws {
        #expect(JSONValue.number(1e300).intValue == nil)
        #expect(JSONValue.number(2.5).intValue == nil)
        #expect(JSONValue.number(42).intValue == 42)
    }
}
