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
        getrusage(RUSAGE_SELF, &usage)
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
