import AssayCore
import Foundation

/// A snapshot of a run's progress.
public struct ProgressSnapshot: Sendable, Hashable {
    /// Trials in the run.
    public var total: Int
    /// Trials finished (including those finished before a resume).
    public var done: Int
    /// Trials finished in this process.
    public var doneNow: Int
    /// Trials whose target failed (unmeasured).
    public var errors: Int
    /// Trials answered from the cache.
    public var cached: Int
    /// Tokens so far (this process).
    public var tokens: Int
    /// Cost so far in USD (this process).
    public var cost: Double
    /// Seconds since this process started the run.
    public var elapsed: Double

    /// Trials per second in this process.
    public var rate: Double { elapsed > 0 ? Double(doneNow) / elapsed : 0 }
    /// Estimated seconds left, when a rate is known.
    public var eta: Double? { rate > 0 ? Double(total - done) / rate : nil }
}

/// What the engine reports while it works.
public enum RunEvent: Sendable {
    /// The run starts (or resumes) with this many trials left to do.
    case started(run: RunRecord, remaining: Int, progress: ProgressSnapshot)
    /// A trial finished and was committed to the store.
    case trialFinished(TrialRecord, progress: ProgressSnapshot)
    /// All trials are done.
    case finished(run: RunRecord, progress: ProgressSnapshot)
}

/// Receives run events (a progress bar, a log, a test probe).
public protocol RunObserver: Sendable {
    /// Handles one event. Called from the engine's tasks; keep it quick.
    func handle(_ event: RunEvent) async
}

/// An observer that ignores everything.
public struct SilentObserver: RunObserver {
    /// Creates the observer.
    public init() {}
    public func handle(_ event: RunEvent) async {}
}
