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
                    // Unbuffered, so the parent sees the line at once.
                    FileHandle.standardOutput.write(Data("PORT \(port)\n".utf8))
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
    /// - Throws: `BenchmarkFailure` when the child does not start or report its port.
    public static func launch(latency: Duration) throws -> RunningServer {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var environment = ProcessInfo.processInfo.environment
        environment[roleVariable] = "fake-server"
        let (seconds, attoseconds) = latency.components
        environment[latencyVariable] = String(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        // The benchmark runner preloads its malloc interposer; the server is not what is measured.
        environment["LD_PRELOAD"] = nil

        // posix_spawn rather than Foundation's Process, whose own child reaping races with `stop()`'s waitpid.
        var stdinPipe: [Int32] = [0, 0]
        var stdoutPipe: [Int32] = [0, 0]
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0 else { throw BenchmarkFailure("pipe() failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        for fd in stdinPipe + stdoutPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // Swift's worker threads block signals, and a spawned child inherits the mask: unblock them all, and
        // give SIGTERM its default action, so that `stop()` can end the child.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(stdinPipe[0])
        close(stdoutPipe[1])
        guard status == 0 else {
            close(stdinPipe[1])
            close(stdoutPipe[0])
            throw BenchmarkFailure("cannot start the fake server process: error \(status)")
        }
        // stdinPipe[1] stays open for as long as this process lives: the child exits when it closes.
        // Read the child's first line: `PORT n`.
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(stdoutPipe[0], &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        close(stdoutPipe[0])
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)), port > 0 else {
            kill(pid, SIGTERM)
            waitpid(pid, nil, 0)
            throw BenchmarkFailure("the fake server process did not report its port")
        }
        return RunningServer(port: port, placement: .childProcess(pid))
    }
}
