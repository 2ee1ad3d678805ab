import Foundation
import Synchronization
import Testing
@testable import Core

/// Every acknowledged write survives power loss while the background services run at full
/// speed: refreshes, commits by time and by size, and log compactions all happen under the
/// writes, then the disk freezes at an arbitrary instant (as a crashed process stops writing)
/// and power goes out.
@Suite struct NodeMaintenanceCrashTests {
    /// What the writers know: ids whose put was acknowledged and not deleted since, ids whose
    /// delete was acknowledged, and ids whose last write's outcome is unknown.
    struct Model {
        var live: Set<String> = []
        var deleted: Set<String> = []
        var inDoubt: Set<String> = []
    }

    final class Shared: Sendable {
        let model = Mutex(Model())
    }

    @Test(arguments: 0..<4)
    func acknowledgedWritesSurviveWhileCommitsAndCompactionsRun(seed: Int) async throws {
        let io = SimulatedFileIO(seed: UInt64(seed))
        let options = NodeMaintenanceTests.options {
            $0.refreshInterval = .milliseconds(2)
            $0.commitInterval = .milliseconds(15)
            $0.commitLogBytes = 3000
            $0.logCompactionMinEntries = 10
            $0.logCompactionMinTime = .zero
        }
        let node = try NodeMaintenanceTests.open(io, options)
        try await NodeMaintenanceTests.create(node)
        let maintenance = Task { await node.runMaintenance() }
        let shared = Shared()
        let writers = (0..<4).map { writer in
            Task {
                var rng = SplitMix64(seed: UInt64(seed * 10 + writer))
                for i in 0..<60 {
                    let id = "w\(writer)-\(i)"
                    var victim: String?
                    if i > 3 && rng.next() % 4 == 0 { victim = "w\(writer)-\(rng.next() % UInt64(i))" }
                    let command: NodeCommand = victim.map { .deleteDocuments(index: "books", ids: [$0]) }
                        ?? .putDocuments(index: "books", documents: [IdentifiedDocument(id: id, document: Document(fields: [
                            .init(name: "id", values: [.text(id)], storedJSON: Array("\"\(id)\"".utf8)),
                            .init(name: "body", values: [.text("hello \(i)")]),
                        ]))])
                    let target = victim ?? id
                    shared.model.withLock { $0.inDoubt.insert(target) }
                    do {
                        _ = try await node.write(command)
                    } catch {
                        return
                    }
                    shared.model.withLock { m in
                        m.inDoubt.remove(target)
                        if victim != nil {
                            if m.live.remove(target) != nil { m.deleted.insert(target) }
                        } else {
                            m.live.insert(target)
                            m.deleted.remove(target)
                        }
                    }
                }
            }
        }
        // Let the services work under the writes for a while, then freeze the disk.
        // Generous: when every suite runs at once on two cores, the maintenance loop's turns can
        // be seconds apart.
        #expect(await NodeMaintenanceTests.eventually(60) { await node.stats().compactions >= 1 && shared.model.withLock { $0.live.count } >= 20 + seed * 15 })
        io.failAfter(1)
        for writer in writers { await writer.value }
        maintenance.cancel()
        await maintenance.value
        io.powerLoss()

        let reopened = try NodeMaintenanceTests.open(io, options)
        let writer = try #require(reopened.stateMachine.index(named: "books")).writer
        let final = shared.model.withLock { $0 }
        for id in final.live.subtracting(final.inDoubt) {
            #expect(try writer.storedDocument(id: id) != nil, "acknowledged document \(id) is missing")
        }
        for id in final.deleted.subtracting(final.inDoubt).subtracting(final.live) {
            #expect(try writer.storedDocument(id: id) == nil, "acknowledged delete of \(id) was lost")
        }
        #expect(await reopened.firstLogIndex > 1, "the log was compacted")
        try await reopened.close()
    }
}
