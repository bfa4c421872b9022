import AssayCore

/// Test access to the judge reply parser on a 1–5 scale.
public enum JudgeReplyParserProbe {
    /// The score a reply yields on a 1–5 scale (expected value with log-probabilities), or nil.
    public static func score(_ reply: Output) -> Double? {
        JudgeReplyParser.score(reply, scale: 1...5)?.score
    }
}
