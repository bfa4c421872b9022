import AssayCore
import Foundation

/// Turns (case, output) into a `Score`.
///
/// A scorer never throws and never traps: whatever it cannot judge is `Score.unmeasured` with the reason.
public protocol Scorer: Sendable {
    /// The scorer's name within its rubric (the `name:` of its configuration).
    var name: String { get }
    /// SHA-256 of the scorer's kind and configuration (and, for judges, model and prompt): equal fingerprints
    /// score equally, so scores can be cached and compared across runs.
    var fingerprint: String { get }
    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case, with its expectations.
    ///   - output: What the target produced.
    /// - Returns: The score.
    func score(_ testCase: Case, _ output: Output) async -> Score
    /// Model calls one score makes at most when nothing is cached (judge calls; 0 for deterministic scorers).
    /// Feeds the up-front estimate and the calls a cascade reports as saved.
    var plannedCalls: Int { get }
}

extension Scorer {
    /// Deterministic scorers call no model.
    public var plannedCalls: Int { 0 }
}
