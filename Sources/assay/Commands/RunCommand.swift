import ArgumentParser
import AssayCore
import AssayEngine
import AssayProviders
import AssayReport
import AssayScorers
import AssayStore
import Foundation
import Logging

/// `assay run SUITE.yaml`: runs a suite against its targets, stores every trial, reports and gates.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a suite: call the target for every case, score, store, report and gate.",
        discussion: """
            Exit codes: 0 every gate passes (or is inconclusive without --strict); 1 a gate failed; \
            2 usage, suite or dataset error; 3 the run could not complete (provider unreachable, store unavailable).
            """
    )

    @Argument(help: "The suite file (YAML).")
    var suite: String

    @Option(help: "Write the JSON report here.")
    var json: String?

    @Option(help: "Write the JUnit XML report here.")
    var junit: String?

    @Option(help: "Write the Markdown report here.")
    var markdown: String?

    @Option(help: "Trials in flight at once (overrides the suite's run.concurrency).")
    var concurrency: Int?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the response cache.")
    var noCache = false

    @Option(help: "The SQLite store file.")
    var store = ".assay/assay.sqlite"

    @Option(help: "Run only this target (by name).")
    var target: String?

    @Option(help: ArgumentHelp("Judge gates against this run with paired tests: a run id, or 'latest' (this suite's latest completed run of the target).", valueName: "RUN_ID|latest"))
    var baseline: String?

    @Option(help: "Stop scheduling new trials once this many US dollars have been spent (what ran is kept and reported; exit 3).")
    var budget: Double?

    @Option(name: .customLong("max-calls"), help: "Stop scheduling new trials after this many provider calls (exit 3).")
    var maxCalls: Int?

    @Flag(name: .customLong("dry-run"), help: "Check the suite and print the plan and its estimate, without calling anything.")
    var dryRun = false

    @Flag(help: "Treat inconclusive gates as failures.")
    var strict = false

    @Flag(help: "Don't print the terminal summary.")
    var quiet = false

    @Flag(help: "Finish an interrupted run instead of starting a new one (RUN_ID, or this suite's latest run).")
    var resume = false

    @Argument(help: ArgumentHelp("With --resume: the run to finish (default: this suite's latest run of the target).", valueName: "RUN_ID"))
    var resumeID: String?

    mutating func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let budget, !(budget > 0) { throw ValidationError("--budget is a positive amount of US dollars") }
        if let maxCalls, maxCalls < 1 { throw ValidationError("--max-calls must be at least 1") }
        if resumeID != nil && !resume { throw ValidationError("unexpected argument '\(resumeID ?? "")'; did you mean --resume \(resumeID ?? "")?") }
    }

    func run() async throws {
        do {
            try await execute()
        } catch is DryRunDone {
            print("Dry run: the suite is valid; nothing was called.")
        }
    }

    func execute() async throws {
        let suite = try SuiteLoader.load(path: self.suite)
        let targets = try selectTargets(suite)
        let store = try SQLiteStore(path: self.store)
        let maxConcurrency = concurrency ?? suite.run.concurrency
        let client = HTTPClientBox(concurrency: maxConcurrency)
        let plans: [RunPlan]
        do {
            let context = try Judges.context(for: suite, client: client, cache: noCache ? nil : store)
            plans = try targets.map { try RunPlan(suite: suite, target: $0, context: context) }
        } catch {
            await client.shutdown()
            throw error
        }
        if !quiet, let first = plans.first {
            let lines = Planning.detectabilityLines(dataset: first.dataset)
            FileHandle.standardError.write(Data(("What this suite can detect (paired, 80% power, alpha 0.05, 20% discordance):\n" + lines.map { "  \($0)\n" }.joined()).utf8))
        }
        var summaries: [RunSummary] = []
        do {
            for plan in plans {
                summaries.append(try await execute(plan, store: store, client: client))
            }
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        try writeReports(summaries)
        try exit(for: summaries)
    }

    func selectTargets(_ suite: Suite) throws -> [TargetConfig] {
        guard let target else { return suite.targets }
        guard let chosen = suite.targets.first(where: { $0.name == target }) else {
            let names = suite.targets.map(\.name).joined(separator: ", ")
            throw AssayError(.usage, "no target named '\(target)' in \(self.suite) (targets: \(names))")
        }
        return [chosen]
    }

    var resumeRequested: Bool { resume }

    func execute(_ plan: RunPlan, store: SQLiteStore, client: HTTPClientBox) async throws -> RunSummary {
        let target = try plan.targetConfig.makeTarget(client: client, suiteFolder: plan.suite.fileURL.deletingLastPathComponent())
        let options = RunOptions(
            concurrency: concurrency, useCache: !noCache, provenance: Provenance.collect(suiteURL: plan.suite.fileURL),
            budgetUSD: budget, maxCalls: maxCalls
        )
        let runner = Runner(store: store, target: target, options: options, observer: ProgressPrinter(label: plan.targetConfig.name))
        if dryRun || !quiet {
            let estimate = await plan.estimate(target: target, cache: noCache ? nil : store)
            FileHandle.standardError.write(Data("\(plan.targetConfig.name): estimate: \(estimate.description)\n".utf8))
        }
        if dryRun { throw DryRunDone() }
        let run: RunRecord
        if resumeRequested {
            let previous: RunRecord?
            if let id = resumeID, id != "latest" {
                previous = try await store.run(id: id)
                guard previous != nil else { throw AssayError(.usage, "no run '\(id)' in \(self.store); list runs with `assay runs`") }
            } else {
                previous = try await store.runs(suitePath: plan.suite.fileURL.path, targetName: plan.targetConfig.name, limit: 1).first
                guard previous != nil else {
                    throw AssayError(.usage, "nothing to resume: no earlier run of \(self.suite) with target '\(plan.targetConfig.name)'; run it without --resume")
                }
            }
            guard let previous else { throw AssayError(.usage, "nothing to resume") }
            guard previous.targetName == plan.targetConfig.name else {
                throw AssayError(.usage, "run \(previous.id) is of target '\(previous.targetName)'; pass --target \(previous.targetName)")
            }
            run = try await runner.resume(plan, run: previous)
        } else {
            run = try await runner.start(plan)
        }
        let trials = try await store.trials(runID: run.id)
        var order: [String: [String]] = [:]
        for (route, scorers) in plan.scorers { order[route] = scorers.map(\.name) }
        let summary = Aggregator.summarize(
            run: run, trials: trials, scorerOrder: order, gates: plan.gates, highRiskRoutes: plan.suite.highRiskRoutes
        )
        guard let baseline else { return summary }
        let baseRun: RunRecord
        if baseline == "latest" {
            let candidates = try await store.runs(suitePath: plan.suite.fileURL.path, targetName: plan.targetConfig.name, limit: 50)
            guard let found = candidates.first(where: { $0.id != run.id && $0.status == .completed }) else {
                FileHandle.standardError.write(Data("note: no earlier completed run of this suite and target to compare with; gates use thresholds only\n".utf8))
                return summary
            }
            baseRun = found
        } else {
            baseRun = try await RunLookup.find(baseline, in: store, storePath: self.store)
        }
        let comparison = Comparator.compare(baseline: (baseRun, try await store.trials(runID: baseRun.id)), candidate: (run, trials))
        return Aggregator.applyBaseline(summary, comparison: comparison)
    }

    func writeReports(_ summaries: [RunSummary]) throws {
        if !quiet {
            let color = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            print(TerminalReport.render(summaries, color: color, width: Self.terminalWidth()), terminator: "")
        }
        if let json {
            try write(try JSONReport.render(summaries), to: json)
        }
        if let junit {
            try write(Data(JUnitReport.render(summaries).utf8), to: junit)
        }
        if let markdown {
            try write(Data(MarkdownReport.render(summaries).utf8), to: markdown)
        }
    }

    /// The terminal's width, or `COLUMNS`, or 120 when output is not a terminal.
    static func terminalWidth() -> Int {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 120
    }

    func write(_ data: Data, to path: String) throws {
        try ReportFiles.write(data, to: path)
    }

    func exit(for summaries: [RunSummary]) throws {
        if let stopped = summaries.first(where: { $0.run.status == .interrupted && $0.run.provenance["stopped"] == "budget" }) {
            throw AssayError(.incomplete, "the budget ran out: run \(stopped.run.id) finished \(stopped.usage.trials) of \(stopped.run.totalTrials) trials (reported above); finish it with `assay run \(self.suite) --resume \(stopped.run.id)`")
        }
        // A run where the target answered nothing could not complete: exit 3, whatever the gates say.
        if let dead = summaries.first(where: { $0.usage.trials > 0 && $0.usage.answered == 0 }) {
            let reason = dead.targetErrors.max { $0.value < $1.value }?.key ?? "no answers"
            throw AssayError(.incomplete, "target '\(dead.run.targetName)' answered no trial (\(reason)); is it running and reachable?")
        }
        if summaries.contains(where: { $0.verdict == .fail }) { throw ExitCode(1) }
        if strict && summaries.contains(where: { $0.verdict == .inconclusive }) { throw ExitCode(1) }
    }
}

