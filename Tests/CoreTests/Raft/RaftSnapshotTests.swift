import Testing
@testable import Core

/// Snapshots, log compaction and InstallSnapshot in chunks (Raft paper, section 7).
@Suite struct RaftSnapshotTests {
    @Test func laggingFollowerCatchesUpFromSnapshotSentInChunks() throws {
        // "The leader uses a new RPC called InstallSnapshot to send snapshots to followers that
        // are too far behind."
        let cluster = RaftTestCluster(voters: [1, 2, 3]) { $0.snapshotChunkSize = 10 }
        cluster.campaign(1)
        cluster.isolate(3)
        for i in 0..<10 { try cluster.propose(1, "e\(i)") }
        let leaderStorage = try #require(cluster.storages[1])
        let applied = cluster[1].appliedIndex
        let state = Array(cluster.appliedData(1).joined(separator: ",").utf8)
        try leaderStorage.createSnapshot(index: applied, confState: cluster[1].confState, data: state)
        leaderStorage.compact(to: applied)
        #expect(cluster[1].firstIndex == applied + 1)

        cluster.heal()
        cluster.tick(1, 6)
        let chunks = cluster.sent.filter { $0.type == .snapshot && $0.to == 3 }
        #expect(chunks.count >= (state.count + 9) / 10)
        let follower = try #require(cluster.storages[3])
        #expect(follower.snapshot().metadata.index == applied)
        #expect(follower.snapshot().data == state)
        #expect(cluster[3].commitIndex == cluster[1].commitIndex)

        // And it keeps replicating normally afterwards.
        try cluster.propose(1, "after")
        #expect(cluster.appliedData(3) == ["after"])
    }

    @Test func lostChunkIsResentOnHeartbeatResponse() throws {
        let cluster = RaftTestCluster(voters: [1, 2, 3]) { $0.snapshotChunkSize = 4 }
        cluster.campaign(1)
        cluster.isolate(3)
        for i in 0..<5 { try cluster.propose(1, "e\(i)") }
        let storage = try #require(cluster.storages[1])
        try storage.createSnapshot(index: cluster[1].appliedIndex, confState: cluster[1].confState,
                                   data: Array("0123456789abcdef".utf8))
        storage.compact(to: cluster[1].appliedIndex)
        cluster.heal()
        var dropped = 0
        cluster.dropIf = { m in
            if m.type == .snapshot, m.chunk?.offset == 8, dropped < 1 {
                dropped += 1
                return true
            }
            return false
        }
        cluster.tick(1, 8)
        #expect(dropped == 1)
        #expect(cluster.storages[3]?.snapshot().data == Array("0123456789abcdef".utf8))
        #expect(cluster[3].commitIndex == cluster[1].commitIndex)
    }

    @Test func snapshotOlderThanCommitIsIgnored() {
        let cluster = RaftTestCluster(voters: [1, 2])
        cluster.campaign(1)
        let follower = cluster[2]
        let commit = follower.commitIndex
        let metadata = SnapshotMetadata(index: commit, term: 1, confState: ConfState(voters: [1, 2]))
        follower.step(Message(type: .snapshot, to: 2, from: 1, term: follower.term,
                              chunk: SnapshotChunk(metadata: metadata, offset: 0, totalSize: 1, data: [0])))
        let ready = follower.ready()
        #expect(ready.snapshot == nil)
        #expect(ready.messages.first?.type == .appendResponse)
        #expect(ready.messages.first?.index == commit)
    }

    @Test func restoredSnapshotReplacesMembershipAndLog() {
        let cluster = RaftTestCluster(voters: [1, 2])
        let follower = cluster[2]
        let metadata = SnapshotMetadata(index: 20, term: 3, confState: ConfState(voters: [1, 2, 7]))
        follower.step(Message(type: .snapshot, to: 2, from: 1, term: 3,
                              chunk: SnapshotChunk(metadata: metadata, offset: 0, totalSize: 2, data: [1, 2])))
        #expect(follower.commitIndex == 20)
        #expect(follower.lastIndex == 20)
        #expect(follower.confState.voters == [1, 2, 7])
        let ready = follower.ready()
        #expect(ready.snapshot?.metadata == metadata)
        #expect(ready.committedEntries.isEmpty)
        follower.advance(ready)
        #expect(follower.appliedIndex == 20)
    }
}
