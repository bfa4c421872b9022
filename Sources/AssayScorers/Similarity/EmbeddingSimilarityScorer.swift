import AssayCore
import Foundation

/// `embedding_similarity`: the cosine similarity of the embeddings of the output and a reference answer, from an
/// OpenAI-compatible embeddings endpoint (`POST {base_url}/embeddings`).
///
/// The embedder is an entry of the suite's `judges:` with provider `openai` whose `model` is an embedding model;
/// its API key, headers, timeout, retries and prices apply. Each text is embedded once and kept in the response
/// cache (keyed by the embedder's identity and the text), so a reference shared by many trials costs one call.
/// The value is the cosine clamped to 0...1: a negative cosine (vectors pointing apart) counts as 0. The verdict
/// passes when the value reaches `threshold` (default 0.8). Like the other similarity scores it measures
/// closeness of meaning, not correctness: calibrate the threshold on labelled outputs before gating on it.
///
/// Unmeasured: no reference (neither `value` nor an expected answer), an empty output or reference (nothing to
/// embed), an embedding call that fails, a zero or empty vector, or vectors of different lengths.
///
/// Options: `embedder` (required: the judge's name), `value` (the reference; default the case's expected answer)
/// and `threshold`.
public struct EmbeddingSimilarityScorer: Scorer {
    /// `embedding_similarity`.
    public static let typeName = "embedding_similarity"
    static let optionNames: Set<String> = ["embedder", "value"]
    /// The threshold when none is configured.
    public static let defaultThreshold = 0.8
    static let version = 1

    /// The scorer's name in its rubric.
    public let name: String
    /// SHA-256 of the type, version, embedder identity, reference and threshold.
    public let fingerprint: String
    private let embedder: JudgeClient
    private let reference: SimilarityReference

    /// Builds the scorer.
    /// - Parameters:
    ///   - config: The scorer's configuration.
    ///   - context: The suite's judges (the embedder is one of them).
    /// - Throws: `AssayError` (config) at the offending option: a missing or unknown embedder, or one whose
    ///   provider is not `openai`.
    public init(config: ScorerConfig, context: ScorerContext) throws {
        let options = try ScorerOptions(config, allowed: Self.optionNames)
        name = config.name
        guard let node = options.node("embedder") else {
            throw config.options.error("embedding_similarity needs 'embedder: NAME' naming an entry of the suite's 'judges:' (provider: openai, model: an embedding model)")
        }
        embedder = try context.judge(named: node, in: config)
        guard embedder.config.kind == .openai, embedder.canEmbed else {
            throw node.error("embedder '\(embedder.name)' has provider \(embedder.config.kind.rawValue); embeddings need an OpenAI-compatible judge (provider: openai) with an embedding model")
        }
        reference = try SimilarityReference(options, defaultThreshold: Self.defaultThreshold)
        fingerprint = Fingerprint.sha256(JSONValue.object([
            "type": .string(Self.typeName), "version": .number(Double(Self.version)),
            "embedder": .string(embedder.fingerprint), "settings": .object(reference.identity),
        ]))
    }

    /// At most two embedding calls (the output and the reference), fewer when cached.
    public var plannedCalls: Int { 2 }

    /// Scores one output.
    /// - Parameters:
    ///   - testCase: The case; its expected answer is the reference when no `value` is configured.
    ///   - output: What the target produced.
    /// - Returns: The clamped cosine, passing at the threshold; unmeasured when it cannot be computed.
    public func score(_ testCase: Case, _ output: Output) async -> Score {
        guard let text = reference.reference(for: testCase) else { return .noExpectedAnswer(name) }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .unmeasured(name, reason: "the reference is empty: there is nothing to embed")
        }
        guard !output.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .unmeasured(name, reason: "the output is empty: there is nothing to embed")
        }
        var spend = JudgeSpend()
        var vectors: [[Double]] = []
        for (what, content) in [("reference", text), ("output", output.text)] {
            switch await embedder.embedding(of: content, spend: &spend) {
            case .failed(let reason):
                return Score.unmeasured(name, reason: "could not embed the \(what): \(reason)").charged(spend)
            case .embedded(let vector):
                vectors.append(vector)
            }
        }
        let cosine: Double
        switch Self.cosine(vectors[0], vectors[1]) {
        case .failure(let failure):
            return Score.unmeasured(name, reason: failure.message).charged(spend)
        case .success(let value):
            cosine = value
        }
        let details = cosine < 0 ? "raw cosine \(SimilarityText.format(cosine)) counts as 0" : ""
        return reference.score(name, metric: "cosine similarity", value: cosine, details: details, reference: text).charged(spend)
    }

    /// The cosine of two vectors; a failure for empty or zero vectors, different lengths, or non-finite values.
    static func cosine(_ a: [Double], _ b: [Double]) -> Result<Double, JudgeFailure> {
        guard a.count == b.count else {
            return .failure(JudgeFailure(message: "the embeddings have different dimensions (\(b.count) for the output, \(a.count) for the reference)"))
        }
        var dot = 0.0
        var normA = 0.0
        var normB = 0.0
        for index in a.indices {
            dot += a[index] * b[index]
            normA += a[index] * a[index]
            normB += b[index] * b[index]
        }
        guard dot.isFinite, normA.isFinite, normB.isFinite else {
            return .failure(JudgeFailure(message: "an embedding holds values too large to compare"))
        }
        guard normA > 0, normB > 0 else {
            let which = normA > 0 ? "output" : "reference"
            return .failure(JudgeFailure(message: "the \(which) embedding is \(a.isEmpty ? "empty" : "a zero vector"): the cosine is undefined"))
        }
        return .success(min(1, max(-1, dot / (normA.squareRoot() * normB.squareRoot()))))
    }
}
