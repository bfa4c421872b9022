import Foundation

/// An error of the report renderers.
public struct ReportError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case nonFiniteNumber(path: String)
        case unsupportedDocument(format: String, version: Int)
        case malformedDocument(String)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// A number in the summary is NaN or infinite, which JSON cannot carry (a bug upstream of the report).
    static func nonFiniteNumber(path: String) -> ReportError { ReportError(.nonFiniteNumber(path: path)) }

    /// A JSON document of another format or of a version this build does not read.
    static func unsupportedDocument(format: String, version: Int) -> ReportError {
        ReportError(.unsupportedDocument(format: format, version: version))
    }

    /// A JSON document that does not decode.
    static func malformedDocument(_ detail: String) -> ReportError { ReportError(.malformedDocument(detail)) }

    /// A sentence saying what went wrong and what to do.
    public var description: String {
        switch kind {
        case .nonFiniteNumber(let path):
            return "the run summary holds a number that is not finite at '\(path)'; JSON cannot represent it (this is a bug in the aggregation, please report it)"
        case .unsupportedDocument(let format, let version):
            return "the document is '\(format)' version \(version); this build reads '\(JSONReport.format)' version \(JSONReport.formatVersion)"
        case .malformedDocument(let detail):
            return "the report document does not decode: \(detail)"
        }
    }

    /// A short, stable label for the kind of error, safe as a metrics label.
    public var shortDescription: String {
        switch kind {
        case .nonFiniteNumber: return "report.non_finite_number"
        case .unsupportedDocument: return "report.unsupported_document"
        case .malformedDocument: return "report.malformed_document"
        }
    }
}
