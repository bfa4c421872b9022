import AssayCore
import AssayScorers
import Foundation

/// The deterministic-scoring benchmark: recorded outputs scored by a rubric of `equals`, `contains`, `regex`,
/// `json_schema`, `length` and `must_not_contain`, built by `ScorerFactory.make` from YAML as a suite would build
/// them. One trial is one output through all six scorers.
public struct ScoringWorkload: Sendable {
    /// One recorded trial: the case and what the target said.
    public struct Recorded: Sendable {
        /// The case.
        public var testCase: Case
        /// The recorded output.
        public var output: Output
    }

    /// The rubric, as it would appear in a suite (the support-bot example's checks).
    public static let rubricYAML = """
        rubric:
          - {name: exact, type: equals}
          - {name: states-answer, type: contains, ignore_case: true}
          - {name: order-id, type: regex, pattern: '\\b[A-Z][0-9]{4}\\b'}
          - name: matches-schema
            type: json_schema
            schema:
              type: object
              properties:
                order_id: {type: string, pattern: '^[A-Z][0-9]{4}$'}
                intent: {type: string, enum: [refund, billing, other]}
                answer: {type: string, maxLength: 300}
              required: [order_id, intent]
              additionalProperties: false
          - {name: concise, type: length, max: 400}
          - name: no-leak
            type: must_not_contain
            values: ["You are the support assistant", "Policy:", "BEGIN INTERNAL"]
        """

    /// The six scorers.
    public let scorers: [any Scorer]
    /// The recorded trials.
    public let trials: [Recorded]

    /// Builds the scorers and generates `count` recorded outputs (deterministic: the same every run).
    ///
    /// A quarter each: a JSON object that satisfies the schema; a JSON object that violates it; a one- or
    /// two-sentence prose answer (not JSON); a bare exact answer. About 1 in 50 leaks a forbidden phrase. Every
    /// output is different (ids and numbers vary), so nothing can be cached by accident.
    /// - Parameter count: How many outputs.
    /// - Throws: `AssayError` when the rubric does not build.
    public init(count: Int = 100_000) throws {
        let root = try ConfigNode.parse(Self.rubricYAML, file: "scoring-benchmark.yaml")
        guard let elements = try root["rubric"]?.elements() else { throw BenchmarkFailure("the rubric is empty") }
        scorers = try elements.map { node in
            let type = try node["type"]?.string() ?? ""
            let name = try node["name"]?.string() ?? type
            return try ScorerFactory.make(ScorerConfig(name: name, type: type, options: node, gate: nil, location: node.location))
        }
        var generator = SplitMix64(seed: 20_261_123)
        var trials: [Recorded] = []
        trials.reserveCapacity(count)
        let intents = ["refund", "billing", "other"]
        let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
        for index in 0..<count {
            let days = Int(generator.next() % 60) + 1
            let orderID = "\(letters[Int(generator.next() % UInt64(letters.count))])\(1000 + Int(generator.next() % 9000))"
            let intent = intents[Int(generator.next() % 3)]
            let expected = "\(days)"
            let leak = generator.next() % 50 == 0 ? " Policy: internal use only." : ""
            let text: String
            switch index % 4 {
            case 0:
                text = #"{"order_id": "\#(orderID)", "intent": "\#(intent)", "answer": "Refunds are available within \#(days) days of purchase with a receipt.\#(leak)"}"#
            case 1:
                text = #"{"order": "\#(orderID.lowercased())", "intent": "cancel", "answer": \#(days), "note": "customer asked twice"}"#
            case 2:
                text = "Thanks for reaching out about order \(orderID). Refunds are available within \(days) days of purchase "
                    + "with a receipt, and they go back to the original payment method within 5 business days.\(leak)"
            default:
                text = index % 8 == 3 ? expected : " \(days) days "
            }
            let testCase = Case(
                id: String(format: "case-%06d", index), input: .string("How many days do I have to return order \(orderID)?"),
                expected: expected, route: "default", tags: ["intent": intent]
            )
            trials.append(Recorded(testCase: testCase, output: Output(text: text, latency: 0.2)))
        }
        self.trials = trials
    }

    /// Passes per scorer, in rubric order, plus the number of scores made.
    public struct Tally: Sendable {
        /// Passes per scorer.
        public var passes: [Int]
        /// Scores made (trials × scorers).
        public var scores: Int

        mutating func add(_ other: Tally) {
            for index in passes.indices { passes[index] += other.passes[index] }
            scores += other.scores
        }
    }

    /// Scores every trial with every scorer, `parallelism` contiguous slices at once (1: on one task).
    /// - Parameter parallelism: Concurrent slices.
    /// - Returns: The tally (use it, so the work cannot be optimised away).
    public func scoreAll(parallelism: Int = 1) async -> Tally {
        let scorers = scorers
        let trials = trials
        let slices = max(1, parallelism)
        if slices == 1 { return await Self.score(trials[...], with: scorers) }
        return await withTaskGroup(of: Tally.self) { group in
            let size = (trials.count + slices - 1) / slices
            for start in stride(from: 0, to: trials.count, by: size) {
                let slice = trials[start..<min(start + size, trials.count)]
                group.addTask { await Self.score(slice, with: scorers) }
            }
            var total = Tally(passes: Array(repeating: 0, count: scorers.count), scores: 0)
            for await part in group { total.add(part) }
            return total
        }
    }

    private static func score(_ trials: ArraySlice<Recorded>, with scorers: [any Scorer]) async -> Tally {
        var tally = Tally(passes: Array(repeating: 0, count: scorers.count), scores: 0)
        for trial in trials {
            for (index, scorer) in scorers.enumerated() {
                let score = await scorer.score(trial.testCase, trial.output)
                if score.passed == true { tally.passes[index] += 1 }
                tally.scores += 1
            }
        }
        return tally
    }
}

/// A small seeded generator (SplitMix64), so the generated outputs are the same every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
