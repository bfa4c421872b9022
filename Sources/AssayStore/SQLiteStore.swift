import AssayCore
import Foundation
import GRDB

/// The embedded default store: one SQLite file in WAL mode (`.assay/assay.sqlite`).
public final class SQLiteStore: ResultStore {
    private let writer: any DatabaseWriter
    /// The database file, or nil in memory.
    public let path: String?

    /// Opens (creating if needed) the store at `path` and migrates it.
    /// - Parameter path: The SQLite file. Its folder is created if missing.
    /// - Throws: `AssayError` (store) when the file cannot be opened or migrated.
    public init(path: String) throws {
        self.path = path
        do {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            self.writer = pool
        } catch {
            throw AssayError(.store, "cannot open the result store at \(path): \(error.localizedDescription). Check the path and permissions, or pass --store PATH")
        }
    }

    /// An in-memory store, for tests.
    /// - Throws: `AssayError` (store) when migration fails.
    public init() throws {
        self.path = nil
        do {
            let queue = try DatabaseQueue()
            try Self.migrator.migrate(queue)
            self.writer = queue
        } catch {
            throw AssayError(.store, "cannot create an in-memory store: \(error)")
        }
    }

    /// The schema, as named migrations that are never edited once released.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-runs-trials-scores-cache") { db in
            try db.create(table: "runs") { t in
                t.primaryKey("id", .text)
                t.column("suite_name", .text).notNull()
                t.column("suite_path", .text).notNull()
                t.column("suite_sha256", .text).notNull()
                t.column("target_name", .text).notNull()
                t.column("target_fingerprint", .text).notNull()
                t.column("dataset_name", .text).notNull()
                t.column("dataset_sha256", .text).notNull()
                t.column("dataset_json", .text).notNull()
                t.column("samples", .integer).notNull()
                t.column("total_trials", .integer).notNull()
                t.column("status", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("finished_at", .datetime)
                t.column("provenance_json", .text).notNull()
            }
            try db.create(index: "runs_by_suite", on: "runs", columns: ["suite_path", "target_name", "created_at"])
            try db.create(table: "trials") { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("case_id", .text).notNull()
                t.column("sample", .integer).notNull()
                t.column("route", .text).notNull()
                t.column("output_json", .text)
                t.column("error", .text)
                t.column("cache_key", .text)
                t.column("cached", .boolean).notNull()
                t.column("attempts", .integer).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("finished_at", .datetime).notNull()
                t.primaryKey(["run_id", "case_id", "sample"])
            }
            try db.create(table: "scores") { t in
                t.column("run_id", .text).notNull()
                t.column("case_id", .text).notNull()
                t.column("sample", .integer).notNull()
                t.column("position", .integer).notNull()
                t.column("scorer", .text).notNull()
                t.column("status", .text).notNull()
                t.column("reason", .text)
                t.column("value", .double)
                t.column("label", .text)
                t.column("passed", .boolean)
                t.column("explanation", .text).notNull()
                t.column("cost", .double).notNull()
                t.primaryKey(["run_id", "case_id", "sample", "scorer"])
                t.foreignKey(["run_id", "case_id", "sample"], references: "trials", onDelete: .cascade)
            }
            try db.create(table: "response_cache") { t in
                t.primaryKey("key", .text)
                t.column("output_json", .text).notNull()
                t.column("created_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v2-score-repeat-values") { db in
            try db.alter(table: "scores") { t in
                t.add(column: "repeat_values_json", .text)
            }
        }
        migrator.registerMigration("v3-score-calls") { db in
            try db.alter(table: "scores") { t in
                t.add(column: "calls", .integer).notNull().defaults(to: 0)
                t.add(column: "prompt_tokens", .integer)
                t.add(column: "completion_tokens", .integer)
                t.add(column: "saved_calls", .integer).notNull().defaults(to: 0)
            }
        }
        return migrator
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(text.utf8))
    }

