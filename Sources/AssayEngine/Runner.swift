import AssayCore
import AssayProviders
import AssayScorers
import AssayStore
import Foundation
import Logging

/// Options of one execution.
public struct RunOptions: Sendable {
    /// Trials in flight; nil uses the suite's `run.concurrency`.
    public var concurrency: Int?
    /// Bypass the response cache (neither read nor written).
    public var useCache: Bool
    /// Extra provenance to record (CLI version, git revision...).
    public var provenance: [String: String]
    /// Stop scheduling new trials once this much (USD) has been spent on target calls in this process.
    public var budgetUSD: Double?
    /// Stop scheduling new trials once this many provider calls (attempts) have been made in this process.
    public var maxCalls: Int?

    /// Creates options.
    public init(concurrency: Int? = nil, useCache: Bool = true, provenance: [String: String] = [:], budgetUSD: Double? = nil, maxCalls: Int? = nil) {
        self.concurrency = concurrency
        self.useCache = useCache
        self.provenance = provenance
        self.budgetUSD = budgetUSD
        self.maxCalls = maxCalls
    }
}

/// Executes a plan: schedules trials with bounded concurrency, calls the target (cache first, with retries),
/// scores each output, and commits every finished trial to the store as it finishes, so a killed run loses nothing
/// and `resume` completes it without repeating finished trials.
public struct Runner: Sendable {
    /// The store.
    public let store: any ResultStore
    /// The target.
    public let target: any Target
    /// Options.
    public let options: RunOptions
    /// Where events go.
    public let observer: any RunObserver
    /// Logger.
    public let logger: Logger
    /// Sleep used by retries (replaceable in tests).
    public var sleep: @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }

    /// Creates a runner.
    public init(store: any ResultStore, target: any Target, options: RunOptions = RunOptions(), observer: any RunObserver = SilentObserver(), logger: Logger = Logger(label: "assay.engine")) {
        self.store = store
        self.target = target
        self.options = options
        self.observer = observer
        self.logger = logger
    }

    /// Starts a new run of `plan`.
    /// - Parameter plan: The checked plan.
    /// - Returns: The finished run record.
    /// - Throws: `AssayError` (store) when results cannot be committed.
    public func start(_ plan: RunPlan) async throws -> RunRecord {
        var provenance = options.provenance
        provenance["dataset_sources"] = plan.dataset.manifest.sources.joined(separator: ",")
        provenance["plan_sha256"] = plan.planFingerprint
        let run = RunRecord(
            id: RunRecord.newID(), suiteName: plan.suite.name, suitePath: plan.suite.fileURL.path,
            suiteSHA256: plan.suite.fileSHA256, targetName: plan.targetConfig.name, targetFingerprint: plan.targetFingerprint,
            dataset: plan.dataset.manifest, samples: plan.suite.run.samples, totalTrials: plan.trials.count,
            status: .running, createdAt: Date(), provenance: provenance
        )
        try await store.createRun(run)
        return try await execute(plan, run: run, finished: [])
    }

    /// Finishes an interrupted run: trials already in the store are kept and not executed again.
    /// - Parameters:
    ///   - plan: The plan (from the same suite).
    ///   - run: The run to finish.
    /// - Returns: The finished run record.
    /// - Throws: `AssayError` when the dataset changed since the run began, or the store fails.
    public func resume(_ plan: RunPlan, run: RunRecord) async throws -> RunRecord {
        guard run.dataset.sha256 == plan.dataset.manifest.sha256 else {
            throw AssayError(.config, "run \(run.id) used dataset \(run.dataset.sha256.prefix(12)) but the suite now loads \(plan.dataset.manifest.sha256.prefix(12)); start a new run instead of resuming")
        }
        guard run.targetFingerprint == plan.targetFingerprint else {
            throw AssayError(.config, "target '\(run.targetName)' changed since run \(run.id) began; start a new run instead of resuming")
        }
        if let recorded = run.provenance["plan_sha256"], recorded != plan.planFingerprint {
            throw AssayError(.config, "the prompts, samples or rubric changed since run \(run.id) began; start a new run instead of resuming (resuming would mix two configurations)")
        }
        let finished = try await store.finishedTrialKeys(runID: run.id)
        var resumed = run
        resumed.status = .running
        try await store.updateRun(resumed)
        return try await execute(plan, run: resumed, finished: finished)
    }

    private func execute(_ plan: RunPlan, run: RunRecord, finished: Set<TrialKey>) async throws -> RunRecord {
        let pending = plan.trials.filter { !finished.contains(TrialKey(caseID: $0.request.testCase.id, sample: $0.request.sample)) }
        let tracker = ProgressTracker(total: plan.trials.count, alreadyDone: plan.trials.count - pending.count)
        await observer.handle(.started(run: run, remaining: pending.count, progress: await tracker.snapshot()))
        let concurrency = max(1, min(options.concurrency ?? plan.suite.run.concurrency, plan.targetConfig.maxConcurrency ?? Int.max))
        let retrier = Retrier(policy: plan.targetConfig.retry, sleep: sleep)
        let budgetUSD = options.budgetUSD, maxCalls = options.maxCalls
        var stoppedByBudget = false

        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = pending.makeIterator()
            func addNext() async -> Bool {
                if stoppedByBudget { return false }
                // Take the next trial first: a run whose last trial used up the budget still completed.
                guard let trial = iterator.next() else { return false }
                if budgetUSD != nil || maxCalls != nil {
                    let spent = await tracker.spending()
                    if let budgetUSD, spent.cost >= budgetUSD { stoppedByBudget = true }
                    if let maxCalls, spent.calls >= maxCalls { stoppedByBudget = true }
                    if stoppedByBudget { return false }
                }
                group.addTask {
                    let record = try await self.execute(trial, plan: plan, runID: run.id, retrier: retrier)
                    try await self.store.saveTrial(record)
                    let snapshot = await tracker.record(record)
                    await self.observer.handle(.trialFinished(record, progress: snapshot))
                }
                return true
            }
            for _ in 0..<concurrency {
                guard await addNext() else { break }
            }
            while try await group.next() != nil {
                _ = await addNext()
            }
        }

        var done = run
        if stoppedByBudget {
            done.status = .interrupted
            done.provenance["stopped"] = "budget"
            try await store.updateRun(done)
            await observer.handle(.finished(run: done, progress: await tracker.snapshot()))
            return done
        }
        done.status = .completed
        done.finishedAt = Date()
        try await store.updateRun(done)
        await observer.handle(.finished(run: done, progress: await tracker.snapshot()))
        return done
    }

    /// Executes one trial: cache, target with retries, scorers. Never throws for target or scorer failures: those
    /// become unmeasured scores with the reason.
    func execute(_ trial: PlannedTrial, plan: RunPlan, runID: String, retrier: Retrier) async throws -> TrialRecord {
        let request = trial.request
        let testCase = request.testCase
        let started = Date()
        // With the cache bypassed the key is not needed (it costs a canonical encoding and a hash per trial).
        let cacheKey = options.useCache ? target.cacheKey(for: request) : nil
        var output: Output?
        var failure: String?
        var cached = false
        var attempts = 0
        if options.useCache, let cacheKey, var hit = try await store.cachedOutput(forKey: cacheKey) {
            // Cost follows today's prices, not those of the day the answer was cached.
            if let prices = plan.targetConfig.prices, let usage = hit.usage { hit.cost = prices.cost(of: usage) }
            output = hit
            cached = true
        } else {
            do {
                let result = try await retrier.run { try await target.generate(request) }
                output = result.value
                attempts = result.attempts
                if let cacheKey, options.useCache {
                    try await store.storeOutput(result.value, forKey: cacheKey)
                }
            } catch let error as RetryFailure {
                failure = "target error: \(error.description)"
                attempts = error.attempts
            }
        }
        let scorers = plan.scorers[testCase.route] ?? []
        var scores: [Score] = []
        scores.reserveCapacity(scorers.count)
        if let output {
            for scorer in scorers {
                scores.append(await scorer.score(testCase, output))
            }
        } else {
            let reason = failure ?? "target error"
            scores = scorers.map { Score.unmeasured($0.name, reason: reason) }
        }
        return TrialRecord(
            runID: runID, caseID: testCase.id, sample: request.sample, route: testCase.route, output: output,
            error: failure, scores: scores, cacheKey: cacheKey, cached: cached, attempts: attempts,
            startedAt: started, finishedAt: Date()
        )
    }
}

