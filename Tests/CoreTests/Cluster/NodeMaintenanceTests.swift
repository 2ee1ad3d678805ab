import Foundation
import Testing
@testable import Core

/// The node's background services: `sync` waits, the refresh ticker, the commit schedule (by
/// time and by log size), log compaction and the final commit at shutdown.
@Suite struct NodeMaintenanceTests {
    /// Options whose schedules never fire unless a test shortens them.
    static func options(_ change: (inout NodeOptions) -> Void = { _ in }) -> NodeOptions {
        var options = NodeOptions()
        options.refreshInterval = .seconds(3600)
        options.commitInterval = .seconds(3600)
        options.logCompactionMinTime = .seconds(3600)
        options.writer = IndexWriterOptions(refreshInterval: nil, backgroundMerges: false)
        change(&options)
        return options
    }

    static func open(_ io: SimulatedFileIO, _ options: NodeOptions = options()) throws -> ClusterNode {
        try ClusterNode(root: "/data", fileIO: io, registry: try builtinRegistry(), options: options)
    }

    /// Live documents searchers see now, without refreshing.
    static func searchable(_ node: ClusterNode, _ index: String = "books") throws -> Int {
        try #require(node.stateMachine.index(named: index)).writer.snapshot().numDocs
    }

    /// Polls `condition` until it holds or `seconds` pass.
    static func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return try await condition()
    }

    static func create(_ node: ClusterNode) async throws {
        _ = try await node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
    }

    @Test func aSyncWaiterSeesItsDocumentInANewSearcher() async throws {
        let node = try Self.open(SimulatedFileIO(seed: 1))
        try await Self.create(node)
        let ack = try await node.write(NodeStateMachineTests.put("books", 1...5))
        #expect(try Self.searchable(node) == 0, "nothing refreshed yet")
        try await node.waitUntilSearchable(ack.logIndex)
        #expect(try Self.searchable(node) == 5)
        // Already covered: no new refresh.
        let refreshes = await node.stats().refreshes
        try await node.waitUntilSearchable(ack.logIndex)
        #expect(await node.stats().refreshes == refreshes)
    }

    @Test func concurrentSyncWaitersShareOneRefresh() async throws {
        let node = try Self.open(SimulatedFileIO(seed: 2))
        try await Self.create(node)
        let acks = try await withThrowingTaskGroup(of: ClusterNode.Acknowledgement.self) { group in
            for i in 1...40 { group.addTask { try await node.write(NodeStateMachineTests.put("books", i...i)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let before = await node.stats().refreshes
        try await withThrowingTaskGroup(of: Void.self) { group in
            for ack in acks { group.addTask { try await node.waitUntilSearchable(ack.logIndex) } }
            try await group.waitForAll()
        }
        #expect(await node.stats().refreshes - before == 1, "40 waiters, one refresh")
        #expect(try Self.searchable(node) == 40)
    }

    @Test func writesAndSyncWaitsInterleavedAllSeeTheirDocuments() async throws {
        let node = try Self.open(SimulatedFileIO(seed: 3))
        try await Self.create(node)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 1...30 {
                group.addTask {
                    let ack = try await node.write(NodeStateMachineTests.put("books", i...i))
                    try await node.waitUntilSearchable(ack.logIndex)
                    let snapshot = try #require(node.stateMachine.index(named: "books")).writer.snapshot()
                    #expect(try snapshot.docFreq(field: "id", term: Array("\(i)".utf8)) == 1, "document \(i) is searchable after its sync wait")
                }
            }
            try await group.waitForAll()
        }
        #expect(await node.stats().refreshes <= 30)
    }

    @Test func aBatchOfCommandsIsAcknowledgedInOrderAfterOneFsync() async throws {
        let node = try Self.open(SimulatedFileIO(seed: 4))
        try await Self.create(node)
        let commands = NodeCommand.putBatches(index: "books", documents: (1...30).map { i in
            IdentifiedDocument(id: "\(i)", document: Document(fields: [
                .init(name: "id", values: [.text("\(i)")], storedJSON: Array("\"\(i)\"".utf8)),
                .init(name: "body", values: [.text(String(repeating: "word ", count: 40))]),
            ]))
        }, maxBytes: 1000)
        #expect(commands.count > 3)
        let beforeOne = await node.logSyncCount
        _ = try await node.write(.deleteDocuments(index: "books", ids: ["none"]))
        let syncsPerWrite = await node.logSyncCount - beforeOne
        let syncsBefore = await node.logSyncCount
        let acks = try await node.write(commands + [.deleteDocuments(index: "missing", ids: ["1"])])
        #expect(await node.logSyncCount - syncsBefore == syncsPerWrite, "the whole batch costs what one write does")
        #expect(acks.count == commands.count + 1)
        #expect(acks.map(\.logIndex) == Array(acks[0].logIndex..<(acks[0].logIndex + UInt64(acks.count))))
        #expect(acks.dropLast().allSatisfy { $0.outcome == .applied })
        #expect(acks.last?.outcome == .rejected("index 'missing' does not exist"))
        #expect(try await node.write([]).isEmpty)
    }

    @Test func waitForAppliedAnswersAtOnceWhenAppliedAndFalseAfterItsTimeout() async throws {
        let node = try Self.open(SimulatedFileIO(seed: 5))
        let applied = await node.appliedIndex
        #expect(await node.waitForApplied(applied, timeout: .milliseconds(1)))
        let start = ContinuousClock.now
        #expect(await node.waitForApplied(applied + 1, timeout: .milliseconds(50)) == false)
        #expect(ContinuousClock.now - start >= .milliseconds(50))
        async let waited = node.waitForApplied(applied + 1, timeout: .seconds(30))
        try await Task.sleep(for: .milliseconds(20))
        try await Self.create(node)
        #expect(await waited, "a later write applies the index the waiter asked for")
    }

    @Test func theRefreshTickerPublishesWithoutAnyoneAsking() async throws {
        let node = try Self.open(SimulatedFileIO(seed: 6), Self.options { $0.refreshInterval = .milliseconds(10) })
        let maintenance = Task { await node.runMaintenance() }
        defer { maintenance.cancel() }
        try await Self.create(node)
        _ = try await node.write(NodeStateMachineTests.put("books", 1...7))
        #expect(try await Self.eventually { try Self.searchable(node) == 7 })
        maintenance.cancel()
        await maintenance.value
    }

    @Test func aCommitFollowsOnceEnoughLogWasWrittenAndNotBefore() async throws {
        // The time schedule never fires here: only the size can trigger the commit.
        let bySize = try Self.open(SimulatedFileIO(seed: 7), Self.options { $0.refreshInterval = .milliseconds(5); $0.commitLogBytes = 2000 })
        let small = try Self.open(SimulatedFileIO(seed: 8), Self.options { $0.refreshInterval = .milliseconds(5); $0.commitLogBytes = 1 << 30 })
        for node in [bySize, small] {
            let maintenance = Task { await node.runMaintenance() }
            try await Self.create(node)
            let ack = try await node.write(NodeStateMachineTests.put("books", 1...100))
            let index = try #require(node.stateMachine.index(named: "books"))
            let committed = await Self.eventually(node === bySize ? 10 : 0.3) { index.writer.lastCommit.lastAppliedLogIndex >= ack.logIndex }
            #expect(committed == (node === bySize))
            let commits = await node.stats().commits
            #expect(node === bySize ? commits >= 1 : commits == 0)
            maintenance.cancel()
            await maintenance.value
        }
    }

    @Test func theTimeScheduleCommitsAndCancellingCommitsOnceMore() async throws {
        let io = SimulatedFileIO(seed: 9)
        let node = try Self.open(io, Self.options { $0.refreshInterval = .milliseconds(5); $0.commitInterval = .milliseconds(20) })
        let maintenance = Task { await node.runMaintenance() }
        try await Self.create(node)
        let first = try await node.write(NodeStateMachineTests.put("books", 1...3))
        let index = try #require(node.stateMachine.index(named: "books"))
        #expect(await Self.eventually { index.writer.lastCommit.lastAppliedLogIndex >= first.logIndex })
        let last = try await node.write(NodeStateMachineTests.put("books", 4...6))
        maintenance.cancel()
        await maintenance.value
        #expect(index.writer.lastCommit.lastAppliedLogIndex >= last.logIndex, "the final commit holds every applied write")
    }

    @Test func compactionWaitsForBothThresholdsAndNeverPassesTheCommitPoints() async throws {
        let io = SimulatedFileIO(seed: 10)
        var options = Self.options { $0.logCompactionMinEntries = 20; $0.logCompactionMinTime = .zero }
        let node = try Self.open(io, options)
        try await Self.create(node)
        for i in 1...5 { _ = try await node.write(NodeStateMachineTests.put("books", i...i)) }
        #expect(await node.compactLogIfDue() == nil, "fewer entries than the minimum")
        for i in 6...30 { _ = try await node.write(NodeStateMachineTests.put("books", i...i)) }
        let applied = await node.appliedIndex
        // Nothing was committed since the index was created: compaction stops at its commit.
        let durable = node.stateMachine.durableIndex
        #expect(durable < applied)
        #expect(await node.compactLogIfDue() == durable)
        #expect(await node.firstLogIndex == durable + 1)
        // Nothing to compact until a commit moves the commit points.
        for i in 31...55 { _ = try await node.write(NodeStateMachineTests.put("books", i...i)) }
        #expect(await node.compactLogIfDue() == nil)
        try await node.commit()
        let committed = await node.appliedIndex
        #expect(await node.compactLogIfDue() == committed)
        #expect(await node.firstLogIndex == committed + 1)
        #expect(await node.stats().compactions == 2)
        let snapshot = try NodeSnapshotManifest.decode(await node.raftSnapshotData)
        #expect(snapshot.logIndex == committed && snapshot.indices.map(\.name) == ["books"])
        #expect(snapshot.clusterID == node.identity.clusterID)

        // Writes after the compaction are only in the log; a power loss replays them on top of
        // the commit points.
        for i in 56...60 { _ = try await node.write(NodeStateMachineTests.put("books", i...i)) }
        io.powerLoss()
        let reopened = try Self.open(io, options)
        #expect(try Self.searchable(reopened) == 60)
        #expect(await reopened.firstLogIndex == committed + 1)
        _ = try await reopened.write(.deleteDocuments(index: "books", ids: ["1"]))
        try await reopened.close()
        io.powerLoss()
        let third = try Self.open(io, options)
        #expect(try Self.searchable(third) == 59)
        try await third.close()

        // The time threshold holds compaction back even past the entries threshold.
        options.logCompactionMinTime = .seconds(3600)
        let patient = try Self.open(io, options)
        for i in 61...90 { _ = try await patient.write(NodeStateMachineTests.put("books", i...i)) }
        try await patient.commit()
        #expect(await patient.compactLogIfDue() == nil)
    }

    @Test func optimizeFailuresAreCountedNotSwallowed() async throws {
        let io = SimulatedFileIO(seed: 11)
        let node = try Self.open(io)
        try await Self.create(node)
        for batch in 0..<3 {
            let ack = try await node.write(NodeStateMachineTests.put("books", (batch * 5 + 1)...(batch * 5 + 5)))
            try await node.waitUntilSearchable(ack.logIndex)
        }
        #expect(try Self.searchable(node) == 15)
        io.inject(.init(operation: .write, pathContains: "/data/b1/", once: false))
        let ack = try await node.write(.optimize(index: "books", maxSegments: 1))
        #expect(ack.outcome == .applied, "optimize only schedules the merge")
        #expect(await Self.eventually { await node.stats().optimizeFailures == 1 })
        #expect(node.stateMachine.optimizeFailures.last?.contains("books") == true)
        #expect(try Self.searchable(node) == 15)
    }

    @Test func optimizeMergesInTheBackground() async throws {
        let node = try Self.open(SimulatedFileIO(seed: 12))
        try await Self.create(node)
        for batch in 0..<3 {
            let ack = try await node.write(NodeStateMachineTests.put("books", (batch * 5 + 1)...(batch * 5 + 5)))
            try await node.waitUntilSearchable(ack.logIndex)
        }
        #expect(await node.stats().indices.first?.segments == 3)
        _ = try await node.write(.optimize(index: "books", maxSegments: 1))
        #expect(await Self.eventually { await node.stats().indices.first?.segments == 1 })
        let stats = await node.stats().indices.first
        #expect(stats?.documents == 15 && stats?.mergesCompleted ?? 0 >= 1)
    }
}
