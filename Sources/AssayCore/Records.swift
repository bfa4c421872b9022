import Foundation

/// Where a run stands.
public enum RunStatus: String, Sendable, Hashable, Codable {
    /// Trials are being executed (or the process died; `--resume` finishes it).
    case running
    /// Every trial finished.
    case completed
    /// Stopped early (budget, interrupt); `--resume` finishes it.
    case interrupted
}

/// One execution of a suite for one target, with its provenance.
public struct RunRecord: Sendable, Hashable, Codable {
    /// Unique id (time-ordered).
    public var id: String
    /// The suite's name.
    public var suiteName: String
    /// The suite file's path as given.
    public var suitePath: String
    /// SHA-256 of the suite file.
    public var suiteSHA256: String
    /// The target's name.
    public var targetName: String
    /// SHA-256 of the target's identity (kind, URL, model, parameters; never secrets).
    public var targetFingerprint: String
    /// The dataset's manifest.
    public var dataset: DatasetManifest
    /// Samples per case.
    public var samples: Int
    /// Trials in all (cases x samples).
    public var totalTrials: Int
    /// Status.
    public var status: RunStatus
    /// When the run was created.
    public var createdAt: Date
    /// When the last trial finished, for completed runs.
    public var finishedAt: Date?
    /// Provenance: assay version, git revision of the suite's repository, host, OS.
    public var provenance: [String: String]

    /// Memberwise initialiser.
    public init(
        id: String, suiteName: String, suitePath: String, suiteSHA256: String, targetName: String,
        targetFingerprint: String, dataset: DatasetManifest, samples: Int, totalTrials: Int, status: RunStatus,
        createdAt: Date, finishedAt: Date? = nil, provenance: [String: String] = [:]
    ) {
        self.id = id
        self.suiteName = suiteName
        self.suitePath = suitePath
        self.suiteSHA256 = suiteSHA256
        self.targetName = targetName
        self.targetFingerprint = targetFingerprint
        self.dataset = dataset
        self.samples = samples
        self.totalTrials = totalTrials
        self.status = status
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.provenance = provenance
    }

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
    }

    /// A new time-ordered run id: `YYYYMMDD-HHMMSS-xxxxxx`.
    public static func newID(now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let suffix = String(UInt32.random(in: 0...0xFFFFFF), radix: 16)
        return "\(formatter.string(from: now))-\(String(repeating: "0", count: 6 - suffix.count))\(suffix)"
    }
}

/// One (case, sample) of a run: its output (or why there is none) and its scores.
public struct TrialRecord: Sendable, Hashable, Codable {
    /// The run.
    public var runID: String
    /// The case.
    public var caseID: String
    /// The sample index, from 0.
    public var sample: Int
    /// The case's route.
    public var route: String
    /// The output, when the target answered.
    public var output: Output?
    /// Why the target gave no output (retries exhausted, non-retryable error); the trial's scores are then all
    /// unmeasured with this reason.
    public var error: String?
    /// The scores, one per scorer of the route.
    public var scores: [Score]
    /// The response-cache key (SHA-256 of the canonical request), when the target is cacheable.
    public var cacheKey: String?
    /// True when the output came from the cache.
    public var cached: Bool
    /// Provider attempts made (0 when cached).
    public var attempts: Int
    /// When the trial started.
    public var startedAt: Date
    /// When it finished.
    public var finishedAt: Date

    /// Memberwise initialiser.
    public init(
        runID: String, caseID: String, sample: Int, route: String, output: Output?, error: String?, scores: [Score],
        cacheKey: String?, cached: Bool, attempts: Int, startedAt: Date, finishedAt: Date
    ) {
        self.runID = runID
        self.caseID = caseID
        self.sample = sample
        self.route = route
        self.output = output
        self.error = error
        self.scores = scores
        self.cacheKey = cacheKey
        self.cached = cached
        self.attempts = attempts
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case sample, route, output, error, scores, cached, attempts
        case runID = "run_id"
        case caseID = "case_id"
        case cacheKey = "cache_key"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

/// A persistent, content-addressed store of model responses.
public protocol ResponseCache: Sendable {
    /// The output stored under `key`, if any.
    func cachedOutput(forKey key: String) async throws -> Output?
    /// Stores an output under `key`.
    func storeOutput(_ output: Output, forKey key: String) async throws
}
