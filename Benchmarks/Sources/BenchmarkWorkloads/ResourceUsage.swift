import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This process's CPU time and peak resident memory, from `getrusage(RUSAGE_SELF)`.
public struct ResourceUsage: Sendable {
    /// User CPU seconds.
    public var userSeconds: Double
    /// System CPU seconds.
    public var systemSeconds: Double
    /// Peak resident set size in bytes (`ru_maxrss`, a high-water mark over the process's life).
    public var maxRSSBytes: Int

    /// User plus system CPU seconds.
    public var cpuSeconds: Double { userSeconds + systemSeconds }

    /// The current usage.
    public static func now() -> ResourceUsage {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        #if os(Linux)
        let maxRSS = Int(usage.ru_maxrss) * 1024 // kilobytes on Linux
        #else
        let maxRSS = Int(usage.ru_maxrss) // bytes on Darwin
        #endif
        return ResourceUsage(userSeconds: seconds(usage.ru_utime), systemSeconds: seconds(usage.ru_stime), maxRSSBytes: maxRSS)
    }

    /// The CPU time spent since `earlier` (the peak memory is this one's).
    public func since(_ earlier: ResourceUsage) -> ResourceUsage {
        ResourceUsage(userSeconds: userSeconds - earlier.userSeconds, systemSeconds: systemSeconds - earlier.systemSeconds, maxRSSBytes: maxRSSBytes)
    }
}

/// Seconds in a `Duration`.
public func seconds(_ duration: Duration) -> Double {
    let (whole, fraction) = duration.components
    return Double(whole) + Double(fraction) / 1e18
}

/// The median of some values (the mean of the middle two for an even count).
public func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// CPU time spent by the whole machine (every process), from the first line of `/proc/stat`: to tell how much of a
/// run's wall time other processes took (a build on the same cores makes a benchmark meaningless).
public struct MachineCPU: Sendable {
    /// Busy CPU seconds summed over all cores since boot (user, nice, system, irq, softirq, steal).
    public var busySeconds: Double

    /// The current totals; zero where `/proc/stat` is missing.
    public static func now() -> MachineCPU {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let first = stat.split(separator: "\n").first else { return MachineCPU(busySeconds: 0) }
        let fields = first.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return MachineCPU(busySeconds: 0) }
        // user nice system idle iowait irq softirq steal
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return MachineCPU(busySeconds: busy / Double(sysconf(Int32(_SC_CLK_TCK))))
    }
}
