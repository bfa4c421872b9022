import Foundation

/// Ranking with ties, shared by Spearman's correlation and the Wilcoxon signed-rank test.
enum Ranking {
    /// 1-based ranks with ties given the average of the ranks they span ("average" / midranks), and the
    /// sizes of the tie groups (only groups of two or more).
    static func averageRanks(_ values: [Double]) -> (ranks: [Double], tieSizes: [Int]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var tieSizes: [Int] = []
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && values[order[end + 1]] == values[order[start]] {
                end += 1
            }
            // Positions start...end (0-based) share the average of ranks start+1...end+1.
            let average = Double(start + end + 2) / 2
            for position in start...end {
                ranks[order[position]] = average
            }
            if end > start { tieSizes.append(end - start + 1) }
            start = end + 1
        }
        return (ranks, tieSizes)
    }
}
