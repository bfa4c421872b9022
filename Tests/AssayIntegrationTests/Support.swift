import Foundation

/// The package's root folder (tests run from anywhere).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built `assay` executable, or nil when it has not been built (`swift build` first; `make test` does).
var assayBinary: URL? {
    for folder in [".build/debug", ".build/release"] {
        let url = packageRoot.appendingPathComponent(folder).appendingPathComponent("assay")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return nil
}

/// Runs `assay` with arguments and waits for it.
/// - Returns: Exit status, stdout and stderr.
func runAssay(_ arguments: [String], in folder: URL) throws -> (status: Int32, stdout: String, stderr: String) {
    guard let binary = assayBinary else { throw TestSkip("assay is not built") }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = folder
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let errReader = Reader(err.fileHandleForReading)
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), errReader.text())
}

struct TestSkip: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Drains a pipe on its own thread.
final class Reader: @unchecked Sendable {
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
    func text() -> String {
        done.wait()
        return lock.withLock { String(decoding: data, as: UTF8.self) }
    }
}
