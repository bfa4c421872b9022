import Foundation

/// Reads and validates a suite file. Every error names the file, line and field.
public enum SuiteLoader {
    static let topLevelFields: Set<String> = ["name", "description", "targets", "target", "judges", "datasets", "dataset", "prompt", "rubric", "routes", "run"]
    static let targetFields: Set<String> = [
        "name", "provider", "base_url", "model", "api_key_env", "headers", "parameters", "stream", "top_logprobs",
        "tools", "prices", "timeout", "retries", "max_concurrency", "url", "body", "answer_path", "tool_calls_path",
        "command", "path", "structured_output",
    ]

    /// Loads a suite.
    /// - Parameter path: The suite file's path, as the user typed it.
    /// - Returns: The validated suite.
    /// - Throws: `AssayError` (config) naming file, line and field.
    public static func load(path: String) throws -> Suite {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw AssayError.config("cannot read the suite file; check the path (run `assay init DIR` to create one)", at: SourceLocation(file: path))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AssayError.config("the suite file is not UTF-8 text", at: SourceLocation(file: path))
        }
        return try parse(text, url: url, displayPath: path, sha256: Fingerprint.sha256(data))
    }

    /// Parses suite text.
    /// - Parameters:
    ///   - text: The YAML text.
    ///   - url: The suite file's URL (relative paths inside resolve against its folder).
    ///   - displayPath: The path shown in errors.
    ///   - sha256: The file's hash.
    /// - Returns: The validated suite.
    /// - Throws: `AssayError` (config).
    public static func parse(_ text: String, url: URL, displayPath: String, sha256: String? = nil) throws -> Suite {
        let root = try ConfigNode.parse(text, file: displayPath)
        try root.expectMapping(allowed: topLevelFields)
        let folder = url.deletingLastPathComponent()
        let displayFolder = (displayPath as NSString).deletingLastPathComponent
        func resolve(_ relative: String) -> (URL, String) {
            if relative.hasPrefix("/") { return (URL(fileURLWithPath: relative), relative) }
            let shown = displayFolder.isEmpty ? relative : (displayFolder as NSString).appendingPathComponent(relative)
            return (folder.appendingPathComponent(relative).standardizedFileURL, shown)
        }

        let name = try root["name"]?.string() ?? url.deletingPathExtension().lastPathComponent
        let description = try root["description"]?.string()

        // Targets
        var targets: [TargetConfig] = []
        if let single = root["target"] {
            if root["targets"] != nil { throw single.error("give either 'target' or 'targets', not both") }
            targets.append(try parseTarget(single, index: 0, resolve: resolve))
        } else if let list = root["targets"] {
            for (index, node) in try list.elements().enumerated() {
                targets.append(try parseTarget(node, index: index, resolve: resolve))
            }
        }
        guard !targets.isEmpty else {
            throw AssayError.config("the suite has no targets; add a 'targets:' list (see docs/suite-reference.md)", at: root.location, field: "targets")
        }
        var targetNames: Set<String> = []
        for target in targets where !targetNames.insert(target.name).inserted {
            throw AssayError.config("two targets are named '\(target.name)'; names must be unique", at: target.location, field: "targets")
        }

        // Judges
        var judges: [TargetConfig] = []
        if let list = root["judges"] {
            for (index, node) in try list.elements().enumerated() {
                var judge = try parseTarget(node, index: index, resolve: resolve)
                if node["name"] == nil { judge.name = "judge\(index + 1)" }
                guard judge.kind == .openai || judge.kind == .anthropic else {
                    throw node.error("a judge's provider must be openai or anthropic")
                }
                guard !judges.contains(where: { $0.name == judge.name }) else {
                    throw node.error("two judges are named '\(judge.name)'; names must be unique")
                }
                judges.append(judge)
            }
        }

        // Datasets
        var datasets: [DatasetConfig] = []
        var datasetNodes: [ConfigNode] = []
        if let single = root["dataset"] {
            datasetNodes = [single]
        } else if let list = root["datasets"] {
            datasetNodes = list.isSequence ? try list.elements() : [list]
        }
        for node in datasetNodes {
            var path: String
            var dsName: String?
            var version: String?
            if node.isScalar {
                path = try node.string()
            } else {
                try node.expectMapping(allowed: ["path", "name", "version"])
                guard let pathNode = node["path"] else { throw node.error("missing 'path' of the dataset file") }
                path = try pathNode.string()
                dsName = try node["name"]?.string()
                version = try node["version"]?.string()
            }
            let (fileURL, shown) = resolve(path)
            guard FileManager.default.fileExists(atPath: fileURL.path) else {
                throw node.error("dataset file '\(shown)' does not exist (paths are relative to the suite file)")
            }
            let ext = fileURL.pathExtension.lowercased()
            guard ["jsonl", "ndjson", "csv"].contains(ext) else {
                throw node.error("dataset '\(path)' must be .jsonl or .csv")
            }
            path = shown
            datasets.append(DatasetConfig(
                url: fileURL, path: path, name: dsName ?? fileURL.deletingPathExtension().lastPathComponent,
                version: version, location: node.location
            ))
        }
        let recordedOnly = targets.allSatisfy { $0.kind == .recorded }
        guard !datasets.isEmpty else {
            throw AssayError.config("the suite has no datasets; add 'datasets: [cases.jsonl]'", at: root.location, field: "datasets")
        }

        // Prompt
        let prompt = try root["prompt"].map { try parsePrompt($0, resolve: resolve) }

        // Rubrics
        let rubric = try root["rubric"].map { try parseRubric($0) } ?? []
        var routes: [String: RouteConfig] = [:]
        if let routesNode = root["routes"] {
            for (routeName, node) in try routesNode.members() {
                try node.expectMapping(allowed: ["prompt", "response_format", "rubric", "risk", "tools", "parameters"])
                var route = RouteConfig(name: routeName)
                if let riskNode = node["risk"] {
                    let text = try riskNode.string()
                    guard let risk = RouteRisk(rawValue: text) else {
                        throw riskNode.error("'risk' is 'high' or 'normal', got '\(text)'")
                    }
                    route.risk = risk
                }
                route.prompt = try node["prompt"].map { try parsePrompt($0, resolve: resolve) }
                route.responseFormat = try node["response_format"].map { try parseResponseFormat($0) }
                route.tools = try node["tools"].map { try parseTools($0) }
                if let parameters = node["parameters"] {
                    guard parameters.isMapping, case .object(let object) = parameters.json else {
                        throw parameters.error("parameters must be a mapping such as {tool_choice: required, max_tokens: 128}")
                    }
                    route.parameters = object
                }
                route.rubric = try node["rubric"].map { try parseRubric($0) } ?? []
                var names = Set(rubric.map(\.name))
                for scorer in route.rubric where !names.insert(scorer.name).inserted {
                    throw AssayError.config("scorer name '\(scorer.name)' is used twice for route '\(routeName)'; give one a 'name:'", at: scorer.location, field: "name")
                }
                routes[routeName] = route
            }
        }
        if prompt == nil && !recordedOnly {
            let unprompted = targets.filter { $0.kind == .openai }
            if let first = unprompted.first, routes.values.contains(where: { $0.prompt == nil }) || routes.isEmpty {
                throw AssayError.config("target '\(first.name)' needs a prompt: add 'prompt: prompt.mustache' (or per route)", at: root.location, field: "prompt")
            }
        }

        // Run settings
        var run = RunSettings()
        if let node = root["run"] {
            try node.expectMapping(allowed: ["samples", "concurrency"])
            if let samples = node["samples"] {
                run.samples = try samples.int()
                guard (1...1000).contains(run.samples) else { throw samples.error("samples must be between 1 and 1000") }
            }
            if let concurrency = node["concurrency"] {
                run.concurrency = try concurrency.int()
                guard (1...4096).contains(run.concurrency) else { throw concurrency.error("concurrency must be between 1 and 4096") }
            }
        }

        var suite = Suite(
            name: name, description: description, fileURL: url, fileSHA256: sha256 ?? Fingerprint.sha256(text),
            targets: targets, datasets: datasets, prompt: prompt, rubric: rubric, routes: routes, run: run
        )
        suite.judges = judges
        return suite
    }

    static func parsePrompt(_ node: ConfigNode, resolve: (String) -> (URL, String)) throws -> PromptTemplate {
        if node.isScalar {
            let path = try node.string()
            let (url, shown) = resolve(path)
            guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
                throw node.error("cannot read prompt file '\(shown)' (paths are relative to the suite file)")
            }
            return try PromptTemplate(fileText: text, file: shown)
        }
        try node.expectMapping(allowed: ["system", "user", "assistant"])
        var messages: [(role: String, template: TextTemplate)] = []
        for (role, child) in try node.members() {
            // Block scalars start on the line after the key.
            var location = child.location
            if child.isBlockScalar {
                location.line = (location.line ?? 0) + 1
            }
            messages.append((role, try TextTemplate(try child.string(), location: location)))
        }
        return PromptTemplate(messages: messages)
    }

    static func parseResponseFormat(_ node: ConfigNode) throws -> JSONValue {
        // Shorthand: `response_format: {json_schema: {...schema...}, name: answer}`; otherwise sent as written.
        if let schema = node["json_schema"], node["type"] == nil {
            try node.expectMapping(allowed: ["json_schema", "name", "strict"])
            guard schema.isMapping else { throw schema.error("json_schema must be a JSON Schema object") }
            let name = try node["name"]?.string() ?? "response"
            return .object([
                "type": .string("json_schema"),
                "json_schema": .object(["name": .string(name), "schema": schema.json, "strict": .bool(try node["strict"]?.bool() ?? true)]),
            ])
        }
        guard node.isMapping else { throw node.error("response_format must be a mapping") }
        return node.json
    }

    /// A list of OpenAI tool definitions: `{type: function, function: {name, description?, parameters?}}`.
    static func parseTools(_ node: ConfigNode) throws -> JSONValue {
        let example = "e.g. {type: function, function: {name: lookup_order, parameters: {type: object, properties: {order_id: {type: string}}}}}"
        for tool in try node.elements() {
            guard tool.isMapping, let function = tool["function"], function.isMapping else {
                throw tool.error("each tool is an OpenAI tool definition, \(example)")
            }
            guard let name = function["name"], !(try name.string()).isEmpty else {
                throw function.error("a tool's function needs a 'name', \(example)")
            }
        }
        return node.json
    }

    static func parseRubric(_ node: ConfigNode) throws -> [ScorerConfig] {
        var scorers: [ScorerConfig] = []
        var names: Set<String> = []
        for element in try node.elements() {
            guard element.isMapping else { throw element.error("each scorer is a mapping with at least 'type'") }
            guard let typeNode = element["type"] else { throw element.error("missing 'type' of the scorer (e.g. contains, regex, json_schema)") }
            let type = try typeNode.string()
            let name = try element["name"]?.string() ?? type
            guard names.insert(name).inserted else {
                throw element.error("scorer name '\(name)' is used twice; give one a 'name:'")
            }
            var gate: GateConfig?
            if let gateNode = element["gate"] {
                if gateNode.isScalar {
                    gate = GateConfig(minPassRate: try gateNode.double())
                } else {
                    try gateNode.expectMapping(allowed: ["min_pass_rate", "on", "max_unmeasured"])
                    guard let minNode = gateNode["min_pass_rate"] else { throw gateNode.error("missing 'min_pass_rate'") }
                    var basis = GateConfig.Basis.point
                    if let onNode = gateNode["on"] {
                        guard let value = GateConfig.Basis(rawValue: try onNode.string()) else {
                            throw onNode.error("'on' must be 'point' or 'lower_bound'")
                        }
                        basis = value
                    }
                    var maxUnmeasured: Double?
                    if let node = gateNode["max_unmeasured"] {
                        let value = try node.double()
                        guard (0...1).contains(value) else { throw node.error("max_unmeasured is a fraction between 0 and 1") }
                        maxUnmeasured = value
                    }
                    gate = GateConfig(minPassRate: try minNode.double(), basis: basis, maxUnmeasured: maxUnmeasured)
                }
                if let gate, !(0...1).contains(gate.minPassRate) {
                    throw gateNode.error("a gate's minimum pass rate is a fraction between 0 and 1 (e.g. 0.9)")
                }
            }
            scorers.append(ScorerConfig(name: name, type: type, options: element, gate: gate, location: element.location))
        }
        return scorers
    }

    static func parseTarget(_ node: ConfigNode, index: Int, resolve: (String) -> (URL, String)) throws -> TargetConfig {
        try node.expectMapping(allowed: targetFields)
        guard let providerNode = node["provider"] else {
            throw node.error("missing 'provider' (one of \(TargetKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let providerName = try providerNode.string()
        guard let kind = TargetKind(rawValue: providerName) else {
            let hint = ConfigNode.closest(to: providerName, in: TargetKind.allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
            throw providerNode.error("unknown provider '\(providerName)'\(hint) (one of \(TargetKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var target = TargetConfig(name: try node["name"]?.string() ?? "target\(index + 1)", kind: kind, location: node.location)
        func required(_ key: String, _ what: String) throws -> ConfigNode {
            guard let child = node[key] else { throw node.error("provider '\(kind.rawValue)' needs '\(key)' (\(what))") }
            return child
        }
        switch kind {
        case .openai:
            let urlNode = try required("base_url", "e.g. http://127.0.0.1:8089/v1")
            target.baseURL = try validURL(urlNode)
            target.model = try required("model", "the model name the server expects").string()
        case .anthropic:
            target.baseURL = try node["base_url"].map(validURL) ?? "https://api.anthropic.com/v1"
            target.model = try required("model", "e.g. claude-sonnet-4-5").string()
        case .http:
            let urlNode = try required("url", "your endpoint")
            target.url = try validURL(urlNode)
            let bodyNode = try required("body", "a JSON body template such as '{\"question\": \"{{input}}\"}'")
            target.bodyTemplate = try TextTemplate(try bodyNode.string(), location: bodyNode.location, escaping: .json)
            target.answerPath = try required("answer_path", "where the answer is in the response, e.g. data.answer").string()
            target.toolCallsPath = try node["tool_calls_path"]?.string()
        case .exec:
            let commandNode = try required("command", "a list such as [python3, agent.py]")
            let command = commandNode.isSequence ? try commandNode.elements().map { try $0.string() } : [try commandNode.string()]
            guard !command.isEmpty, !command[0].isEmpty else { throw commandNode.error("the command is empty") }
            target.command = command
        case .recorded:
            let pathNode = try required("path", "a JSONL file of {\"id\", \"output\"} lines")
            let (url, shown) = resolve(try pathNode.string())
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw pathNode.error("recorded outputs file '\(shown)' does not exist")
            }
            target.recordedPath = url
        }
        target.apiKeyEnv = try node["api_key_env"]?.string()
        if let headers = node["headers"] {
            for (key, value) in try headers.members() { target.headers[key] = try value.string() }
        }
        if let parameters = node["parameters"] {
            guard parameters.isMapping, case .object(let object) = parameters.json else {
                throw parameters.error("parameters must be a mapping such as {temperature: 0, max_tokens: 256}")
            }
            target.parameters = object
        }
        target.stream = try node["stream"]?.bool() ?? false
        if let style = node["structured_output"] {
            guard let value = StructuredOutputStyle(rawValue: try style.string()) else {
                throw style.error("structured_output must be one of \(StructuredOutputStyle.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            target.structuredOutput = value
        }
        target.topLogprobs = try node["top_logprobs"]?.int()
        if let tools = node["tools"] {
            target.tools = try parseTools(tools)
        }
        if let prices = node["prices"] {
            try prices.expectMapping(allowed: ["input", "output"])
            target.prices = Prices(input: try prices["input"]?.double() ?? 0, output: try prices["output"]?.double() ?? 0)
            guard (target.prices?.input ?? 0) >= 0, (target.prices?.output ?? 0) >= 0 else {
                throw prices.error("prices are US dollars per million tokens, at least 0")
            }
        }
        if let timeout = node["timeout"] {
            target.timeout = try timeout.double()
            guard target.timeout > 0, target.timeout <= 86_400 else { throw timeout.error("timeout is a number of seconds between 0 and 86400") }
        }
        if let retries = node["retries"] {
            if retries.isScalar {
                let count = try retries.int()
                guard (0...100).contains(count) else { throw retries.error("retries must be between 0 and 100") }
                target.retry.maxAttempts = count + 1
            } else {
                try retries.expectMapping(allowed: ["max_attempts", "initial_delay", "max_delay"])
                if let value = retries["max_attempts"] { target.retry.maxAttempts = try value.int() }
                if let value = retries["initial_delay"] { target.retry.initialDelay = try value.double() }
                if let value = retries["max_delay"] { target.retry.maxDelay = try value.double() }
            }
            guard (1...101).contains(target.retry.maxAttempts) else { throw retries.error("max_attempts must be between 1 and 101") }
            guard (0...3600).contains(target.retry.initialDelay), (0...3600).contains(target.retry.maxDelay) else {
                throw retries.error("retry delays are seconds between 0 and 3600")
            }
        }
        if let value = node["max_concurrency"] {
            target.maxConcurrency = try value.int()
            guard (target.maxConcurrency ?? 0) >= 1 else { throw value.error("max_concurrency must be at least 1") }
        }
        return target
    }

    static func validURL(_ node: ConfigNode) throws -> String {
        let text = try node.string()
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw node.error("'\(text)' is not an http(s) URL")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}

extension ScorerConfig {
    /// Parses a list of scorer configurations (a rubric, or the `scorers:` of a composite scorer).
    /// - Parameter node: The list.
    /// - Returns: The configurations, in order.
    /// - Throws: `AssayError` (config) at the offending entry: a missing `type`, a repeated name, a bad gate.
    public static func list(from node: ConfigNode) throws -> [ScorerConfig] {
        try SuiteLoader.parseRubric(node)
    }
}
