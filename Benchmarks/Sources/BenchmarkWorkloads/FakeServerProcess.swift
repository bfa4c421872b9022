import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A running fake server: in this process, or in a child process (the benchmark binary started again in server
/// mode), which is fairer to the client: its CPU time and memory are then not counted as the engine's.
public final class RunningServer: Sendable {
    /// Where the server runs.
    public enum Placement: Sendable {
        /// A task of this process.
        case inProcess(Task<Void, any Error>)
        /// A child process.
        case childProcess(pid_t)
    }

    /// The port on 127.0.0.1.
    public let port: Int
    /// Where it runs.
    public let placement: Placement

    init(port: Int, placement: Placement) {
        self.port = port
        self.placement = placement
    }

    /// `separate process (pid N)` or `same process`.
    public var placementDescription: String {
        switch placement {
        case .inProcess: return "same process"
        case .childProcess(let pid): return "separate process (pid \(pid))"
        }
    }

    /// The child's CPU seconds so far (user + system, from /proc/PID/stat), or nil in process / off Linux.
    public var childCPUSeconds: Double? {
        guard case .childProcess(let pid) = placement,
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The child's peak resident memory in bytes (VmHWM), or nil in process / off Linux.
    public var childPeakRSSBytes: Int? {
        guard case .childProcess(let pid) = placement,
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kib = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return kib.map { $0 * 1024 }
        }
        return nil
    }

    /// Stops the server (SIGTERM for a child, which is then reaped).
    public func stop() async {
        switch placement {
        case .inProcess(let task):
            task.cancel()
            _ = try? await task.value
        case .childProcess(let pid):
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
}

/// Starts the fake server in a child process, and runs the child side.
///
/// The child is this same executable started again with `ASSAY_BENCH_ROLE=fake-server`: every entry point (the
/// ordo-one benchmark targets and `assay-bench`) calls `runIfChild()` first. The child prints its port on stdout
/// and exits when its stdin closes, so it never outlives the benchmark, even one that crashes.
public enum FakeServerProcess {
    static let roleVariable = "ASSAY_BENCH_ROLE"
    static let latencyVariable = "ASSAY_BENCH_LATENCY_MS"

    /// When this process was started as the fake server, runs it and never returns.
    public static func runIfChild() {
        let environment = ProcessInfo.processInfo.environment
        guard environment[roleVariable] == "fake-server" else { return }
        let milliseconds = environment[latencyVariable].flatMap(Int.init) ?? 50
        // Exit when the parent goes away (our stdin is a pipe it holds open).
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while read(0, &byte, 1) > 0 {}
            exit(0)
        }
        Task.detached {
            do {
                try await FakeChatServer.run(latency: .milliseconds(milliseconds)) { port in
                    print("PORT \(port)")
                    fflush(stdout)
                }
            } catch {
                FileHandle.standardError.write(Data("assay-bench fake server: \(error)\n".utf8))
                exit(1)
            }
        }
        while true { pause() }
    }

    /// Starts the fake server in a child process.
    /// - Parameter latency: The delay before each answer.
    /// - Returns: The running server.
    /// - Throws: `BenchmarkFailure` when the child does not start or report its port within 30 s.
    public static func launch(latency: Duration) throws -> RunningServer {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = []
        var environment = ProcessInfo.processInfo.environment
        environment[roleVariable] = "fake-server"
        let (seconds, attoseconds) = latency.components
        environment[latencyVariable] = String(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        // The benchmark runner preloads its malloc interposer; the server is not what is measured.
        environment["LD_PRELOAD"] = nil
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Keep our end of the child's stdin open for as long as this process lives.
        retainedPipesLock.withLock { retainedPipes.append(input) }

        var line = Data()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
            if let text = String(data: line, encoding: .utf8), let newline = text.firstIndex(of: "\n") {
                let first = text[..<newline]
                if first.hasPrefix("PORT "), let port = Int(first.dropFirst(5)), port > 0 {
                    return RunningServer(port: port, placement: .childProcess(process.processIdentifier))
                }
                break
            }
        }
        process.terminate()
        throw BenchmarkFailure("the fake server process did not report its port")
    }

    private static let retainedPipesLock = NSLock()
    nonisolated(unsafe) private static var retainedPipes: [Pipe] = []
}
