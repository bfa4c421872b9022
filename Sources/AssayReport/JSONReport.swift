import AssayCore
import Foundation

/// The machine-readable report: a stable, versioned JSON document (`format: "assay-report"`,
/// `format_version: 1`), specified field by field in `docs/report-format.md`.
///
/// Keys are snake_case and sorted, the text is pretty-printed, dates are ISO-8601 in UTC, and an absent figure is
/// `null` (the key is always present). Within one format version fields are only ever added, never renamed,
/// retyped or removed; any other change bumps `format_version`.
public enum JSONReport {
    /// The value of the document's `format` field.
    public static let format = "assay-report"
    /// The value of the document's `format_version` field.
    public static let formatVersion = 1

    /// Renders runs as the JSON document.
    ///
    /// Dates are written to the second (`2025-03-01T10:00:00Z`); `duration_seconds` keeps the run's exact length.
    /// - Parameters:
    ///   - summaries: The runs, in the order to list them.
    ///   - generatedAt: The document's `generated_at` (now, unless a caller needs a reproducible document).
    /// - Returns: UTF-8 JSON, pretty-printed with sorted keys, ending without a newline.
    /// - Throws: ``ReportError`` when a number in a summary is NaN or infinite.
    public static func render(_ summaries: [RunSummary], generatedAt: Date = Date()) throws -> Data {
        try encode(document(summaries, generatedAt: generatedAt))
    }

