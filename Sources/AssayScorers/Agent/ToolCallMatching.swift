/// Optimal one-to-one matchings of expected tool calls to actual ones, given which pairs are compatible.
///
/// Both matchings are optimal (they match as many expected calls as possible), not greedy: an early expected call
/// never takes an actual call that a later one needed while another would have done for it.
enum ToolCallMatching {
    /// A maximum bipartite matching in any order (Kuhn's augmenting paths; the call lists are short, so
    /// O(expected × compatible pairs) is plenty).
    /// - Parameters:
    ///   - compatible: `compatible[e][a]` is true when expected call `e` may match actual call `a`.
    ///   - actualCount: The number of actual calls.
    /// - Returns: For each expected call, the index of its actual call, or nil when unmatched.
    static func anyOrder(_ compatible: [[Bool]], actualCount: Int) -> [Int?] {
        var owner = [Int?](repeating: nil, count: actualCount)
        let candidates = compatible.map { row in row.indices.filter { row[$0] } }
        for expected in candidates.indices where !candidates[expected].isEmpty {
            var visited = [Bool](repeating: false, count: actualCount)
            _ = augment(expected, candidates, &owner, &visited)
        }
        var pairs = [Int?](repeating: nil, count: compatible.count)
        for (actual, expected) in owner.enumerated() {
            if let expected { pairs[expected] = actual }
        }
        return pairs
    }

    /// Tries to match `expected`, re-matching earlier calls along an augmenting path when needed. The depth of the
    /// recursion is at most the number of expected calls.
    private static func augment(_ expected: Int, _ candidates: [[Int]], _ owner: inout [Int?], _ visited: inout [Bool]) -> Bool {
        for actual in candidates[expected] where !visited[actual] {
            visited[actual] = true
            if let current = owner[actual] {
                guard augment(current, candidates, &owner, &visited) else { continue }
            }
            owner[actual] = expected
            return true
        }
        return false
    }

    /// A maximum matching that keeps the order: matched actual calls come in the same order as their expected
    /// calls, with any other calls allowed in between (a longest common subsequence).
    /// - Parameters:
    ///   - compatible: `compatible[e][a]` is true when expected call `e` may match actual call `a`.
    ///   - actualCount: The number of actual calls.
    /// - Returns: For each expected call, the index of its actual call, or nil when unmatched.
    static func inOrder(_ compatible: [[Bool]], actualCount: Int) -> [Int?] {
        let rows = compatible.count, columns = actualCount
        var pairs = [Int?](repeating: nil, count: rows)
        guard rows > 0, columns > 0 else { return pairs }
        // best[i * (columns + 1) + j]: the longest in-order matching of expected[i...] with actual[j...].
        let width = columns + 1
        var best = [Int](repeating: 0, count: (rows + 1) * width)
        for i in stride(from: rows - 1, through: 0, by: -1) {
            for j in stride(from: columns - 1, through: 0, by: -1) {
                var value = max(best[(i + 1) * width + j], best[i * width + j + 1])
                if compatible[i][j] { value = max(value, best[(i + 1) * width + j + 1] + 1) }
                best[i * width + j] = value
            }
        }
        // Walk forward, taking a pair whenever it keeps the optimum, so each expected call gets its earliest
        // possible actual call.
        var i = 0, j = 0
        while i < rows, j < columns {
            if compatible[i][j], best[i * width + j] == best[(i + 1) * width + j + 1] + 1 {
                pairs[i] = j
                i += 1
                j += 1
            } else if best[i * width + j] == best[i * width + j + 1] {
                j += 1
            } else {
                i += 1
            }
        }
        return pairs
    }
}
