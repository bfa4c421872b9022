import AssayCore
import Foundation

/// What a judge found of one claim against a source.
enum ClaimVerdict: String, Sendable, Hashable, CaseIterable {
    /// The source states or clearly implies the claim.
    case supported
    /// The source neither states nor contradicts the claim.
    case unsupported
    /// The source states something incompatible with the claim.
    case contradicted
}

/// One claim and the judge's verdict on it.
struct ClaimCheck: Sendable, Hashable {
    var claim: String
    var verdict: ClaimVerdict
    var reason: String
}

/// The claims a text was broken into: at most the cap, and how many the judge listed before the cap.
struct Claims: Sendable, Hashable {
    var list: [String]
    var listed: Int
}

/// The claim machinery shared by `factual_accuracy`, `groundedness` and `completeness`: a judge breaks a text into
/// atomic factual claims (one call), then gives each claim a verdict against source texts (one call). Both calls
/// quote every piece of data between nonce markers (see `RAGPrompt`) and ask for JSON through a schema.
struct ClaimJudge: Sendable {
    /// The judge asked.
    let judge: JudgeClient
    /// The most claims checked per text (the judge is asked for at most this many; extra ones are dropped).
    let maxClaims: Int

    /// The default of `max_claims`.
    static let defaultMaxClaims = 20
    /// The largest `max_claims` accepted.
    static let maxClaimsLimit = 100

    /// What checking a text's claims came to.
    enum Outcome: Sendable {
        /// Every claim got a verdict.
        case checked(ClaimReport)
        /// The judge found no factual claim in the text.
        case noClaims
        /// The judge failed or its reply could not be used; the reason says why.
        case failed(String)
    }

    /// The score an outcome comes to: unmeasured with the reason when the check failed or found no claim in
    /// `checkedText` (e.g. `the output`), else the report's score.
    static func score(
        _ outcome: Outcome, name: String, threshold: Double, checkedText: String, wording: ClaimReport.Wording = ClaimReport.Wording()
    ) -> Score {
        switch outcome {
        case .failed(let reason):
            return .unmeasured(name, reason: reason)
        case .noClaims:
            return .unmeasured(name, reason: "no factual claims to check: the judge found none in \(checkedText)")
        case .checked(let report):
            return report.score(name, threshold: threshold, wording: wording)
        }
    }

    /// Breaks `text` into claims, then judges each against `sources`.
    /// - Parameters:
    ///   - text: The text whose claims are checked.
    ///   - question: The case's question (helps the judge resolve pronouns into self-contained claims).
    ///   - sources: The data the claims are checked against.
    ///   - sourceName: What the sources are, in words (`the reference answer`).
    ///   - testCase: The case being scored.
    ///   - spend: Where the judge calls are counted and costed.
    /// - Returns: The verdicts, no claims, or why there are none.
    func check(
        _ text: String, question: String, against sources: [RAGPrompt.Block], sourceName: String, for testCase: Case,
        spend: inout JudgeSpend
    ) async -> Outcome {
        let claims: Claims
        switch await decompose(text, question: question, for: testCase, spend: &spend) {
        case .failure(let failure): return .failed(failure.message)
        case .success(let found): claims = found
        }
        guard !claims.list.isEmpty else { return .noClaims }
        switch await verify(claims.list, against: sources, sourceName: sourceName, for: testCase, spend: &spend) {
        case .failure(let failure): return .failed(failure.message)
        case .success(let checks): return .checked(ClaimReport(checks: checks, listed: claims.listed, sourceName: sourceName))
        }
    }

    /// Asks the judge for the atomic factual claims of `text` (one call).
    func decompose(_ text: String, question: String, for testCase: Case, spend: inout JudgeSpend) async -> Result<Claims, JudgeFailure> {
        let messages = RAGPrompt.decompose(text, question: question, maxClaims: maxClaims)
        switch await judge.ask(messages, responseFormat: RAGPrompt.claimsSchema, for: testCase, spend: &spend) {
        case .failed(let reason): return .failure(JudgeFailure(message: reason))
        case .answered(let reply):
            return Self.claims(in: reply.text, maxClaims: maxClaims).flatMap { Self.anchored($0, in: text) }
        }
    }