/// What a run records about where it came from.
enum Provenance {
    static func collect(suiteURL: URL) -> [String: String] {
        var info: [String: String] = [
            "assay_version": AssayCommand.version,
            "host": ProcessInfo.processInfo.hostName,
            "os": ProcessInfo.processInfo.operatingSystemVersionString,
        ]
        if let revision = git(["rev-parse", "HEAD"], in: suiteURL.deletingLastPathComponent()) {
            info["git_revision"] = revision
            if let status = git(["status", "--porcelain"], in: suiteURL.deletingLastPathComponent()) {
                info["git_dirty"] = status.isEmpty ? "false" : "true"
            }
        }
        return info
    }

    static func git(_ arguments: [String], in folder: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Ends a dry run after the plan and estimate are printed.
struct DryRunDone: Error {}

/// Builds the suite's judges for judge scorers.
enum Judges {
    static func context(for suite: Suite, client: HTTPClientBox, cache: (any ResponseCache)?) throws -> ScorerContext {
        var judges: [String: JudgeClient] = [:]
        for config in suite.judges {
            if let env = config.apiKeyEnv, (ProcessInfo.processInfo.environment[env] ?? "").isEmpty {
                throw AssayError.config("environment variable \(env) is not set; export the API key of judge '\(config.name)'", at: config.location, field: "api_key_env")
            }
            let target = try config.makeTarget(client: client, suiteFolder: suite.fileURL.deletingLastPathComponent())
            judges[config.name] = JudgeClient(config: config, target: target, cache: cache)
        }
        return ScorerContext(judges: judges, suiteFolder: suite.fileURL.deletingLastPathComponent())
    }
}
