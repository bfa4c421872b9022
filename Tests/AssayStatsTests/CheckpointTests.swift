import Testing
@testable import AssayStats

private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(abs(b), 1e-300) || abs(a - b) <= 1e-15
}

@Test(arguments: [
    (0, 10, 0.0, 0.27753279986288926, 0.0, 0.30849710781876083),
    (3, 10, 0.10779126740630104, 0.6032218525388546, 0.06673951117773447, 0.6524528500599973),
    (10, 10, 0.7224672001371106, 1.0, 0.6915028921812392, 1.0),
    (57, 100, 0.47215389549212305, 0.6626670147588988, 0.46713373832484634, 0.6686089833686168),
    (1, 1000, 0.00017654637062607765, 0.005642558597957937, 2.531748749129404e-05, 0.005558924279826673),
])
func checkpointIntervals(_ x: Int, _ n: Int, _ wl: Double, _ wu: Double, _ cl: Double, _ cu: Double) {
    let w = BinomialInterval.wilson(successes: x, trials: n)
    let c = BinomialInterval.clopperPearson(successes: x, trials: n)
    #expect(close(w.lower, wl) && close(w.upper, wu), "\(w)")
    #expect(close(c.lower, cl) && close(c.upper, cu), "\(c)")
}

@Test func checkpointAgrestiCaffoAndPercentiles() {
    let ac = BinomialInterval.agrestiCaffo(successes1: 30, trials1: 50, successes2: 20, trials2: 45)
    #expect(close(ac.lower, -0.04555870387433608) && close(ac.upper, 0.34424937490543267))
    let v: [Double] = [3, 1, 4, 1, 5, 9, 2, 6]
    #expect(Percentile.linear(v, [0, 0.1, 0.5, 0.95, 1]) == [1, 1, 3.5, 7.95, 9].map { $0 } || close(Percentile.linear(v, 0.95) ?? 0, 7.95))
    #expect([0, 0.1, 0.5, 0.95, 1].map { Percentile.nearestRank(v, $0) } == [1, 1, 3, 9, 9])
    #expect(Percentile.linear([], 0.5) == nil)
    #expect(BinomialInterval.wilson(successes: 0, trials: 0) == ConfidenceInterval(lower: 0, upper: 1, level: 0.95))
}