    /// Words of three or more letters or digits, lower-cased, without the commonest function words.
    static func contentWords(_ text: String) -> Set<String> {
        let stop: Set<String> = ["the", "and", "for", "are", "was", "were", "with", "that", "this", "you", "your", "not", "can", "has", "have"]
        return Set(text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init).filter { $0.count >= 3 && !stop.contains($0) })
    }

    /// The claims, when every one shares a content word with the text it was drawn from. A claim that shares none
    /// (a placeholder such as `<claim1>`, or text the judge made up) means the decomposition failed: checking such
    /// claims would score the judge's invention, not the text.
    static func anchored(_ claims: Claims, in text: String) -> Result<Claims, JudgeFailure> {
        let words = contentWords(text)
        let unanchored = claims.list.filter { contentWords($0).isDisjoint(with: words) }
        guard unanchored.isEmpty else {
            let shown = unanchored.prefix(3).map { quoted($0, limit: 60) }.joined(separator: ", ")
            return .failure(JudgeFailure(message: "the judge's claims are not drawn from the text (\(unanchored.count) of \(claims.list.count) share no word with it: \(shown))"))
        }
        return .success(claims)
    }

    /// Asks the judge for a verdict on each claim (one call).
    func verify(
        _ claims: [String], against sources: [RAGPrompt.Block], sourceName: String, for testCase: Case, spend: inout JudgeSpend
    ) async -> Result<[ClaimCheck], JudgeFailure> {
        let messages = RAGPrompt.verify(claims, against: sources, sourceName: sourceName)
        switch await judge.ask(messages, responseFormat: RAGPrompt.verdictsSchema(count: claims.count), for: testCase, spend: &spend) {
        case .failed(let reason): return .failure(JudgeFailure(message: reason))
        case .answered(let reply): return Self.verdicts(in: reply.text, claims: claims)
        }
    }

    /// Reads `{"claims": [...]}`: claims trimmed and on one line, empty ones and repeats dropped, cut to `maxClaims`.
    static func claims(in text: String, maxClaims: Int) -> Result<Claims, JudgeFailure> {
        guard let json = JudgeReplyParser.json(in: text), let elements = json["claims"]?.arrayValue else {
            return .failure(JudgeFailure(message: "the judge's claims did not parse (expected {\"claims\": [...]}): \(quoted(text, limit: 200))"))
        }
        var list: [String] = []
        var seen: Set<String> = []
        for element in elements {
            guard let claim = element.stringValue else {
                return .failure(JudgeFailure(message: "the judge's claims hold a non-string entry: \(quoted(text, limit: 200))"))
            }
            let line = RAGPrompt.oneLine(claim)
            guard !line.isEmpty, seen.insert(line.lowercased()).inserted else { continue }
            list.append(line)
        }
        return .success(Claims(list: Array(list.prefix(maxClaims)), listed: list.count))
    }

    /// Reads `{"verdicts": [{"claim", "verdict", "reason"}]}`, one verdict per claim (see `NumberedReply`).
    static func verdicts(in text: String, claims: [String]) -> Result<[ClaimCheck], JudgeFailure> {
        let verdicts = NumberedReply.parse(text, list: "verdicts", index: "claim", count: claims.count) { element -> Result<(ClaimVerdict, String), JudgeFailure> in
            let word = element["verdict"]?.stringValue?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard let verdict = ClaimVerdict(rawValue: word) else {
                return .failure(JudgeFailure(message: "gives the verdict \(quoted(word, limit: 30)) (supported, unsupported or contradicted expected)"))
            }
            return .success((verdict, element["reason"]?.stringValue ?? ""))
        }
        return verdicts.map { zip(claims, $0).map { ClaimCheck(claim: $0, verdict: $1.0, reason: RAGPrompt.oneLine($1.1)) } }
    }
}

/// The verdicts on a text's claims, and their summary as a score.
struct ClaimReport: Sendable, Hashable {
    /// Each checked claim with its verdict, in the judge's order.
    let checks: [ClaimCheck]
    /// How many claims the judge listed (more than `checks.count` when the cap cut some).
    let listed: Int
    /// What the claims were checked against, in words.
    let sourceName: String

    /// Claims shown in an explanation.
    static let shownClaims = 20

    /// How verdicts read in labels and explanations (`completeness` says `covered` and `missing`).
    struct Wording: Sendable {
        var supported = "supported"
        var unsupported = "unsupported"
        var contradicted = "contradicted"

        func word(_ verdict: ClaimVerdict) -> String {
            switch verdict {
            case .supported: supported
            case .unsupported: unsupported
            case .contradicted: contradicted
            }
        }
    }

    func count(_ verdict: ClaimVerdict) -> Int { checks.count(where: { $0.verdict == verdict }) }

    /// The supported fraction.
    var value: Double { checks.isEmpty ? 0 : Double(count(.supported)) / Double(checks.count) }

    /// `7/9 supported`, with `, 1 contradicted` when any claim is contradicted.
    func label(_ wording: Wording) -> String {
        var label = "\(count(.supported))/\(checks.count) \(wording.supported)"
        let contradicted = count(.contradicted)
        if contradicted > 0 { label += ", \(contradicted) \(wording.contradicted)" }
        return label
    }

    /// The score: the supported fraction, passing at `threshold`, with every claim and its verdict explained
    /// (contradicted ones first, then unsupported, then supported; up to `shownClaims`).
    func score(_ name: String, threshold: Double, wording: Wording = Wording()) -> Score {
        let passed = value >= threshold - 1e-12
        var explanation = "\(count(.supported)) of \(checks.count) claims \(wording.supported) by \(sourceName)"
        explanation += thresholdNote(value, threshold: threshold, passed: passed)
        if listed > checks.count { explanation += "; the first \(checks.count) of \(listed) claims were checked" }
        let order: [ClaimVerdict] = [.contradicted, .unsupported, .supported]
        let ranked = checks.enumerated().sorted {
            (order.firstIndex(of: $0.element.verdict) ?? 0, $0.offset) < (order.firstIndex(of: $1.element.verdict) ?? 0, $1.offset)
        }
        let lines = ranked.prefix(Self.shownClaims).map { offset, check in
            var line = "#\(offset + 1) \(wording.word(check.verdict)) \(quoted(check.claim, limit: 100))"
            if check.verdict != .supported, !check.reason.isEmpty { line += " (\(quoted(check.reason, limit: 100)))" }
            return line
        }
        explanation += ": " + lines.joined(separator: "; ")
        if ranked.count > Self.shownClaims { explanation += "; and \(ranked.count - Self.shownClaims) more" }
        return .scored(name, passed: passed, value: value, label: label(wording), explanation: explanation)
    }
}
