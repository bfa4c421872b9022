import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore

/// The vectors an embedding model returned for some texts.
public struct Embeddings: Sendable, Hashable {
    /// One vector per input text, in input order.
    public var vectors: [[Double]]
    /// The input's tokens (`completionTokens` is 0), when the provider reports them.
    public var usage: TokenUsage?
    /// Cost in US dollars at the configured prices, when they and the usage are known.
    public var cost: Double?

    /// Creates a result.
    public init(vectors: [[Double]], usage: TokenUsage? = nil, cost: Double? = nil) {
        self.vectors = vectors
        self.usage = usage
        self.cost = cost
    }
}

/// A model that turns texts into vectors.
public protocol Embedder: Sendable {
    /// Everything that determines the vector of `text`, without secrets; its SHA-256 is the response-cache key.
    /// - Parameter text: The text to embed.
    /// - Returns: The identity.
    func embeddingIdentity(for text: String) -> JSONValue
    /// Embeds texts in one request.
    /// - Parameter texts: The texts.
    /// - Returns: One vector per text, in order.
    /// - Throws: `ProviderError`, which says whether a retry may help.
    func embed(_ texts: [String]) async throws -> Embeddings
}

/// OpenAI-compatible embeddings: `POST {base_url}/embeddings` with `{"model", "input": [texts]}` and the target's
/// `parameters` (for example `dimensions`), read from `data[i].embedding` (a list of numbers, or base64 float32
/// when `encoding_format: base64` is set). The API key, headers and timeout are the target's, as for chat.
extension OpenAITarget: Embedder {
    /// The request body of an embeddings call.
    /// - Parameter texts: The texts to embed.
    /// - Returns: The configured parameters with `model` and `input`.
    public func embeddingBody(for texts: [String]) -> JSONValue {
        var body = config.parameters
        body["model"] = .string(config.model ?? "")
        body["input"] = .array(texts.map(JSONValue.string))
        return .object(body)
    }

    public func embeddingIdentity(for text: String) -> JSONValue {
        .object([
            "provider": .string("openai"), "endpoint": .string("embeddings"), "base_url": .string(config.baseURL ?? ""),
            "body": embeddingBody(for: [text]), "headers": .object(config.headers.mapValues(JSONValue.string)),
        ])
    }

    public func embed(_ texts: [String]) async throws -> Embeddings {
        let headers = try HTTPSupport.headers(for: config, environment: environment)
        let payload = Data(embeddingBody(for: texts).canonicalText.utf8)
        let url = (config.baseURL ?? "") + "/embeddings"
        let client = client
        let timeout = config.timeout
        let count = texts.count
        var result = try await withDeadline(seconds: timeout) {
            let response = try await HTTPSupport.post(client: client, url: url, headers: headers, body: payload, timeout: timeout)
            let buffer = try await HTTPSupport.readBody(response)
            return try Self.parseEmbeddings(Data(buffer.readableBytesView), count: count)
        }
        if let prices = config.prices, let usage = result.usage { result.cost = prices.cost(of: usage) }
        return result
    }

    /// Parses an embeddings response.
    /// - Parameters:
    ///   - data: The response body.
    ///   - count: How many texts were sent.
    /// - Returns: The vectors in input order (by each item's `index`, else by position) and the usage.
    /// - Throws: A transient `ProviderError` for a body that is not JSON or has no `data`; a fatal one for an
    ///   error message, a count that does not match the input, or an embedding that is not a list of numbers.
    public static func parseEmbeddings(_ data: Data, count: Int) throws -> Embeddings {
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw ProviderError(.transient, "malformed JSON in the embeddings response")
        }
        if let message = json["error"]?["message"]?.stringValue {
            throw ProviderError(.fatal, "provider error: \(message)")
        }
        guard let items = json["data"]?.arrayValue else {
            throw ProviderError(.transient, "the embeddings response has no 'data' list")
        }
        guard items.count == count else {
            throw ProviderError(.fatal, "the embeddings response has \(items.count) embeddings for \(count) inputs")
        }
        var vectors = [[Double]?](repeating: nil, count: count)
        for (position, item) in items.enumerated() {
            let index = item["index"]?.intValue ?? position
            guard vectors.indices.contains(index), vectors[index] == nil else {
                throw ProviderError(.fatal, "the embeddings response repeats or skips index \(index)")
            }
            guard let vector = vector(item["embedding"]) else {
                throw ProviderError(.fatal, "embedding \(index) is not a list of numbers")
            }
            vectors[index] = vector
        }
        var usage: TokenUsage?
        if let prompt = json["usage"]?["prompt_tokens"]?.intValue, prompt >= 0 {
            usage = TokenUsage(promptTokens: prompt, completionTokens: 0)
        }
        return Embeddings(vectors: vectors.compactMap { $0 }, usage: usage)
    }

    /// A vector from a JSON list of numbers or base64 little-endian float32; nil for anything else.
    ///
    /// A list of equally long lists of numbers is one vector per token (llama.cpp's server without a pooling
    /// model returns that): it is mean-pooled into one vector.
    static func vector(_ value: JSONValue?) -> [Double]? {
        if let list = value?.arrayValue {
            let numbers = list.compactMap(\.numberValue)
            if numbers.count == list.count { return numbers }
            let rows = list.compactMap { vector($0) }
            guard numbers.isEmpty, !rows.isEmpty, rows.count == list.count, let width = rows.first?.count, width > 0,
                  rows.allSatisfy({ $0.count == width }) else {
                return nil
            }
            var mean = [Double](repeating: 0, count: width)
            for row in rows {
                for index in 0..<width { mean[index] += row[index] }
            }
            return mean.map { $0 / Double(rows.count) }
        }
        guard let text = value?.stringValue, let bytes = Data(base64Encoded: text), bytes.count % 4 == 0 else { return nil }
        return bytes.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))) }
        }
    }
}
