import Foundation

/// Progress of an import on stderr: a bar redrawn in place on a terminal, plain periodic lines
/// otherwise (logs, CI), and a summary at the end.
final class ImportProgress {
    private let interactive: Bool
    private let start = Date()
    private var lastReport = Date.distantPast
    private let interval: TimeInterval

    init(interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.interactive = interactive
        interval = interactive ? 0.1 : 5
    }

    func update(documents: Int, fraction: Double, force: Bool = false) {
        let now = Date()
        guard force || now.timeIntervalSince(lastReport) >= interval else { return }
        lastReport = now
        let elapsed = max(now.timeIntervalSince(start), 1e-3)
        let rate = Double(documents) / elapsed
        let fraction = min(max(fraction, 0), 1)
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        if interactive {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            FileHandle.standardError.write(Data(String(format: "\r[%@] %3.0f%% %@ docs  %@ docs/s  ETA %@ ",
                                                       bar, fraction * 100, Self.grouped(documents), Self.grouped(Int(rate)),
                                                       Self.clock(eta)).utf8))
        } else {
            printError(String(format: "import: %@ docs, %@ docs/s, %.0f%%, ETA %@",
                              Self.grouped(documents), Self.grouped(Int(rate)), fraction * 100, Self.clock(eta)))
        }
    }

    func finish(documents: Int, batches: Int, retries: Int) {
        if interactive {
            update(documents: documents, fraction: 1, force: true)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        let elapsed = max(Date().timeIntervalSince(start), 1e-3)
        printError(String(format: "import: done: %@ documents in %d batches, %.1f s, %@ docs/s, %d retries",
                          Self.grouped(documents), batches, elapsed, Self.grouped(Int(Double(documents) / elapsed)), retries))
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
    }
}
