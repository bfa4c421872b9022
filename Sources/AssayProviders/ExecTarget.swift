import AssayCore
import Foundation

/// A command run once per trial: the request as JSON on stdin, the answer on stdout.
///
/// Stdin gets `{"case": <case>, "messages": [...], "sample": n}`. Stdout is either plain text (the answer) or a
/// JSON object with `output` (or `text`) and optional `tool_calls` and `usage`. A non-zero exit is a fatal error
/// carrying the end of stderr; a command that outlives the timeout is killed.
public struct ExecTarget: Target {
    /// The configuration from the suite.
    public let config: TargetConfig
    /// The folder the command runs in (the suite's folder).
    public let workingDirectory: URL

    /// The target's name.
    public var name: String { config.name }

    /// Creates the target.
    public init(config: TargetConfig, workingDirectory: URL) {
        self.config = config
        self.workingDirectory = workingDirectory
    }

    func stdin(for request: ModelRequest) -> JSONValue {
        // What the system under test may see: never the expected answer, outcome or tool calls.
        let testCase = request.testCase
        var visible: [String: JSONValue] = [
            "id": .string(testCase.id), "input": testCase.input, "route": .string(testCase.route),
            "tags": .object(testCase.tags.mapValues(JSONValue.string)),
        ]
        if let context = testCase.context { visible["context"] = .array(context.map(JSONValue.string)) }
        return .object([
            "case": .object(visible),
            "messages": .array(request.messages.map(OpenAITarget.encode)),
            "sample": .number(Double(request.sample)),
        ])
    }

    public func cacheIdentity(for request: ModelRequest) -> JSONValue? {
        // The folder and the content of any file the command names are part of the key: editing the script
        // must not answer from the cache.
        let files = (config.command ?? []).compactMap { argument -> JSONValue? in
            let url = URL(fileURLWithPath: argument, relativeTo: workingDirectory)
            guard let data = FileManager.default.contents(atPath: url.path), data.count < 16 << 20 else { return nil }
            return .string(Fingerprint.sha256(data))
        }
        return .object([
            "provider": .string("exec"), "command": .array((config.command ?? []).map(JSONValue.string)),
            "folder": .string(workingDirectory.standardizedFileURL.path), "files": .array(files),
            "stdin": stdin(for: request),
        ])
    }

    public func generate(_ request: ModelRequest) async throws -> Output {
        guard let command = config.command, let executable = command.first else {
            throw ProviderError(.fatal, "target '\(name)' has no command")
        }
        let input = Data((stdin(for: request).canonicalText + "\n").utf8)
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await ProcessRunner.run(
            executable: executable, arguments: Array(command.dropFirst()), stdin: input,
            workingDirectory: workingDirectory, timeout: config.timeout
        )
        guard result.status == 0 else {
            let tail = String(decoding: result.stderr.suffix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ProviderError(.fatal, "command exited with status \(result.status)\(tail.isEmpty ? "" : ": \(tail)")")
        }
        let text = String(decoding: result.stdout, as: UTF8.self)
        var output = Output(text: text.trimmingCharacters(in: .whitespacesAndNewlines))
        if let json = try? JSONValue.parse(result.stdout), case .object = json, let answer = json["output"] ?? json["text"] {
            guard answer != .null else { throw ProviderError(.fatal, "the command answered with a null output") }
            output.text = answer.displayText
            output.toolCalls = (json["tool_calls"]?.arrayValue ?? []).compactMap { call in
                guard let name = call["name"]?.stringValue else { return nil }
                return ToolCall(id: call["id"]?.stringValue, name: name, arguments: call["arguments"] ?? .object([:]))
            }
            output.usage = OpenAITarget.parseUsage(json["usage"])
            if let prices = config.prices, let usage = output.usage { output.cost = prices.cost(of: usage) }
        }
        output.latency = (clock.now - start).seconds
        return output
    }
}

/// Runs a child process with stdin, a timeout, and captured output.
///
/// The child starts with no blocked signals (threads of the Swift runtime block some, and a child inherits its
/// parent thread's mask), stdin is written on its own thread while stdout and stderr are drained (so a child that
/// answers before reading all its input cannot deadlock us), SIGPIPE is ignored (a child that exits without reading
/// its input must not kill assay), and the timeout kills the child with SIGKILL and answers at once, even if a
/// grandchild keeps the output pipe open.
enum ProcessRunner {
    struct Result: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    static func run(executable: String, arguments: [String], stdin: Data, workingDirectory: URL, timeout: Double) async throws -> Result {
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable, relativeTo: workingDirectory)
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        }
        process.arguments = executable.contains("/") ? arguments : [executable] + arguments
        process.currentDirectoryURL = workingDirectory
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        let box = ProcessBox(process)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                let once = ResumeOnce(continuation)
                Thread.detachNewThread {
                    var none = sigset_t()
                    sigemptyset(&none)
                    pthread_sigmask(SIG_SETMASK, &none, nil)
                    do {
                        try process.run()
                    } catch {
                        once.resume(throwing: ProviderError(.fatal, "cannot start '\(executable)': \(error.localizedDescription)"))
                        return
                    }
                    let deadline = DispatchWorkItem {
                        // Answer first: once the child dies, the reader below would otherwise report signal 9.
                        once.resume(throwing: ProviderError(.transient, "command timed out after \(JSONValue.formatNumber(timeout)) s"))
                        box.kill()
                    }
                    DispatchQueue.global().asyncAfter(deadline: .now() + max(0.001, min(timeout, 86_400)), execute: deadline)
                    let errData = ErrorCollector(errPipe.fileHandleForReading)
                    Thread.detachNewThread {
                        try? inPipe.fileHandleForWriting.write(contentsOf: stdin)
                        try? inPipe.fileHandleForWriting.close()
                    }
                    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    deadline.cancel()
                    let err = errData.finish()
                    once.resume(returning: Result(status: process.terminationStatus, stdout: out, stderr: err))
                }
            }
        } onCancel: {
            box.kill()
        }
    }
}

/// Resumes a continuation exactly once (the timer and the reader race).
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = continuation }
    func resume(returning value: T) {
        lock.withLock { () -> CheckedContinuation<T, any Error>? in defer { continuation = nil }; return continuation }?.resume(returning: value)
    }
    func resume(throwing error: any Error) {
        lock.withLock { () -> CheckedContinuation<T, any Error>? in defer { continuation = nil }; return continuation }?.resume(throwing: error)
    }
}

/// Shares a process with the timeout and cancellation handlers.
final class ProcessBox: @unchecked Sendable {
    private let process: Process
    init(_ process: Process) { self.process = process }
    /// Sends SIGKILL to the child, when it runs.
    func kill() {
        if process.isRunning { killProcess(process.processIdentifier) }
    }
}

/// Drains stderr on its own thread so a chatty child never blocks on a full pipe.
final class ErrorCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            let all = handle.readDataToEndOfFile()
            lock.withLock { data = all }
            done.signal()
        }
    }
    func finish() -> Data {
        done.wait()
        return lock.withLock { data }
    }
}

/// Sends SIGKILL to a process.
private func killProcess(_ pid: Int32) {
    _ = kill(pid, SIGKILL)
}
