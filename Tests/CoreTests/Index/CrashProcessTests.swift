import Foundation
import Testing
@testable import Core

/// Real processes killed with SIGKILL during flushes, commits and merges (`cockatrice-bench
/// index --crash-worker`), then the index reopened: it must open and hold exactly the batches
/// up to its commit point, which is at least the last one the worker reported committed.
/// SIGKILL leaves the page cache intact, so this tests the file protocol (atomic rename,
/// cleanup of leftovers), not fsync ordering: PowerLossTests does that.
@Suite struct CrashProcessTests {
    /// The worker binary: $COCKATRICE_BENCH, or the `cockatrice-bench` that `swift test` built
    /// beside this test bundle (same build directory, so never a stale one).
    static let worker: String? = {
        if let path = ProcessInfo.processInfo.environment["COCKATRICE_BENCH"] { return path }
        guard let bundle = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let path = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("cockatrice-bench").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    @Test(.enabled(if: worker != nil, "build cockatrice-bench (swift build) or set COCKATRICE_BENCH"))
    func killedDuringFlushCommitAndMergeReopensAtTheLastCommit() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cockatrice-crash-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SplitMix64(seed: 5)
        var previous = 0
        let worker = try #require(Self.worker)
        for round in 0..<6 {
            let target = previous + 3 + Int(rng.next() % 5)
            let pause = UInt32(rng.next() % 40_000)
            let reported = try await offPool { try Self.runAndKill(worker: worker, dir: dir, until: target, pause: pause) }
            #expect(reported > 0, "round \(round): the worker committed nothing")

            let writer = try IndexWriter.open(directory: IndexDirectory(fileIO: LocalFileIO(), path: dir), config: TestIndex.config(),
                                              codec: IdentityCodec(), codecs: CodecResolver(codecs: [IdentityCodec(name: "none")]),
                                              options: TestIndex.options())
            let last = Int(writer.lastCommit.lastAppliedLogIndex)
            #expect(last >= reported, "round \(round): commit \(last) is older than the reported \(reported)")
            #expect(last > previous + 2, "round \(round): the restarted worker continued from \(previous) to \(last)")
            previous = last
            var expected = Set<String>()
            for batch in 1...max(last, 1) where last > 0 { for k in 0..<40 { expected.insert("b\(batch)-\(k)") } }
            #expect(try TestIndex.liveIds(writer.snapshot()) == expected, "round \(round)")
            writer.close()
        }
    }

    /// Runs the crash worker until it reported `target` committed batches (or a minute passed),
    /// then SIGKILLs it `pause` microseconds later; returns the last batch it reported.
    static func runAndKill(worker: String, dir: String, until target: Int, pause: UInt32) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: worker)
        process.arguments = ["index", "--crash-worker", "--index-dir", dir]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Let it commit a few batches, then kill it at a random instant.
        var reported = 0
        var buffer = Data()
        let deadline = Date().addingTimeInterval(60)
        while reported < target && Date() < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") where line.hasPrefix("committed ") {
                reported = max(reported, Int(line.dropFirst(10)) ?? 0)
            }
        }
        usleep(pause)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        for line in String(decoding: buffer + pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("committed ") {
            reported = max(reported, Int(line.dropFirst(10)) ?? 0)
        }
        return reported
    }
}
