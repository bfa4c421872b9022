import AssayCore
import AssayProviders
import Foundation

extension JudgeClient {
    /// Whether this judge's provider can embed texts (an OpenAI-compatible `openai` entry).
    public var canEmbed: Bool { target is any Embedder }

    /// What an embedding request produced.
    public enum EmbeddingReply: Sendable {
        /// The text's vector.
        case embedded([Double])
        /// The call failed after retries, or the judge cannot embed; the reason says why.
        case failed(String)
    }

    /// Embeds one text, through the response cache and the judge's retries. The vector is cached as the text of
    /// an `Output` (a JSON list of numbers), keyed by the judge's embedding identity (provider, URL, model,
    /// parameters, headers as written) and the text, so one text is embedded once however many scores need it.
    /// - Parameters:
    ///   - text: The text.
    ///   - spend: Where the call's count, prompt tokens and cost are added (a cached vector adds its cost at
    ///     today's prices but no call).
    /// - Returns: The vector, or why there is none.
    public func embedding(of text: String, spend: inout JudgeSpend) async -> EmbeddingReply {
        guard let embedder = target as? any Embedder else {
            return .failed("judge '\(name)' cannot embed texts: its provider is \(config.kind.rawValue), not openai")
        }
        let key = Fingerprint.sha256(embedder.embeddingIdentity(for: text))
        let result = await cachedCall(key: key, spend: &spend, usable: { Self.cachedVector($0) != nil }) {
            let embeddings = try await embedder.embed([text])
            // parseEmbeddings guarantees one vector per text.
            let vector = embeddings.vectors.first ?? []
            return Output(text: JSONValue.array(vector.map(JSONValue.number)).canonicalText, usage: embeddings.usage, cost: embeddings.cost)
        }
        switch result {
        case .failure(let failure):
            return .failed(failure.message)
        case .success(let output):
            guard let vector = Self.cachedVector(output) else {
                return .failed("judge '\(name)' returned an embedding that is not a list of finite numbers")
            }
            return .embedded(vector)
        }
    }

    /// The vector stored in an output's text: a JSON list of finite numbers; nil for anything else.
    static func cachedVector(_ output: Output) -> [Double]? {
        guard let list = (try? JSONValue.parse(output.text))?.arrayValue else { return nil }
        let numbers = list.compactMap(\.numberValue).filter(\.isFinite)
        return numbers.count == list.count ? numbers : nil
    }
}
