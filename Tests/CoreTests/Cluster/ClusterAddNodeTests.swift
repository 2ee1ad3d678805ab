import Testing
@testable import Core

/// `PUT /cluster/<node>` / `cockatrice join`: the leader asks the node who it is, adds a node
/// that waits to be added, and refuses a node of another cluster.
@Suite(.serialized) struct ClusterAddNodeTests {
    @Test func aWaitingNodeIsAddedAndANodeOfAnotherClusterIsRefused() async throws {
        let hub = MemoryPeerHub()
        let io = SimulatedFileIO(seed: 21)
        let a = try await ClusterNodeTests.start("a:1", seed: nil, hub: hub, io: io)
        let b = try await ClusterNodeTests.start("b:1", seed: "a:1", hub: hub, io: io)
        // Its seed names no member: it waits, asking in vain.
        let waiting = try await ClusterNodeTests.start("w:1", seed: "nowhere:1", hub: hub, io: io)
        // A node started without a seed founds a cluster of its own.
        let other = try await ClusterNodeTests.start("o:1", seed: nil, hub: hub, io: io)
        let all = [a, b, waiting, other]
        defer { Task { for m in all { await m.stop() } } }
        let formed = await NodeMaintenanceTests.eventually(60) { await a.node.votersCount == 2 && b.node.isReady }
        try #require(formed)
        _ = try await a.node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
        _ = try await a.node.write(NodeStateMachineTests.put("books", 1...10))
        #expect(await waiting.node.notReadyReason == "waiting to be added to the cluster")

        // Asked of either member (a follower forwards to the leader).
        let follower = await a.node.isLeader ? b : a
        let answer = try await follower.node.handle(method: PeerMethod.join, body: Array("w:1".utf8), from: "admin")
        #expect(String(decoding: answer, as: UTF8.self).contains("\"joined\": true"))
        #expect(await waiting.node.identity.clusterID == a.node.identity.clusterID)
        let caughtUp = try await NodeMaintenanceTests.eventually(30) {
            let voters = await a.node.votersCount
            return try ClusterNodeTests.stored(waiting, "10") && voters == 3
        }
        #expect(caughtUp, "the added node catches up and is promoted")
        // Asking again is harmless.
        _ = try await a.node.handle(method: PeerMethod.join, body: Array("w:1".utf8), from: "admin")
        #expect(await a.node.votersCount == 3)

        await #expect(throws: PeerCallError.self) {
            _ = try await a.node.handle(method: PeerMethod.join, body: Array("o:1".utf8), from: "admin")
        }
        do {
            _ = try await a.node.handle(method: PeerMethod.join, body: Array("o:1".utf8), from: "admin")
        } catch let error as PeerCallError {
            #expect(error.code == "conflict", "\(error)")
            #expect(error.message.contains("another cluster"))
        }
        do {
            _ = try await a.node.handle(method: PeerMethod.join, body: Array("gone:1".utf8), from: "admin")
            Issue.record("an unreachable node was added")
        } catch let error as PeerCallError {
            #expect(error.code == "unreachable", "\(error)")
        }
        #expect(await a.node.votersCount == 3, "nothing was added by the refused calls")
        #expect(await other.node.votersCount == 1)
    }
}
