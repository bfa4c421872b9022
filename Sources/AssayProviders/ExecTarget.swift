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
        .object([
            "case": request.testCase.canonicalJSON,
            "messages": .array(request.messages.map(OpenAITarget.encode)),
            "sample": .number(Double(request.sample)),
        ])
    }

    public func cacheIdentity(for request: ModelRequest) -> JSONValue? {
        .object([
            "provider": .string("exec"), "command": .array((config.command ?? []).map(JSONValue.string)),
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
enum ProcessRunner {
    struct Result: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    static func run(executable: String, arguments: [String], stdin: Data, workingDirectory: URL, timeout: Double) async throws -> Result {
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
                // Reading happens on a plain thread: the pipes block.
                Thread.detachNewThread {
                    do {
                        try process.run()
                    } catch {
                        continuation.resume(throwing: ProviderError(.fatal, "cannot start '\(executable)': \(error.localizedDescription)"))
                        return
                    }
                    let timer = DispatchWorkItem { box.timedOut = true; process.terminate() }
                    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
                    let errData = ErrorCollector(errPipe.fileHandleForReading)
                    try? inPipe.fileHandleForWriting.write(contentsOf: stdin)
                    try? inPipe.fileHandleForWriting.close()
                    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    timer.cancel()
                    let err = errData.finish()
                    if box.timedOut {
                        continuation.resume(throwing: ProviderError(.transient, "command timed out after \(JSONValue.formatNumber(timeout)) s"))
                    } else {
                        continuation.resume(returning: Result(status: process.terminationStatus, stdout: out, stderr: err))
                    }
                }
            }
        } onCancel: {
            box.terminate()
        }
    }
}

/// Shares a process with the timeout and cancellation handlers.
final class ProcessBox: @unchecked Sendable {
    private let lock = NSLock()
    private let process: Process
    private var _timedOut = false
    init(_ process: Process) { self.process = process }
    var timedOut: Bool {
        get { lock.withLock { _timedOut } }
        set { lock.withLock { _timedOut = newValue } }
    }
    func terminate() { if process.isRunning { process.terminate() } }
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
