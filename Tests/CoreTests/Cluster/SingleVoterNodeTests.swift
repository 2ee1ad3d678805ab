import Core
import Foundation
import Testing

@Suite struct SingleVoterNodeTests {
    static func options() -> IndexWriterOptions {
        IndexWriterOptions(refreshInterval: nil, backgroundMerges: false)
    }

    func count(_ node: ClusterNode, _ index: String) throws -> Int {
        let open = try #require(node.stateMachine.index(named: index))
        try open.writer.refresh()
        return open.writer.snapshot().numDocs
    }

    /// Every acknowledged write survives power loss (the log is the write-ahead log): the
    /// indices never committed, yet reopening replays everything acknowledged.
    @Test(arguments: 0..<5)
    func acknowledgedWritesSurvivePowerLossWithoutACommit(seed: Int) async throws {
        let io = SimulatedFileIO(seed: UInt64(seed))
        let node = try ClusterNode(root: "/data", fileIO: io, registry: try builtinRegistry(), options: Self.options())
        let created = try await node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
        #expect(created.outcome == .applied)
        var indices: [UInt64] = [created.logIndex]
        for batch in 0..<10 {
            let ack = try await node.write(NodeStateMachineTests.put("books", (batch * 10 + 1)...(batch * 10 + 10)))
            #expect(ack.outcome == .applied)
            indices.append(ack.logIndex)
        }
        #expect(indices == indices.sorted() && Set(indices).count == indices.count)
        #expect(try count(node, "books") == 100)
        io.powerLoss()
        let reopened = try ClusterNode(root: "/data", fileIO: io, registry: try builtinRegistry(), options: Self.options())
        #expect(reopened.identity == node.identity, "the node keeps its id across restarts")
        #expect(try count(reopened, "books") == 100)
        #expect(await reopened.appliedIndex >= indices.last ?? 0)
    }

    @Test func concurrentWritesShareFsyncsAndAreAllApplied() async throws {
        let io = SimulatedFileIO(seed: 9)
        let node = try ClusterNode(root: "/data", fileIO: io, registry: try builtinRegistry(), options: Self.options())
        _ = try await node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
        let acks = try await withThrowingTaskGroup(of: ClusterNode.Acknowledgement.self) { group in
            for i in 1...50 {
                group.addTask { try await node.write(NodeStateMachineTests.put("books", i...i)) }
            }
            var all: [ClusterNode.Acknowledgement] = []
            for try await ack in group { all.append(ack) }
            return all
        }
        #expect(acks.count == 50 && acks.allSatisfy { $0.outcome == .applied })
        #expect(Set(acks.map(\.logIndex)).count == 50)
        #expect(try count(node, "books") == 50)
    }

    @Test func commandsWrongForTheStateAreAcknowledgedAsRejected() async throws {
        let io = SimulatedFileIO(seed: 10)
        let node = try ClusterNode(root: "/data", fileIO: io, registry: try builtinRegistry(), options: Self.options())
        let ack = try await node.write(NodeStateMachineTests.put("missing", 1...1))
        #expect(ack.outcome == .rejected("index 'missing' does not exist"))
    }

    @Test func aCleanRestartOnARealDiskReplaysNothingTwice() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cockatrice-node-\(getpid())").path
        try? LocalFileIO().removeTree(root)
        defer { try? LocalFileIO().removeTree(root) }
        let node = try ClusterNode(root: root, fileIO: LocalFileIO(), registry: try builtinRegistry(), options: Self.options())
        _ = try await node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
        _ = try await node.write(NodeStateMachineTests.put("books", 1...20))
        try await node.close()
        let reopened = try ClusterNode(root: root, fileIO: LocalFileIO(), registry: try builtinRegistry(), options: Self.options())
        #expect(try count(reopened, "books") == 20)
        _ = try await reopened.write(.deleteDocuments(index: "books", ids: ["1"]))
        #expect(try count(reopened, "books") == 19)
        try await reopened.close()
    }
}
