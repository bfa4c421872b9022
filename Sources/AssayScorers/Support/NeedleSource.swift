import AssayCore

/// The strings a text scorer looks for: configured once (normalised at construction), or read from each case's
/// expected answer (normalised per call).
struct NeedleSource: Sendable {
    /// The configured needles, or nil to use the case's expected answer.
    let configured: [TextSearch.Needle]?
    /// The normalisation applied to needles and output alike.
    let normalization: TextNormalization
    /// Whether a case's expected answer may be a JSON list of entries (list scorers) or is one entry.
    let expectsList: Bool

    /// Prepares needles.
    /// - Parameters:
    ///   - values: The configured strings, or nil.
    ///   - normalization: The normalisation.
    ///   - expectsList: Whether a case's expected answer may list several entries.
    init(values: [String]?, normalization: TextNormalization, expectsList: Bool) {
        self.configured = values.map { list in
            list.map { TextSearch.Needle(display: $0, normalized: normalization.apply($0)) }
        }
        self.normalization = normalization
        self.expectsList = expectsList
    }

    /// The needles for one case; nil when none are configured and the case has no expected answer.
    func needles(for testCase: Case) -> [TextSearch.Needle]? {
        if let configured { return configured }
        guard let expected = testCase.expected else { return nil }
        let entries = expectsList ? ExpectedValues.list(from: expected) : [expected]
        return entries.map { TextSearch.Needle(display: $0, normalized: normalization.apply($0)) }
    }

    /// Settings for fingerprints.
    var identity: [String: JSONValue] {
        [
            "values": configured.map { .array($0.map { .string($0.display) }) } ?? .null,
            "normalization": .object(normalization.identity),
        ]
    }
}
