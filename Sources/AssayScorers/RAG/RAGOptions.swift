import AssayCore
import Foundation

/// The options every RAG and factual-accuracy scorer reads: the judge (`judge:`) and the threshold, and the
/// fingerprint over its type, the prompt version, the judge and its resolved settings.
struct RAGOptions {
    /// The validated options.
    let options: ScorerOptions
    /// The judge the scorer asks.
    let judge: JudgeClient
    /// The value needed to pass (the `threshold:` option, or the scorer's default).
    let threshold: Double

    /// Validates the option keys (`judge`, `threshold`, the common ones and `allowed`) and reads the judge and
    /// the threshold.
    /// - Parameters:
    ///   - config: The scorer's configuration.
    ///   - context: The suite's judges.
    ///   - allowed: The scorer's own option names besides `judge`.
    ///   - defaultThreshold: The threshold when none is given.
    /// - Throws: `AssayError` (config) at the offending option.
    init(_ config: ScorerConfig, context: ScorerContext, allowed: Set<String>, defaultThreshold: Double) throws {
        options = try ScorerOptions(config, allowed: allowed.union(["judge"]))
        judge = try context.judge(named: options.node("judge"), in: config)
        threshold = options.threshold ?? defaultThreshold
    }

    /// `max_claims`: between 1 and `ClaimJudge.maxClaimsLimit`, default `ClaimJudge.defaultMaxClaims`.
    /// - Throws: `AssayError` (config) at the option when it is out of range or not an integer.
    func maxClaims() throws -> Int {
        guard let node = options.node("max_claims") else { return ClaimJudge.defaultMaxClaims }
        let value = try node.int()
        guard (1...ClaimJudge.maxClaimsLimit).contains(value) else {
            throw node.error("max_claims must be between 1 and \(ClaimJudge.maxClaimsLimit) (claims checked per text), got \(value)")
        }
        return value
    }

    /// SHA-256 of the type, the RAG prompt version, the judge, the threshold and `settings`.
    func fingerprint(_ settings: [String: JSONValue] = [:]) -> String {
        Fingerprint.sha256(JSONValue.object([
            "type": .string(options.config.type), "prompt_version": .number(Double(RAGPrompt.version)),
            "judge": .string(judge.fingerprint), "threshold": .number(threshold), "settings": .object(settings),
        ]))
    }
}

extension Case {
    /// The question shown to RAG judges: the input as text.
    var question: String { input.displayText }

    /// The retrieved context, when it has at least one chunk that is not blank.
    var retrievedContext: [String]? {
        guard let context, context.contains(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else { return nil }
        return context
    }

    /// The expected answer, when it is not blank.
    var referenceAnswer: String? {
        guard let expected, !expected.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return expected
    }
}

/// ` (0.67 below threshold 0.8)`: a value and how it stands against the threshold, for explanations.
func thresholdNote(_ value: Double, threshold: Double, passed: Bool) -> String {
    " (" + String(format: "%.2f", value) + (passed ? " reaches" : " below") + " threshold \(JSONValue.formatNumber(threshold)))"
}

extension Score {
    /// The unmeasured score of a scorer that needs retrieved context the case lacks.
    static func noContext(_ scorer: String) -> Score {
        .unmeasured(scorer, reason: "case has no retrieved context")
    }

    /// The unmeasured score of a claim scorer given an empty text (no judge call is made).
    static func emptyText(_ scorer: String, _ what: String) -> Score {
        .unmeasured(scorer, reason: "no factual claims to check: \(what) is empty")
    }
}
