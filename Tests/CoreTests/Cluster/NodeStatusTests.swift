import Foundation
import Testing
@testable import Core

/// What a node reports: the PySyncObj status keys, the `/metrics` numbers, index descriptions,
/// readiness; and the index lifecycle around them (delete removes files, close commits).
@Suite struct NodeStatusTests {
    static func open(_ io: SimulatedFileIO) throws -> ClusterNode {
        try NodeMaintenanceTests.open(io)
    }

    @Test func theStatusHasThePySyncObjKeysInOrder() async throws {
        let node = try Self.open(SimulatedFileIO(seed: 1))
        try await NodeMaintenanceTests.create(node)
        let status = await node.status(advertisedAddress: "127.0.0.1:7070")
        #expect(status.map(\.key) == [
            "version", "revision", "self", "state", "leader", "partner_nodes_count", "readonly_nodes_count",
            "unknown_connections_count", "log_len", "last_applied", "commit_idx", "raft_term", "next_node_idx_count",
            "match_idx_count", "leader_commit_idx", "uptime", "self_code_version", "enabled_code_version",
            "node_id", "cluster_id",
        ])
        let values = Dictionary(uniqueKeysWithValues: status.map { ($0.key, $0.value) })
        #expect(values["self"] == .string("127.0.0.1:7070") && values["leader"] == .string("127.0.0.1:7070"))
        #expect(values["state"] == .number("2"))
        let applied = await node.appliedIndex
        #expect(values["last_applied"] == .number(String(applied)) && values["commit_idx"] == .number(String(applied)))
        #expect(values["log_len"] == .number(String(applied)), "nothing compacted: the log holds every entry")
        #expect(values["partner_nodes_count"] == .number("0"))
        #expect(JSONValue.object(status).jsonText.hasPrefix("{\"version\":\"\(CockatriceVersion.string)\""))
    }

    @Test func statsAndDescriptionsCountWhatSearchersSee() async throws {
        let node = try Self.open(SimulatedFileIO(seed: 2))
        try await NodeMaintenanceTests.create(node)
        _ = try await node.write(NodeStateMachineTests.put("books", 1...10))
        var ack = try await node.write(.deleteDocuments(index: "books", ids: ["2", "3"]))
        try await node.waitUntilSearchable(ack.logIndex)
        ack = try await node.write(NodeStateMachineTests.put("books", 11...12))
        try await node.waitUntilSearchable(ack.logIndex)
        let stats = await node.stats()
        #expect(stats.appliedIndex == ack.logIndex && stats.commitIndex == ack.logIndex)
        #expect(stats.term >= 1 && stats.leaderChanges == 1)
        #expect(stats.logLength == Int(ack.logIndex))
        let books = try #require(stats.indices.first)
        #expect(stats.indices.count == 1 && books.name == "books")
        #expect(books.documents == 10 && books.deletedDocuments == 2 && books.segments == 2 && books.mergesRunning == 0)

        try await node.commit()
        let description = try #require(node.describe(index: "books"))
        #expect(node.describe(index: "missing") == nil)
        #expect(description.docCount == 10 && description.docCountAll == 12)
        #expect(description.segments.map(\.docCount) == [8, 2] && description.segments.map(\.deleted) == [2, 0])
        #expect(description.segments.allSatisfy { $0.bytes > 0 })
        let commit = try #require(node.stateMachine.index(named: "books")).writer.lastCommit
        #expect(description.latestGeneration == commit.generation)
        #expect(description.folder == "/data/b1")
        #expect(Set(commit.files).isSubset(of: description.files))
        #expect(abs(description.lastModified - Date().timeIntervalSince1970) < 60)
        guard case .object(let members) = description.json() else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["name", "doc_count", "doc_count_all", "last_modified", "latest_generation", "storage", "segments"])
        #expect(description.json().jsonText.contains("\"doc_count\":10,\"doc_count_all\":12"))
    }

    @Test func aLocalApplyFailureMakesTheNodeUnreadyForGood() async throws {
        let io = SimulatedFileIO(seed: 3)
        let node = try Self.open(io)
        #expect(node.isReady)
        try await NodeMaintenanceTests.create(node)
        io.inject(.init(operation: .sync, pathContains: "/_node/raft/", once: false))
        await #expect(throws: NodeError.self) { try await node.write(NodeStateMachineTests.put("books", 1...1)) }
        #expect(!node.isReady)
        await #expect(throws: NodeError.self) { try await node.write(NodeStateMachineTests.put("books", 2...2)) }
        #expect(await node.waitForApplied(1000, timeout: .seconds(10)) == false)
        #expect(!node.isReady)
    }

    @Test func deletingAnIndexDeletesItsFiles() async throws {
        let io = SimulatedFileIO(seed: 4)
        let node = try Self.open(io)
        try await NodeMaintenanceTests.create(node)
        let ack = try await node.write(NodeStateMachineTests.put("books", 1...3))
        try await node.waitUntilSearchable(ack.logIndex)
        try await node.commit()
        #expect(try io.listDirectory("/data/b1").count > 1)
        let deleted = try await node.write(.deleteIndex(name: "books"))
        #expect(deleted.outcome == .applied)
        #expect(!io.exists("/data/b1"))
        #expect(node.describe(index: "books") == nil)
        // A refresh and a commit after the delete do not trip over the closed writer.
        try await node.waitUntilSearchable(deleted.logIndex)
        try await node.commit()
    }

    @Test func closeCommitsEveryIndex() async throws {
        let io = SimulatedFileIO(seed: 5)
        let node = try Self.open(io)
        try await NodeMaintenanceTests.create(node)
        let ack = try await node.write(NodeStateMachineTests.put("books", 1...3))
        let writer = try #require(node.stateMachine.index(named: "books")).writer
        #expect(writer.lastCommit.lastAppliedLogIndex < ack.logIndex)
        try await node.close()
        #expect(writer.lastCommit.lastAppliedLogIndex >= ack.logIndex)
        io.powerLoss()
        let reopened = try Self.open(io)
        #expect(try NodeMaintenanceTests.searchable(reopened) == 3)
    }
}
