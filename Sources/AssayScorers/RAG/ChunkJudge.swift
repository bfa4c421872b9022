import AssayCore
import Foundation

/// A judge's yes-or-no answer about one context chunk (relevant to the question, used by the output).
struct ChunkJudgement: Sendable, Hashable {
    var yes: Bool
    var reason: String
}

/// One judge call that answers the same yes-or-no question about every chunk of a case's context, for
/// `context_relevance` and `context_utilization`.
enum ChunkJudge {
    /// Asks the judge and reads one answer per chunk.
    /// - Parameters:
    ///   - judge: The judge.
    ///   - messages: The prompt (`RAGPrompt.chunkRelevance` or `RAGPrompt.chunkUse`).
    ///   - key: The Boolean member of each item (`relevant`, `used`).
    ///   - count: How many chunks the prompt numbered.
    ///   - testCase: The case being scored.
    ///   - spend: Where the call is counted and costed.
    /// - Returns: One judgement per chunk, in order, or why there are none.
    static func ask(
        _ judge: JudgeClient, _ messages: [Message], key: String, count: Int, for testCase: Case, spend: inout JudgeSpend
    ) async -> Result<[ChunkJudgement], JudgeFailure> {
        switch await judge.ask(messages, responseFormat: RAGPrompt.chunksSchema(count: count, key: key), for: testCase, spend: &spend) {
        case .failed(let reason): return .failure(JudgeFailure(message: reason))
        case .answered(let reply): return judgements(in: reply.text, key: key, count: count)
        }
    }

    /// Reads `{"chunks": [{"chunk": n, <key>: true|false, "reason": "..."}]}`, one item per chunk (see `NumberedReply`).
    static func judgements(in text: String, key: String, count: Int) -> Result<[ChunkJudgement], JudgeFailure> {
        NumberedReply.parse(text, list: "chunks", index: "chunk", count: count) { element in
            guard let yes = boolean(element[key]) else {
                return .failure(JudgeFailure(message: "has no true or false '\(key)'"))
            }
            return .success(ChunkJudgement(yes: yes, reason: RAGPrompt.oneLine(element["reason"]?.stringValue ?? "")))
        }
    }

    /// A Boolean, written as one or as `true`/`false`/`yes`/`no` in a string.
    private static func boolean(_ value: JSONValue?) -> Bool? {
        if let bool = value?.boolValue { return bool }
        switch value?.stringValue?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: return nil
        }
    }

    /// Chunk numbers with their reasons for explanations: `2 ("about shipping"), 4`, up to `limit` chunks.
    static func describe(_ numbers: [Int], _ judgements: [ChunkJudgement], limit: Int = 10) -> String {
        var parts = numbers.prefix(limit).map { number -> String in
            let reason = judgements.indices.contains(number - 1) ? judgements[number - 1].reason : ""
            return reason.isEmpty ? "\(number)" : "\(number) (\(quoted(reason, limit: 80)))"
        }
        if numbers.count > limit { parts.append("and \(numbers.count - limit) more") }
        return parts.joined(separator: ", ")
    }
}
