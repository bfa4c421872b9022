import AssayCore
import Foundation

/// Identifies a trial within a run.
public struct TrialKey: Sendable, Hashable, Codable {
    /// The case.
    public var caseID: String
    /// The sample index.
    public var sample: Int

    /// Creates a key.
    public init(caseID: String, sample: Int) {
        self.caseID = caseID
        self.sample = sample
    }
}

/// Where runs, trials, scores and cached responses are kept. Every backend passes the same conformance tests.
///
/// Writes are idempotent: saving a trial twice (a resumed or distributed run) keeps one copy.
public protocol ResultStore: ResponseCache {
    /// Records a new run.
    func createRun(_ run: RunRecord) async throws
    /// Updates a run's status, finish time and provenance.
    func updateRun(_ run: RunRecord) async throws
    /// A run by id.
    func run(id: String) async throws -> RunRecord?
    /// Runs, newest first, optionally only those of one suite file (by path) and target.
    func runs(suitePath: String?, targetName: String?, limit: Int) async throws -> [RunRecord]
    /// Commits one finished trial with its scores (replacing any earlier copy of the same trial).
    func saveTrial(_ trial: TrialRecord) async throws
    /// Every trial of a run, ordered by case id and sample.
    func trials(runID: String) async throws -> [TrialRecord]
    /// The keys of a run's finished trials: those with an output (a trial whose target failed is retried on resume).
    func finishedTrialKeys(runID: String) async throws -> Set<TrialKey>
}
