import AsyncHTTPClient
import NIOCore
import NIOPosix

/// Owns the HTTP client that every target of a run shares, sized for the run's concurrency.
public final class HTTPClientBox: Sendable {
    /// The client.
    public let client: HTTPClient

    /// Creates a client whose connection pool allows `concurrency` connections per host.
    public init(concurrency: Int) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, concurrency)
        configuration.timeout.connect = .seconds(10)
        configuration.httpVersion = .http1Only
        self.client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    /// Shuts the client down; call once when the run ends.
    public func shutdown() async {
        try? await client.shutdown()
    }
}