    private func write<T: Sendable>(_ operation: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(operation)
        } catch let error as AssayError {
            throw error
        } catch {
            throw AssayError(.store, "result store write failed: \(error.localizedDescription)")
        }
    }

    private func read<T: Sendable>(_ operation: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(operation)
        } catch let error as AssayError {
            throw error
        } catch {
            throw AssayError(.store, "result store read failed: \(error.localizedDescription)")
        }
    }

    // MARK: Runs

    public func createRun(_ run: RunRecord) async throws {
        let datasetJSON = try Self.json(run.dataset)
        let provenanceJSON = try Self.json(run.provenance)
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, suite_name, suite_path, suite_sha256, target_name, target_fingerprint,
                      dataset_name, dataset_sha256, dataset_json, samples, total_trials, status, created_at, finished_at,
                      provenance_json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id, run.suiteName, run.suitePath, run.suiteSHA256, run.targetName, run.targetFingerprint,
                    run.dataset.name, run.dataset.sha256, datasetJSON, run.samples, run.totalTrials,
                    run.status.rawValue, run.createdAt, run.finishedAt, provenanceJSON,
                ]
            )
        }
    }

    public func updateRun(_ run: RunRecord) async throws {
        let provenanceJSON = try Self.json(run.provenance)
        try await write { db in
            try db.execute(
                sql: "UPDATE runs SET status = ?, finished_at = ?, provenance_json = ?, total_trials = ? WHERE id = ?",
                arguments: [run.status.rawValue, run.finishedAt, provenanceJSON, run.totalTrials, run.id]
            )
        }
    }

    private static func runRecord(_ row: Row) throws -> RunRecord {
        RunRecord(
            id: row["id"], suiteName: row["suite_name"], suitePath: row["suite_path"], suiteSHA256: row["suite_sha256"],
            targetName: row["target_name"], targetFingerprint: row["target_fingerprint"],
            dataset: try decode(DatasetManifest.self, row["dataset_json"]), samples: row["samples"],
            totalTrials: row["total_trials"], status: RunStatus(rawValue: row["status"]) ?? .interrupted,
            createdAt: row["created_at"], finishedAt: row["finished_at"],
            provenance: try decode([String: String].self, row["provenance_json"])
        )
    }

    public func run(id: String) async throws -> RunRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]).map(Self.runRecord)
        }
    }

    public func runs(suitePath: String?, targetName: String?, limit: Int) async throws -> [RunRecord] {
        try await read { db in
            var sql = "SELECT * FROM runs"
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let suitePath {
                conditions.append("suite_path = ?")
                arguments += [suitePath]
            }
            if let targetName {
                conditions.append("target_name = ?")
                arguments += [targetName]
            }
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.runRecord)
        }
    }

    // MARK: Trials

    public func saveTrial(_ trial: TrialRecord) async throws {
        let outputJSON = try trial.output.map(Self.json)
        try await write { db in
            // Cached statements: compiled once per connection, not once per trial.
            try db.cachedStatement(sql: "DELETE FROM scores WHERE run_id = ? AND case_id = ? AND sample = ?")
                .execute(arguments: [trial.runID, trial.caseID, trial.sample])
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO trials (run_id, case_id, sample, route, output_json, error, cache_key, cached,
                  attempts, started_at, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    trial.runID, trial.caseID, trial.sample, trial.route, outputJSON, trial.error, trial.cacheKey,
                    trial.cached, trial.attempts, trial.startedAt, trial.finishedAt,
                ])
            let insertScore = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO scores (run_id, case_id, sample, position, scorer, status, reason, value,
                  label, passed, explanation, cost, repeat_values_json, calls, prompt_tokens, completion_tokens,
                  saved_calls)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (position, score) in trial.scores.enumerated() {
                try insertScore.execute(arguments: [
                    trial.runID, trial.caseID, trial.sample, position, score.scorer,
                    score.status.isScored ? "scored" : "unmeasured", score.status.reason, score.value, score.label,
                    score.passed, score.explanation, score.cost,
                    score.repeatValues.map { JSONValue.array($0.map(JSONValue.number)).canonicalText },
                    score.calls, score.usage?.promptTokens, score.usage?.completionTokens, score.savedCalls,
                ])
            }
        }
    }

    public func trials(runID: String) async throws -> [TrialRecord] {
        try await read { db in
            var scores: [String: [Score]] = [:]
            let scoreRows = try Row.fetchCursor(
                db, sql: "SELECT * FROM scores WHERE run_id = ? ORDER BY case_id, sample, position", arguments: [runID]
            )
            while let row = try scoreRows.next() {
                let key = "\(row["case_id"] as String)#\(row["sample"] as Int)"
                let reason: String? = row["reason"]
                let status: ScoreStatus = (row["status"] as String) == "scored" ? .scored : .unmeasured(reason: reason ?? "unknown")
                var score = Score(
                    scorer: row["scorer"], status: status, value: row["value"], label: row["label"], passed: row["passed"],
                    explanation: row["explanation"], cost: row["cost"]
                )
                let repeats: String? = row["repeat_values_json"]
                score.repeatValues = repeats.flatMap { try? JSONValue.parse($0) }?.arrayValue?.compactMap(\.numberValue)
                score.calls = row["calls"]
                score.savedCalls = row["saved_calls"]
                if let prompt: Int = row["prompt_tokens"], let completion: Int = row["completion_tokens"] {
                    score.usage = TokenUsage(promptTokens: prompt, completionTokens: completion)
                }
                scores[key, default: []].append(score)
            }
            var trials: [TrialRecord] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM trials WHERE run_id = ? ORDER BY case_id, sample", arguments: [runID])
            while let row = try rows.next() {
                let caseID: String = row["case_id"]
                let sample: Int = row["sample"]
                let outputJSON: String? = row["output_json"]
                trials.append(TrialRecord(
                    runID: runID, caseID: caseID, sample: sample, route: row["route"],
                    output: try outputJSON.map { try Self.decode(Output.self, $0) }, error: row["error"],
                    scores: scores["\(caseID)#\(sample)"] ?? [], cacheKey: row["cache_key"], cached: row["cached"],
                    attempts: row["attempts"], startedAt: row["started_at"], finishedAt: row["finished_at"]
                ))
            }
            return trials
        }
    }

    public func finishedTrialKeys(runID: String) async throws -> Set<TrialKey> {
        try await read { db in
            var keys = Set<TrialKey>()
            // A trial whose target failed is not finished: resuming tries it again.
            let rows = try Row.fetchCursor(db, sql: "SELECT case_id, sample FROM trials WHERE run_id = ? AND error IS NULL", arguments: [runID])
            while let row = try rows.next() {
                keys.insert(TrialKey(caseID: row["case_id"], sample: row["sample"]))
            }
            return keys
        }
    }

    // MARK: Response cache

    public func cachedOutput(forKey key: String) async throws -> Output? {
        let text = try await read { db in
            try String.fetchOne(db, sql: "SELECT output_json FROM response_cache WHERE key = ?", arguments: [key])
        }
        return try text.map { try Self.decode(Output.self, $0) }
    }

    public func storeOutput(_ output: Output, forKey key: String) async throws {
        let text = try Self.json(output)
        try await write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO response_cache (key, output_json, created_at) VALUES (?, ?, ?)",
                arguments: [key, text, Date()]
            )
        }
    }
}
