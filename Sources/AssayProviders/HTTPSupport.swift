import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Shared plumbing for HTTP targets: secrets from the environment, header expansion, error classification.
enum HTTPSupport {
    /// Expands `${NAME}` in a header value from the environment.
    static func expand(_ value: String, environment: [String: String]) throws -> String {
        var result = ""
        var rest = Substring(value)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                result += rest[start.lowerBound...]
                return result
            }
            let name = String(rest[start.upperBound..<end])
            guard let replacement = environment[name] else {
                throw ProviderError(.fatal, "environment variable \(name) is not set (used in a header)")
            }
            result += replacement
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// Builds the headers of a request: JSON content type, the key from `apiKeyEnv` (as a bearer token unless
    /// `bearer` is false), configured headers.
    static func headers(for config: TargetConfig, environment: [String: String], bearer: Bool = true) throws -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "User-Agent", value: "assay")
        if let env = config.apiKeyEnv {
            guard let key = environment[env], !key.isEmpty else {
                throw ProviderError(.fatal, "environment variable \(env) (api_key_env of target '\(config.name)') is not set")
            }
            if bearer { headers.add(name: "Authorization", value: "Bearer \(key)") }
        }
        for (name, value) in config.headers.sorted(by: { $0.key < $1.key }) {
            headers.replaceOrAdd(name: name, value: try expand(value, environment: environment))
        }
        return headers
    }

    /// Maps a transport error to a `ProviderError` (all transient: resets, refused connections, timeouts).
    static func classify(_ error: any Error) -> ProviderError {
        if let error = error as? ProviderError { return error }
        return ProviderError(.transient, "connection error: \(error)")
    }

    /// Reads a whole response body, up to `limit` bytes.
    static func readBody(_ response: HTTPClientResponse, limit: Int = 32 << 20) async throws -> ByteBuffer {
        do {
            return try await response.body.collect(upTo: limit)
        } catch {
            throw ProviderError(.transient, "response body interrupted: \(error)")
        }
    }

    /// Sends a POST and returns the response, classifying transport errors and non-2xx statuses.
    static func post(
        client: HTTPClient, url: String, headers: HTTPHeaders, body: Data, timeout: Double
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        } catch {
            throw classify(error)
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            let buffer = try? await response.body.collect(upTo: 64 << 10)
            let text = buffer.map { String(buffer: $0) } ?? ""
            throw ProviderError.http(
                status: Int(response.status.code), body: text,
                retryAfter: ProviderError.parseRetryAfter(response.headers.first(name: "Retry-After"))
            )
        }
        return response
    }
}
