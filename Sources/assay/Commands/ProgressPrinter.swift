import AssayCore
import AssayEngine
import Foundation

/// Shows run progress on stderr: a redrawn bar on a terminal, plain lines otherwise (CI logs).
actor ProgressPrinter: RunObserver {
    private let isTTY: Bool
    private let label: String
    private var lastLine = ContinuousClock.now
    private var lastPlainDone = -1

    init(label: String) {
        self.label = label
        self.isTTY = isatty(STDERR_FILENO) == 1
    }

    func handle(_ event: RunEvent) async {
        switch event {
        case .started(let run, let remaining, let progress):
            let resumed = progress.done > 0 ? ", \(progress.done) already done" : ""
            write("\(label): run \(run.id): \(remaining) trial\(remaining == 1 ? "" : "s") to go\(resumed)\n")
        case .trialFinished(_, let progress):
            if isTTY {
                let now = ContinuousClock.now
                if now - lastLine > .milliseconds(100) || progress.done == progress.total {
                    lastLine = now
                    write("\r\u{1B}[2K" + Self.line(progress, bar: true))
                }
            } else {
                let now = ContinuousClock.now
                let step = max(1, progress.total / 10)
                if progress.done == progress.total || progress.done / step != lastPlainDone / step || now - lastLine > .seconds(10) {
                    lastLine = now
                    lastPlainDone = progress.done
                    write(Self.line(progress, bar: false) + "\n")
                }
            }
        case .finished(_, let progress):
            if isTTY { write("\r\u{1B}[2K" + Self.line(progress, bar: true) + "\n") }
        }
    }

    static func line(_ p: ProgressSnapshot, bar: Bool) -> String {
        var parts: [String] = []
        if bar {
            let width = 24
            let filled = p.total > 0 ? min(width, p.done * width / p.total) : width
            parts.append("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]")
        }
        parts.append("\(p.done)/\(p.total)")
        parts.append(String(format: "%.1f/s", p.rate))
        if let eta = p.eta, p.done < p.total { parts.append("ETA \(Self.duration(eta))") }
        parts.append("errors \(p.errors)")
        if p.cached > 0 { parts.append("cached \(p.cached)") }
        parts.append("tokens \(p.tokens)")
        parts.append(String(format: "$%.4f", p.cost))
        return parts.joined(separator: "  ")
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
