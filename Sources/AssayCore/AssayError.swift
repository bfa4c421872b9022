import Foundation

/// A place in a user's file: what configuration and dataset errors point at.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file path as the user gave it (or as resolved from the suite).
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?

    /// Creates a location.
    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, leaving out what is unknown.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let line, line > 0, let column { text += ":\(column)" }
        return text
    }
}

/// Assay's error: a category that decides the CLI's exit code, a message that says what went wrong and what to
/// do next, and, for user files, where.
///
/// Never carries API keys, prompts or SQL arguments.
public struct AssayError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, which fixes the exit code (see DESIGN.md).
    public struct Category: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        /// Exit code of the CLI for this category.
        public let exitCode: Int32
        private init(_ name: String, exitCode: Int32) {
            self.name = name
            self.exitCode = exitCode
        }
        /// Bad command-line usage (exit 2).
        public static let usage = Category("usage", exitCode: 2)
        /// An invalid suite file or option (exit 2).
        public static let config = Category("config", exitCode: 2)
        /// An invalid dataset (exit 2).
        public static let dataset = Category("dataset", exitCode: 2)
        /// A provider could not be reached or configured (exit 3).
        public static let provider = Category("provider", exitCode: 3)
        /// The result store could not be opened or written (exit 3).
        public static let store = Category("store", exitCode: 3)
        /// The run could not complete (exit 3).
        public static let incomplete = Category("incomplete", exitCode: 3)
        /// A short label, safe for metrics.
        public var description: String { name }
    }

    /// The category.
    public let category: Category
    /// What went wrong and, where possible, what to do next.
    public let message: String
    /// Where in a user file, for config and dataset errors.
    public let location: SourceLocation?
    /// The field at fault (a dotted path such as `targets[0].base_url`), when known.
    public let field: String?

    /// Creates an error.
    public init(_ category: Category, _ message: String, location: SourceLocation? = nil, field: String? = nil) {
        self.category = category
        self.message = message
        self.location = location
        self.field = field
    }

    /// A configuration error at a place in a file.
    public static func config(_ message: String, at location: SourceLocation?, field: String? = nil) -> AssayError {
        AssayError(.config, message, location: location, field: field)
    }

    /// A dataset error at a place in a file.
    public static func dataset(_ message: String, at location: SourceLocation?, field: String? = nil) -> AssayError {
        AssayError(.dataset, message, location: location, field: field)
    }

    /// `file:line: field: message`, leaving out what is unknown.
    public var description: String {
        var parts: [String] = []
        if let location { parts.append(location.description) }
        if let field { parts.append(field) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }

    /// A label safe for metrics and logs.
    public var shortDescription: String { category.description }
}
