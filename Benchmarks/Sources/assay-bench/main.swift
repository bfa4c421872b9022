// assay-bench: the benchmark workloads as a plain release executable, without ordo-one's runner, for profilers
// (`perf record`, `valgrind --tool=callgrind`) and quick checks. Reports wall time, CPU time (getrusage) and peak
// resident memory (ru_maxrss) per iteration, then the medians.
//
//   swift run -c release assay-bench orchestration [--iterations 5] [--in-process] [--trials 10000] [--latency-ms 50] [--no-read-back]
//   swift run -c release assay-bench scoring [--iterations 5] [--parallelism 1] [--count 100000]
import BenchmarkWorkloads
import Foundation

FakeServerProcess.runIfChild()

func option(_ name: String, default value: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let parsed = Int(arguments[index + 1]) else {
        return value
    }
    return parsed
}

func format(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }
func megabytes(_ bytes: Int) -> String { format(Double(bytes) / 1_048_576, 1) + " MiB" }

func machine() -> String {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?
        .trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
    return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(model)"
}

func orchestration() async throws {
    var configuration = OrchestrationWorkload.Configuration()
    configuration.trials = option("--trials", default: configuration.trials)
    configuration.concurrency = option("--concurrency", default: configuration.concurrency)
    configuration.latency = .milliseconds(option("--latency-ms", default: 50))
    configuration.serverInChildProcess = !CommandLine.arguments.contains("--in-process")
    let iterations = option("--iterations", default: 5)
    let workload = try await OrchestrationWorkload.make(configuration)
    print("orchestration: \(configuration.trials) trials, concurrency \(configuration.concurrency), server latency \(configuration.latency), "
        + "server in \(workload.server.placementDescription); ideal \(format(configuration.idealSeconds)) s; \(machine())")
    var walls: [Double] = [], cpus: [Double] = [], serverCPUs: [Double] = []
    for iteration in 0..<iterations {
        let prepared = try workload.prepare(iteration: iteration, readBack: CommandLine.arguments.contains("--no-read-back") ? false : nil)
        let serverBefore = workload.server.childCPUSeconds
        let machineBefore = MachineCPU.now()
        let before = ResourceUsage.now()
        let clock = ContinuousClock()
        let start = clock.now
        let run = try await workload.execute(prepared)
        let wall = seconds(clock.now - start)
        let usage = ResourceUsage.now().since(before)
        let serverCPU = zip(workload.server.childCPUSeconds.map { [$0] } ?? [], serverBefore.map { [$0] } ?? []).map { $0 - $1 }.first
        let others = MachineCPU.now().busySeconds - machineBefore.busySeconds - usage.cpuSeconds - (serverCPU ?? 0)
        let outcome = try await workload.finish(prepared, run: run)
        walls.append(wall)
        cpus.append(usage.cpuSeconds)
        if let serverCPU { serverCPUs.append(serverCPU) }
        print("  #\(iteration + 1): wall \(format(wall)) s (\(format(wall / configuration.idealSeconds, 3))× ideal), "
            + "engine CPU \(format(usage.cpuSeconds)) s (user \(format(usage.userSeconds)), sys \(format(usage.systemSeconds))), "
            + (serverCPU.map { "server CPU \(format($0)) s, " } ?? "")
            + "peak RSS \(megabytes(usage.maxRSSBytes)); other processes' CPU \(format(max(0, others), 1)) s"
            + (outcome.latency.map { "; target latency mean \(format($0.mean * 1000, 1)) ms, p99 \(format($0.p99 * 1000, 1)) ms" } ?? ""))
    }
    let wall = median(walls)
    print("median: wall \(format(wall)) s = \(format(wall / configuration.idealSeconds))× ideal (\(format(configuration.idealSeconds)) s), "
        + "engine CPU \(format(median(cpus))) s"
        + (serverCPUs.isEmpty ? "" : ", server CPU \(format(median(serverCPUs))) s")
        + ", engine peak RSS \(megabytes(ResourceUsage.now().maxRSSBytes))"
        + (workload.server.childPeakRSSBytes.map { ", server peak RSS \(megabytes($0))" } ?? ""))
    await workload.close()
}

func scoring() async throws {
    let count = option("--count", default: 100_000)
    let parallelism = option("--parallelism", default: 1)
    let iterations = option("--iterations", default: 5)
    let workload = try ScoringWorkload(count: count)
    let afterGeneration = ResourceUsage.now().maxRSSBytes
    print("scoring: \(count) recorded outputs × \(workload.scorers.count) scorers (\(workload.scorers.map(\.name).joined(separator: ", "))), "
        + "parallelism \(parallelism); \(machine()); peak RSS after generating the outputs \(megabytes(afterGeneration))")
    var rates: [Double] = []
    for iteration in 0..<iterations {
        let machineBefore = MachineCPU.now()
        let before = ResourceUsage.now()
        let clock = ContinuousClock()
        let start = clock.now
        let tally = await workload.scoreAll(parallelism: parallelism)
        let wall = seconds(clock.now - start)
        let usage = ResourceUsage.now().since(before)
        let rate = Double(count) / wall
        let others = MachineCPU.now().busySeconds - machineBefore.busySeconds - usage.cpuSeconds
        rates.append(rate)
        print("  #\(iteration + 1): \(format(wall)) s, \(Int(rate)) trials/s (\(Int(Double(tally.scores) / wall)) scores/s), "
            + "CPU \(format(usage.cpuSeconds)) s, peak RSS \(megabytes(usage.maxRSSBytes)); passes \(tally.passes); other processes' CPU \(format(max(0, others), 1)) s")
    }
    print("median: \(Int(median(rates))) trials/s, peak RSS \(megabytes(ResourceUsage.now().maxRSSBytes))")
}

do {
    switch CommandLine.arguments.dropFirst().first {
    case "orchestration": try await orchestration()
    case "scoring": try await scoring()
    default:
        print("usage: assay-bench orchestration [--iterations N] [--trials N] [--concurrency N] [--latency-ms N] [--in-process] [--no-read-back]")
        print("       assay-bench scoring [--iterations N] [--count N] [--parallelism N]")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("assay-bench: \(error)\n".utf8))
    exit(1)
}