/// Counts progress across the run's concurrent trials.
actor ProgressTracker {
    private var snapshotValue: ProgressSnapshot
    private let start = ContinuousClock.now

    init(total: Int, alreadyDone: Int) {
        snapshotValue = ProgressSnapshot(total: total, done: alreadyDone, doneNow: 0, errors: 0, cached: 0, tokens: 0, cost: 0, elapsed: 0)
    }

    private var calls = 0
    private var spent = 0.0

    /// Provider calls made and USD spent (targets and scorers) in this process.
    func spending() -> (calls: Int, cost: Double) { (calls, spent) }

    func record(_ trial: TrialRecord) -> ProgressSnapshot {
        calls += trial.attempts + trial.scores.reduce(0) { $0 + $1.calls }
        if !trial.cached { spent += trial.output?.cost ?? 0 }
        spent += trial.scores.reduce(0) { $0 + $1.cost }
        snapshotValue.done += 1
        snapshotValue.doneNow += 1
        if trial.error != nil { snapshotValue.errors += 1 }
        if trial.cached { snapshotValue.cached += 1 }
        if let output = trial.output, !trial.cached {
            snapshotValue.tokens += output.usage?.totalTokens ?? 0
            snapshotValue.cost += output.cost ?? 0
        }
        snapshotValue.cost += trial.scores.reduce(0) { $0 + $1.cost }
        return snapshot()
    }

    func snapshot() -> ProgressSnapshot {
        var value = snapshotValue
        let elapsed = ContinuousClock.now - start
        value.elapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return value
    }
}
