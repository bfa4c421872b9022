import AssayCore
import Foundation

/// Reads a judge reply that gives one item per numbered thing, such as
/// `{"verdicts": [{"claim": 1, "verdict": "supported", "reason": "..."}]}`, strictly: every number from 1 to the
/// count exactly once and nothing else. A reply that skips a number, repeats one or names one that does not exist
/// is a failure, never a guess; every failure quotes the raw reply (truncated).
enum NumberedReply {
    /// Reads the items of a reply, in number order.
    /// - Parameters:
    ///   - text: The judge's reply.
    ///   - key: The member holding the list (`verdicts`).
    ///   - indexKey: The member of each item holding its number (`claim`).
    ///   - count: How many things were numbered (1 to `count`).
    ///   - item: Reads one item's own members, or says what is wrong with them.
    /// - Returns: The items ordered by number, or why the reply cannot be used.
    static func parse<Item>(
        _ text: String, list key: String, index indexKey: String, count: Int,
        item: (JSONValue) -> Result<Item, JudgeFailure>
    ) -> Result<[Item], JudgeFailure> {
        func failure(_ problem: String) -> Result<[Item], JudgeFailure> {
            .failure(JudgeFailure(message: "the judge's reply \(problem): \(quoted(text, limit: 200))"))
        }
        guard let json = JudgeReplyParser.json(in: text), let elements = json[key]?.arrayValue else {
            return failure("did not parse (expected {\"\(key)\": [...]})")
        }
        var items = [Item?](repeating: nil, count: count)
        for element in elements {
            guard let number = index(element[indexKey]) else {
                return failure("has an item without a whole-number '\(indexKey)'")
            }
            guard (1...max(1, count)).contains(number), count > 0 else {
                return failure("names \(indexKey) \(number), but there \(count == 1 ? "is 1" : "are \(count)")")
            }
            guard items[number - 1] == nil else {
                return failure("judges \(indexKey) \(number) twice")
            }
            switch item(element) {
            case .success(let value): items[number - 1] = value
            case .failure(let problem): return failure("\(problem.message) for \(indexKey) \(number)")
            }
        }
        let missing = items.indices.filter { items[$0] == nil }.map { String($0 + 1) }
        guard missing.isEmpty else {
            let shown = missing.prefix(10).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
            return failure("skips \(indexKey) \(shown) of \(count) (no verdict is guessed)")
        }
        return .success(items.compactMap { $0 })
    }

    /// A whole number, written as a number or as digits in a string.
    private static func index(_ value: JSONValue?) -> Int? {
        if let number = value?.intValue { return number }
        if let text = value?.stringValue?.trimmingCharacters(in: .whitespaces), let number = Int(text) { return number }
        return nil
    }
}
