// Deterministic scoring: 100,000 recorded outputs through equals + contains + regex + json_schema + length +
// must_not_contain, scorers built by ScorerFactory.make from YAML. Target: at least 100,000 trials/s on a 2-core
// machine. Measured on one task (one core).
//
// Not measured here: scoring on both cores. ordo-one's runner waits for an async benchmark by blocking one thread
// of Swift's cooperative pool (a DispatchSemaphore in Benchmark.runAsync()), which on a 2-core machine leaves the
// benchmark a single cooperative thread: two tasks then take as long as one. `assay-bench scoring --parallelism 2`
// measures it instead (see docs/benchmarks.md).
import Benchmark
import BenchmarkWorkloads
import Foundation
import Synchronization

/// The scorers and outputs, generated once (setup) and shared by the iterations.
private let workload = Mutex<ScoringWorkload?>(nil)

private let trialsPerSecond = BenchmarkMetric.custom("trials/s", polarity: .prefersLarger, useScalingFactor: false)
/// CPU time of every other process during the run: a figure is only meaningful when this is near zero.
private let otherCPU = BenchmarkMetric.custom("other processes CPU (ms)", polarity: .prefersSmaller, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    FakeServerProcess.runIfChild()

    Benchmark(
        "Scoring 100k outputs × 6 deterministic scorers, 1 task",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal, trialsPerSecond, otherCPU],
            timeUnits: .milliseconds,
            warmupIterations: 1,
            maxDuration: .seconds(60),
            maxIterations: 10
        ),
        closure: { benchmark in
            guard let current = workload.withLock({ $0 }) else { return benchmark.error("the workload was not set up") }
            let machineBefore = MachineCPU.now()
            let usageBefore = ResourceUsage.now()
            let clock = ContinuousClock()
            let start = clock.now
            benchmark.startMeasurement()
            let tally = await current.scoreAll(parallelism: 1)
            benchmark.stopMeasurement()
            let wall = seconds(clock.now - start)
            let others = MachineCPU.now().busySeconds - machineBefore.busySeconds - ResourceUsage.now().since(usageBefore).cpuSeconds
            benchmark.measurement(otherCPU, Int((max(0, others) * 1000).rounded()))
            blackHole(tally)
            guard tally.scores == current.trials.count * current.scorers.count else {
                return benchmark.error("scored \(tally.scores) instead of \(current.trials.count * current.scorers.count)")
            }
            benchmark.measurement(trialsPerSecond, Int((Double(current.trials.count) / wall).rounded()))
        },
        setup: {
            let made = try ScoringWorkload(count: 100_000)
            workload.withLock { $0 = made }
        },
        teardown: {
            workload.withLock { $0 = nil }
        }
    )
}