    /// Encodes a document as ``render(_:generatedAt:)`` does (for a document read back with ``decode(_:)``,
    /// this gives the same bytes again).
    /// - Parameter document: The document.
    /// - Returns: UTF-8 JSON, pretty-printed with sorted keys.
    /// - Throws: ``ReportError`` when a number is NaN or infinite.
    public static func encode(_ document: Document) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            return try encoder.encode(document)
        } catch let EncodingError.invalidValue(_, context) {
            let path = pathText(context.codingPath)
            throw ReportError.nonFiniteNumber(path: path.hasPrefix(".") ? String(path.dropFirst()) : path)
        }
    }

    /// The document for runs, before encoding.
    /// - Parameters:
    ///   - summaries: The runs.
    ///   - generatedAt: The document's `generated_at`.
    /// - Returns: The document.
    public static func document(_ summaries: [RunSummary], generatedAt: Date) -> Document {
        Document(
            format: format,
            formatVersion: formatVersion,
            generatedAt: generatedAt,
            verdict: ReportVerdict.overall(summaries),
            gateCounts: GateCounts(ReportVerdict.gateCounts(summaries)),
            runs: summaries.map(Run.init)
        )
    }

    /// Reads a document written by ``render(_:generatedAt:)``.
    /// - Parameter data: The JSON.
    /// - Returns: The document.
    /// - Throws: ``ReportError`` when the data is not an `assay-report` document of a version this build reads.
    public static func decode(_ data: Data) throws -> Document {
        struct Header: Decodable {
            var format: String?
            var formatVersion: Int?
            enum CodingKeys: String, CodingKey {
                case format
                case formatVersion = "format_version"
            }
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw ReportError.malformedDocument("not a JSON object with 'format' and 'format_version'")
        }
        guard header.format == format, header.formatVersion == formatVersion else {
            throw ReportError.unsupportedDocument(format: header.format ?? "(none)", version: header.formatVersion ?? 0)
        }
        do {
            return try decoder.decode(Document.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ReportError.malformedDocument("missing '\(key.stringValue)' at '\(pathText(context.codingPath))'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context)
        {
            throw ReportError.malformedDocument("unexpected value at '\(pathText(context.codingPath))'")
        }
    }

    private static func pathText(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
    }

    // MARK: - The document

    /// The whole document.
    public struct Document: Sendable, Hashable, Codable {
        /// Always `assay-report`.
        public var format: String
        /// The format's version; this build writes and reads 1.
        public var formatVersion: Int
        /// When the document was made.
        public var generatedAt: Date
        /// Over all runs: fail if any run failed, else inconclusive if any was (or there is no run), else pass.
        public var verdict: GateVerdict
        /// Gate verdicts counted over all runs.
        public var gateCounts: GateCounts
        /// One entry per run.
        public var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case format, verdict, runs
            case formatVersion = "format_version"
            case generatedAt = "generated_at"
            case gateCounts = "gate_counts"
        }
    }

    /// Gate verdicts counted.
    public struct GateCounts: Sendable, Hashable, Codable {
        /// Gates that passed.
        public var passed: Int
        /// Gates that failed.
        public var failed: Int
        /// Gates with nothing scored.
        public var inconclusive: Int
        /// All gates.
        public var total: Int

        init(_ counts: AssayReport.GateCounts) {
            passed = counts.passed
            failed = counts.failed
            inconclusive = counts.inconclusive
            total = counts.total
        }
    }

    /// One run: its provenance, verdict, figures and cells.
    public struct Run: Sendable, Hashable, Codable {
        /// The version of the `RunSummary` the entry was made from.
        public var summaryFormatVersion: Int
        /// What was run, on what, when.
        public var run: RunInfo
        /// The run's verdict: fail if any gate failed, else inconclusive if any was, else pass.
        public var verdict: GateVerdict
        /// The run's gate verdicts counted.
        public var gateCounts: GateCounts
        /// Figures of the whole run.
        public var usage: Usage
        /// Figures per route, by route name.
        public var routes: [String: Usage]
        /// One entry per route x scorer, by route then rubric order.
        public var cells: [Cell]
        /// Every gate's result, in cell order.
        public var gates: [Gate]
        /// Target error reasons with their trial counts.
        public var targetErrors: [String: Int]
        /// Target cost per correct trial of the gated routes.
        public var costPerCorrect: CostPerCorrect

        enum CodingKeys: String, CodingKey {
            case run, verdict, usage, routes, cells, gates
            case summaryFormatVersion = "summary_format_version"
            case gateCounts = "gate_counts"
            case targetErrors = "target_errors"
            case costPerCorrect = "cost_per_correct"
        }

        init(_ summary: RunSummary) {
            let rows = summary.reportRows
            summaryFormatVersion = summary.formatVersion
            run = RunInfo(summary.run, duration: summary.reportDuration)
            verdict = summary.verdict
            gateCounts = GateCounts(summary.gateCounts)
            usage = Usage(summary.usage)
            routes = summary.routes.mapValues(Usage.init)
            // A cell's gate is the one the report judged it by (its own, else the run's gate for the same cell).
            cells = summary.cells.map { cell in
                Cell(cell, gate: cell.gate ?? rows.first { $0.cell == cell && $0.gate != nil }?.gate)
            }
            gates = rows.compactMap { $0.gate.map(Gate.init) }
            targetErrors = summary.targetErrors
            costPerCorrect = CostPerCorrect(summary.costPerCorrect)
        }
    }

    /// A run's identity and provenance.
    public struct RunInfo: Sendable, Hashable, Codable {
        /// The run's id.
        public var id: String
        /// The suite's name.
        public var suiteName: String
        /// The suite file's path as given.
        public var suitePath: String
        /// SHA-256 of the suite file.
        public var suiteSHA256: String
        /// The target's name.
        public var targetName: String
        /// SHA-256 of the target's identity.
        public var targetFingerprint: String
        /// The dataset.
        public var dataset: Dataset
        /// Samples per case.
        public var samples: Int
        /// Trials in all (cases x samples).
        public var totalTrials: Int
        /// `running`, `completed` or `interrupted`.
        public var status: RunStatus
        /// When the run was created.
        public var createdAt: Date
        /// When the last trial finished; nil unless completed.
        public var finishedAt: Date?
        /// `finished_at - created_at` in seconds; nil unless finished.
        public var durationSeconds: Double?
        /// Provenance: assay version, git revision, host, OS.
        public var provenance: [String: String]

        enum CodingKeys: String, CodingKey {
            case id, dataset, samples, status, provenance
            case suiteName = "suite_name"
            case suitePath = "suite_path"
            case suiteSHA256 = "suite_sha256"
            case targetName = "target_name"
            case targetFingerprint = "target_fingerprint"
            case totalTrials = "total_trials"
            case createdAt = "created_at"
            case finishedAt = "finished_at"
            case durationSeconds = "duration_seconds"
        }

        init(_ run: RunRecord, duration: Double?) {
            id = run.id
            suiteName = run.suiteName
            suitePath = run.suitePath
            suiteSHA256 = run.suiteSHA256
            targetName = run.targetName
            targetFingerprint = run.targetFingerprint
            dataset = Dataset(run.dataset)
            samples = run.samples
            totalTrials = run.totalTrials
            status = run.status
            createdAt = run.createdAt
            finishedAt = run.finishedAt
            durationSeconds = duration
            provenance = run.provenance
        }

        /// Encodes every key, with `null` for absent values.
        /// - Parameter encoder: The encoder.
        /// - Throws: The encoder's errors.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(suiteName, forKey: .suiteName)
            try container.encode(suitePath, forKey: .suitePath)
            try container.encode(suiteSHA256, forKey: .suiteSHA256)
            try container.encode(targetName, forKey: .targetName)
            try container.encode(targetFingerprint, forKey: .targetFingerprint)
            try container.encode(dataset, forKey: .dataset)
            try container.encode(samples, forKey: .samples)
            try container.encode(totalTrials, forKey: .totalTrials)
            try container.encode(status, forKey: .status)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(finishedAt, forKey: .finishedAt)
            try container.encode(durationSeconds, forKey: .durationSeconds)
            try container.encode(provenance, forKey: .provenance)
        }
    }

    /// The dataset's manifest.
    public struct Dataset: Sendable, Hashable, Codable {
        /// The dataset's name.
        public var name: String
        /// Its version label; nil when the suite gives none.
        public var version: String?
        /// SHA-256 of its canonical content.
        public var sha256: String
        /// Number of cases.
        public var caseCount: Int
        /// Cases per route.
        public var routes: [String: Int]
        /// Cases per tag value, keyed `tag=value`.
        public var strata: [String: Int]
        /// The files the cases came from.
        public var sources: [String]

        enum CodingKeys: String, CodingKey {
            case name, version, sha256, routes, strata, sources
            case caseCount = "case_count"
        }

        init(_ manifest: DatasetManifest) {
            name = manifest.name
            version = manifest.version
            sha256 = manifest.sha256
            caseCount = manifest.caseCount
            routes = manifest.routes
            strata = manifest.strata
            sources = manifest.sources
        }

        /// Encodes every key, with `null` for absent values.
        /// - Parameter encoder: The encoder.
        /// - Throws: The encoder's errors.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(version, forKey: .version)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(caseCount, forKey: .caseCount)
            try container.encode(routes, forKey: .routes)
            try container.encode(strata, forKey: .strata)
            try container.encode(sources, forKey: .sources)
        }
    }

    /// Operational figures of a group of trials.
    public struct Usage: Sendable, Hashable, Codable {
        /// Trials.
        public var trials: Int
        /// Trials the target answered.
        public var answered: Int
        /// Trials the target failed to answer (their scores are unmeasured).
        public var targetErrors: Int
        /// Trials answered from the response cache.
        public var cached: Int
        /// Prompt tokens.
        public var promptTokens: Int
        /// Completion tokens.
        public var completionTokens: Int
        /// Answered trials without reported token usage (tokens and cost unknown for them, not zero).
        public var answersWithoutUsage: Int
        /// Target cost in USD: what the answers cost at the target's prices (cached answers included).
        public var cost: Double
        /// Scoring (judge) cost in USD.
        public var scoringCost: Double
        /// Latency of answered trials, in seconds (a cached answer keeps the latency measured when it was
        /// produced); nil when none.
        public var latency: Latency?
        /// Time to first token of streamed answers, in seconds; nil when none.
        public var timeToFirstToken: Latency?

        enum CodingKeys: String, CodingKey {
            case trials, answered, cached, cost, latency
            case targetErrors = "target_errors"
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case answersWithoutUsage = "answers_without_usage"
            case scoringCost = "scoring_cost"
            case timeToFirstToken = "time_to_first_token"
        }

        init(_ usage: UsageSummary) {
            trials = usage.trials
            answered = usage.answered
            targetErrors = usage.targetErrors
            cached = usage.cached
            promptTokens = usage.promptTokens
            completionTokens = usage.completionTokens
            answersWithoutUsage = usage.answersWithoutUsage
            cost = usage.cost
            scoringCost = usage.scoringCost
            latency = usage.latency.map(Latency.init)
            timeToFirstToken = usage.timeToFirstToken.map(Latency.init)
        }

        /// Encodes every key, with `null` for absent values.
        /// - Parameter encoder: The encoder.
        /// - Throws: The encoder's errors.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(trials, forKey: .trials)
            try container.encode(answered, forKey: .answered)
            try container.encode(targetErrors, forKey: .targetErrors)
            try container.encode(cached, forKey: .cached)
            try container.encode(promptTokens, forKey: .promptTokens)
            try container.encode(completionTokens, forKey: .completionTokens)
            try container.encode(answersWithoutUsage, forKey: .answersWithoutUsage)
            try container.encode(cost, forKey: .cost)
            try container.encode(scoringCost, forKey: .scoringCost)
            try container.encode(latency, forKey: .latency)
            try container.encode(timeToFirstToken, forKey: .timeToFirstToken)
        }
    }

    /// Percentiles of a duration, in seconds.
    public struct Latency: Sendable, Hashable, Codable {
        /// Observations.
        public var count: Int
        /// Median.
        public var p50: Double
        /// 95th percentile.
        public var p95: Double
        /// 99th percentile.
        public var p99: Double
        /// Mean.
        public var mean: Double
        /// Maximum.
        public var max: Double

        init(_ latency: LatencySummary) {
            count = latency.count
            p50 = latency.p50
            p95 = latency.p95
            p99 = latency.p99
            mean = latency.mean
            max = latency.max
        }
    }

    /// Aggregates of one route x scorer.
    public struct Cell: Sendable, Hashable, Codable {
        /// The route.
        public var route: String
        /// The scorer.
        public var scorer: String
        /// Trials in the cell: `passed + failed + unmeasured`.
        public var trials: Int
        /// Passed trials.
        public var passed: Int
        /// Failed trials.
        public var failed: Int
        /// Unmeasured trials: never counted as passed or failed.
        public var unmeasured: Int
        /// `passed / (passed + failed)`; nil when nothing was scored.
        public var passRate: Double?
        /// Lower bound of the pass rate's 95% Wilson interval; nil when nothing was scored.
        public var passRateLower: Double?
        /// Upper bound of the pass rate's 95% Wilson interval; nil when nothing was scored.
        public var passRateUpper: Double?
        /// Mean score value over scored trials; nil when nothing was scored or the scorer gives no value.
        public var meanValue: Double?
        /// Unmeasured reasons with their trial counts.
        public var unmeasuredReasons: [String: Int]
        /// Ids of cases with at least one failed trial, sorted.
        public var failingCaseIDs: [String]
        /// Scoring cost in USD.
        public var cost: Double
        /// The gate judged on this cell; nil for a monitor-only scorer.
        public var gate: Gate?
        /// Cases that passed in some samples and failed in others, sorted.
        public var flakyCaseIDs: [String]
        /// Variance of score values between cases; nil with one sample per case.
        public var caseVariance: Double?
        /// Variance between samples of the same case (generator noise); nil with one sample per case.
        public var generatorVariance: Double?
        /// Variance between repeated judgements (judge noise); nil without judge repeats.
        public var judgeVariance: Double?
        /// Judge calls made (answers from the cache excluded).
        public var judgeCalls: Int
        /// Tokens of those judge calls; nil when none reported usage.
        public var judgeTokens: Tokens?
        /// Judge calls a cascade did not need.
        public var savedCalls: Int
        /// Share of scored cases that failed in at least one sample; nil when nothing was scored.
        public var worstCaseFailureRate: Double?
        /// The route is marked `risk: high`.
        public var highRisk: Bool
        /// Refusal calibration, for a refusal scorer; nil otherwise.
        public var refusal: Refusal?
        /// Pairwise verdicts and position consistency, for a pairwise judge; nil otherwise.
        public var pairwise: Pairwise?

        enum CodingKeys: String, CodingKey {
            case route, scorer, trials, passed, failed, unmeasured, cost, gate, refusal, pairwise
            case judgeCalls = "judge_calls"
            case judgeTokens = "judge_tokens"
            case savedCalls = "saved_calls"
            case worstCaseFailureRate = "worst_case_failure_rate"
            case highRisk = "high_risk"
            case passRate = "pass_rate"
            case passRateLower = "pass_rate_lower"
            case passRateUpper = "pass_rate_upper"
            case meanValue = "mean_value"
            case unmeasuredReasons = "unmeasured_reasons"
            case failingCaseIDs = "failing_case_ids"
            case flakyCaseIDs = "flaky_case_ids"
            case caseVariance = "case_variance"
            case generatorVariance = "generator_variance"
            case judgeVariance = "judge_variance"
        }

        init(_ cell: CellSummary, gate: GateResult?) {
            route = cell.route
            scorer = cell.scorer
            trials = cell.trials
            passed = cell.passed
            failed = cell.failed
            unmeasured = cell.unmeasured
            passRate = cell.passRate
            passRateLower = cell.passRateLower
            passRateUpper = cell.passRateUpper
            meanValue = cell.meanValue
            unmeasuredReasons = cell.unmeasuredReasons
            failingCaseIDs = cell.failingCaseIDs
            flakyCaseIDs = cell.flakyCaseIDs
            caseVariance = cell.caseVariance
            generatorVariance = cell.generatorVariance
            judgeVariance = cell.judgeVariance
            judgeCalls = cell.judgeCalls
            judgeTokens = cell.judgeTokens.map { Tokens(prompt: $0.promptTokens, completion: $0.completionTokens) }
            savedCalls = cell.savedCalls
            worstCaseFailureRate = cell.worstCaseFailureRate
            highRisk = cell.highRisk
            refusal = cell.refusal.map(Refusal.init)
            pairwise = cell.pairwise.map(Pairwise.init)
            cost = cell.cost
            self.gate = gate.map(Gate.init)
        }

        /// Encodes every key, with `null` for absent values.
        /// - Parameter encoder: The encoder.
        /// - Throws: The encoder's errors.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(route, forKey: .route)
            try container.encode(scorer, forKey: .scorer)
            try container.encode(trials, forKey: .trials)
            try container.encode(passed, forKey: .passed)
            try container.encode(failed, forKey: .failed)
            try container.encode(unmeasured, forKey: .unmeasured)
            try container.encode(passRate, forKey: .passRate)
            try container.encode(passRateLower, forKey: .passRateLower)
            try container.encode(passRateUpper, forKey: .passRateUpper)
            try container.encode(meanValue, forKey: .meanValue)
            try container.encode(unmeasuredReasons, forKey: .unmeasuredReasons)
            try container.encode(failingCaseIDs, forKey: .failingCaseIDs)
            try container.encode(flakyCaseIDs, forKey: .flakyCaseIDs)
            try container.encode(caseVariance, forKey: .caseVariance)
            try container.encode(generatorVariance, forKey: .generatorVariance)
            try container.encode(judgeVariance, forKey: .judgeVariance)
            try container.encode(judgeCalls, forKey: .judgeCalls)
            try container.encode(judgeTokens, forKey: .judgeTokens)
            try container.encode(savedCalls, forKey: .savedCalls)
            try container.encode(worstCaseFailureRate, forKey: .worstCaseFailureRate)
            try container.encode(highRisk, forKey: .highRisk)
            try container.encode(refusal, forKey: .refusal)
            try container.encode(pairwise, forKey: .pairwise)
            try container.encode(cost, forKey: .cost)
            try container.encode(gate, forKey: .gate)
        }
    }

    /// Prompt and completion tokens.
    public struct Tokens: Sendable, Hashable, Codable {
        /// Prompt tokens.
        public var prompt: Int
        /// Completion tokens.
        public var completion: Int
    }

    /// `count` of `of`, with `rate` (null when `of` is 0).
    public struct Rate: Sendable, Hashable, Codable {
        /// Trials with the outcome.
        public var count: Int
        /// Trials it is counted among.
        public var of: Int
        /// count / of.
        public var rate: Double?

        init(_ value: LabelRate) {
            count = value.count
            of = value.of
            rate = value.rate
        }

        /// Encodes every key, with `null` for an absent rate.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(count, forKey: .count)
            try container.encode(of, forKey: .of)
            try container.encode(rate, forKey: .rate)
        }
    }

    /// Refusal calibration of a cell.
    public struct Refusal: Sendable, Hashable, Codable {
        /// Refused or escalated when an answer was expected.
        public var overRefusal: Rate
        /// Answered when a refusal was expected.
        public var underRefusal: Rate
        /// Did not escalate when escalation was expected.
        public var missedEscalation: Rate

        enum CodingKeys: String, CodingKey {
            case overRefusal = "over_refusal"
            case underRefusal = "under_refusal"
            case missedEscalation = "missed_escalation"
        }

        init(_ rates: RefusalRates) {
            overRefusal = Rate(rates.overRefusal)
            underRefusal = Rate(rates.underRefusal)
            missedEscalation = Rate(rates.missedEscalation)
        }
    }

    /// A pairwise judge's verdicts in a cell.
    public struct Pairwise: Sendable, Hashable, Codable {
        /// Candidate better in both orders.
        public var wins: Int
        /// Tie in both orders.
        public var ties: Int
        /// Baseline better in both orders.
        public var losses: Int
        /// The orders disagreed.
        public var inconsistent: Int
        /// 1 - inconsistent / all.
        public var positionConsistency: Double?

        enum CodingKeys: String, CodingKey {
            case wins, ties, losses, inconsistent
            case positionConsistency = "position_consistency"
        }

        init(_ tally: PairwiseTally) {
            wins = tally.wins
            ties = tally.ties
            losses = tally.losses
            inconsistent = tally.inconsistent
            positionConsistency = tally.positionConsistency
        }

        /// Encodes every key, with `null` for an absent consistency.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(wins, forKey: .wins)
            try container.encode(ties, forKey: .ties)
            try container.encode(losses, forKey: .losses)
            try container.encode(inconsistent, forKey: .inconsistent)
            try container.encode(positionConsistency, forKey: .positionConsistency)
        }
    }

    /// A gate's outcome on one route x scorer.
    public struct Gate: Sendable, Hashable, Codable {
        /// The route.
        public var route: String
        /// The scorer.
        public var scorer: String
        /// The minimum pass rate, in 0...1.
        public var minPassRate: Double
        /// What is compared with the minimum: `point` (the pass rate) or `lower_bound` (its 95% lower bound).
        public var basis: GateConfig.Basis
        /// The value compared with the minimum; nil when nothing was scored.
        public var observed: Double?
        /// `pass`, `fail` or `inconclusive`.
        public var verdict: GateVerdict
        /// One line explaining the verdict.
        public var explanation: String

        enum CodingKeys: String, CodingKey {
            case route, scorer, basis, observed, verdict, explanation
            case minPassRate = "min_pass_rate"
        }

        init(_ gate: GateResult) {
            route = gate.route
            scorer = gate.scorer
            minPassRate = gate.gate.minPassRate
            basis = gate.gate.basis
            observed = gate.observed
            verdict = gate.verdict
            explanation = gate.explanation
        }

        /// Encodes every key, with `null` for absent values.
        /// - Parameter encoder: The encoder.
        /// - Throws: The encoder's errors.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(route, forKey: .route)
            try container.encode(scorer, forKey: .scorer)
            try container.encode(minPassRate, forKey: .minPassRate)
            try container.encode(basis, forKey: .basis)
            try container.encode(observed, forKey: .observed)
            try container.encode(verdict, forKey: .verdict)
            try container.encode(explanation, forKey: .explanation)
        }
    }

    /// Target cost per correct trial (defined in `docs/report-format.md`).
    public struct CostPerCorrect: Sendable, Hashable, Codable {
        /// `cost / correct` in USD; nil when no route is counted, no trial is correct, or the cost is not
        /// attributable.
        public var value: Double?
        /// Target cost in USD of the counted routes; nil when the summary cannot attribute cost to them.
        public var cost: Double?
        /// Correct trials: per counted route, the smallest `passed` among its gated cells that scored anything,
        /// summed.
        public var correct: Int
        /// The counted routes (those with a gated cell that scored something), sorted.
        public var routes: [String]
        /// The figure per counted route, when there are several (null for a route without a correct trial).
        public var perRoute: [String: Double?]

        enum CodingKeys: String, CodingKey {
            case value, cost, correct, routes
            case perRoute = "per_route"
        }

        init(_ figure: AssayReport.CostPerCorrect) {
            value = figure.value
            cost = figure.cost
            correct = figure.correct
            routes = figure.routes
            perRoute = Dictionary(figure.perRoute.map { ($0.route, $0.value) }, uniquingKeysWith: { first, _ in first })
        }

        /// Encodes every key, with `null` for absent values.
        /// - Parameter encoder: The encoder.
        /// - Throws: The encoder's errors.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value, forKey: .value)
            try container.encode(cost, forKey: .cost)
            try container.encode(correct, forKey: .correct)
            try container.encode(routes, forKey: .routes)
            try container.encode(perRoute, forKey: .perRoute)
        }
    }
}
