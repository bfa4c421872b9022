// Orchestration: 10,000 trials through the real engine against a fake OpenAI-compatible server that answers after
// 50 ms, 64 in flight. Ideal wall time: 10,000 × 0.05 s / 64 = 7.8 s; target: within 10% of it.
//
// The fake server runs in a child process (this executable started again in server mode), so the engine's CPU time
// and memory below are the engine's alone; the server's CPU time is reported as a custom metric. Both processes
// share the machine's cores. Set ASSAY_BENCH_SERVER=in-process to run the server inside this process instead.
//
// Under ordo-one's runner the engine has one cooperative thread fewer than under `assay run` (the runner blocks one
// to wait for an async benchmark) and every malloc goes through the counting interposer; `assay-bench
// orchestration` measures the same workload without either (see docs/benchmarks.md).
import Benchmark
import BenchmarkWorkloads
import Foundation
import Synchronization

/// The workload, created once per benchmark (setup) and shared by its iterations.
private let workload = Mutex<OrchestrationWorkload?>(nil)

private enum Metrics {
    static let wallPerMilleOfIdeal = BenchmarkMetric.custom("wall vs ideal (‰)", polarity: .prefersSmaller, useScalingFactor: false)
    static let serverCPU = BenchmarkMetric.custom("fake server CPU (ms)", polarity: .prefersSmaller, useScalingFactor: false)
    static let trialsPerSecond = BenchmarkMetric.custom("trials/s", polarity: .prefersLarger, useScalingFactor: false)
    /// CPU time of every other process during the run: a figure is only meaningful when this is near zero.
    static let otherCPU = BenchmarkMetric.custom("other processes CPU (ms)", polarity: .prefersSmaller, useScalingFactor: false)
}

let benchmarks: @Sendable () -> Void = {
    FakeServerProcess.runIfChild()

    var configuration = OrchestrationWorkload.Configuration()
    configuration.serverInChildProcess = ProcessInfo.processInfo.environment["ASSAY_BENCH_SERVER"] != "in-process"
    let ideal = configuration.idealSeconds

    Benchmark(
        "Orchestration 10k trials, 50 ms server, concurrency 64",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .cpuUser, .cpuSystem, .peakMemoryResident, .mallocCountTotal, .contextSwitches, .threads,
                      Metrics.wallPerMilleOfIdeal, Metrics.serverCPU, Metrics.trialsPerSecond, Metrics.otherCPU],
            timeUnits: .milliseconds,
            warmupIterations: 1,
            maxDuration: .seconds(300),
            maxIterations: 5
        ),
        closure: { benchmark in
            guard let current = workload.withLock({ $0 }) else { return benchmark.error("the workload was not set up") }
            do {
                let prepared = try current.prepare(iteration: benchmark.currentIteration)
                let serverBefore = current.server.childCPUSeconds
                let machineBefore = MachineCPU.now()
                let usageBefore = ResourceUsage.now()
                let clock = ContinuousClock()
                let start = clock.now
                benchmark.startMeasurement()
                let run = try await current.execute(prepared)
                benchmark.stopMeasurement()
                let wall = seconds(clock.now - start)
                let engineCPU = ResourceUsage.now().since(usageBefore).cpuSeconds
                var serverCPU = 0.0
                if let before = serverBefore, let after = current.server.childCPUSeconds {
                    serverCPU = after - before
                    benchmark.measurement(Metrics.serverCPU, Int((serverCPU * 1000).rounded()))
                }
                let others = MachineCPU.now().busySeconds - machineBefore.busySeconds - engineCPU - serverCPU
                benchmark.measurement(Metrics.otherCPU, Int((max(0, others) * 1000).rounded()))
                benchmark.measurement(Metrics.wallPerMilleOfIdeal, Int((wall / ideal * 1000).rounded()))
                benchmark.measurement(Metrics.trialsPerSecond, Int((Double(configuration.trials) / wall).rounded()))
                try await current.finish(prepared, run: run)
            } catch {
                benchmark.error("orchestration run failed: \(error)")
            }
        },
        setup: {
            let made = try await OrchestrationWorkload.make(configuration)
            workload.withLock { $0 = made }
        },
        teardown: {
            let current = workload.withLock { value in
                defer { value = nil }
                return value
            }
            await current?.close()
        }
    )
}
