import ArgumentParser
import AssayCore
import Foundation

/// The `assay` command.
struct AssayCommand: AsyncParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Evaluate LLM systems on your own cases: pass rates with intervals, latency, cost, gates.",
        version: version,
        subcommands: [RunCommand.self, CompareCommand.self, PowerCommand.self, InitCommand.self, RunsCommand.self, ShowCommand.self, FlakyCommand.self, AgreeCommand.self]
    )
}

/// The entry point: runs the command and turns every error into Assay's exit codes, in one place
/// (0 gates pass, 1 a gate failed, 2 usage or configuration error, 3 the run could not complete).
@main
enum Main {
    static func main() async {
        // A child or a closed pipe must produce an error, never kill assay.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try AssayCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(Exit.report(error))
        }
    }
}

/// Maps errors to exit codes and messages.
enum Exit {
    static func report(_ error: any Error) -> Int32 {
        if let error = error as? AssayError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            return error.category.exitCode
        }
        if let code = error as? ExitCode {
            return code.rawValue
        }
        let message = AssayCommand.fullMessage(for: error)
        let code = AssayCommand.exitCode(for: error)
        if code == .success {
            print(message)
            return 0
        }
        // Argument errors are usage errors: exit 2 as DESIGN.md says (ArgumentParser's default is 64).
        if code == .validationFailure {
            FileHandle.standardError.write(Data((message.isEmpty ? "" : message + "\n").utf8))
            return 2
        }
        // Anything else is unexpected: the run could not complete (never exit 1, which means a gate failed).
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        return 3
    }
}
