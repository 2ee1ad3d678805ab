import Foundation
import Testing
@testable import Core

/// A real node process (`cockatrice-bench node-worker`) killed with SIGKILL in the middle of
/// acknowledged writes, several times over: after each kill the node reopens from its log, and
/// every document whose write was acknowledged is there. The indices never commit while the
/// worker runs, so everything comes back through the Raft log's replay.
@Suite(.serialized) struct NodeCrashProcessTests {
    @Test(.enabled(if: CrashProcessTests.worker != nil, "build cockatrice-bench (swift build) or set COCKATRICE_BENCH"))
    func everyAcknowledgedWriteSurvivesSIGKILL() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cockatrice-node-crash-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var acknowledged: [(pid: String, batch: Int)] = []
        var rng = SplitMix64(seed: 11)
        let worker = try #require(CrashProcessTests.worker)
        for _ in 0..<4 {
            let target = 2 + Int(rng.next() % 6)
            let acks = try await offPool { try Self.runAndKill(worker: worker, dir: dir, until: target) }
            acknowledged += acks.map { ($0.pid, $0.batch) }
            #expect(acks.count >= target, "the worker acknowledged \(acks.count) writes before the deadline")
        }
        let options = IndexWriterOptions(refreshInterval: nil, backgroundMerges: false)
        let node = try ClusterNode(root: dir, fileIO: LocalFileIO(), registry: try builtinRegistry(), options: options)
        let index = try #require(node.stateMachine.index(named: "docs"))
        try index.writer.refresh()
        let snapshot = index.writer.snapshot()
        for (pid, batch) in acknowledged {
            for k in [0, 24] {
                let id = "w\(pid)-\(batch)-\(k)"
                #expect(try snapshot.docFreq(field: "id", term: Array(id.utf8)) == 1, "acknowledged document \(id) is missing")
            }
        }
        #expect(snapshot.numDocs >= acknowledged.count * 25)
        try await node.close()
    }

    struct Ack: Sendable {
        var pid: String
        var batch: Int
    }

    /// Runs the node worker until it acknowledged `target` writes (or a minute passed, or it
    /// died), then SIGKILLs it; returns what it acknowledged.
    static func runAndKill(worker: String, dir: String, until target: Int) throws -> [Ack] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: worker)
        process.arguments = ["node-worker", "--dir", dir]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var acks: [Ack] = []
        var buffer = Data()
        let deadline = Date().addingTimeInterval(60)
        while acks.count < target && Date() < deadline && process.isRunning {
            buffer.append(pipe.fileHandleForReading.availableData)
            while let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                let parts = line.split(separator: " ")
                if parts.count == 3, parts[0] == "ack", let batch = Int(parts[2]) {
                    acks.append(Ack(pid: String(parts[1]), batch: batch))
                }
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return acks
    }
}
