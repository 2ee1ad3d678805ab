import Testing
@testable import Core

/// Figure 8 of the Raft paper, played through: why a leader may not commit an entry of an
/// earlier term because a majority stores it.
@Suite struct RaftFigure8Tests {
    /// The logs of Figure 8 (c): index 2 of term 2 is on S1, S2, S3 (a majority); S5 holds a
    /// different index 2 of term 3. S1 is about to lead term 4.
    private func figure8() -> RaftTestCluster {
        let voters: [NodeID] = [1, 2, 3, 4, 5]
        let cluster = RaftTestCluster(voters: voters) { $0.preVote = false; $0.checkQuorum = false }
        let logs: [NodeID: [Entry]] = [
            1: [Entry(term: 1, index: 1), Entry(term: 2, index: 2, data: Array("t2".utf8))],
            2: [Entry(term: 1, index: 1), Entry(term: 2, index: 2, data: Array("t2".utf8))],
            3: [Entry(term: 1, index: 1), Entry(term: 2, index: 2, data: Array("t2".utf8))],
            4: [Entry(term: 1, index: 1)],
            5: [Entry(term: 1, index: 1), Entry(term: 3, index: 2, data: Array("t3".utf8))],
        ]
        for id in voters {
            let storage = MemoryRaftStorage(confState: ConfState(voters: voters))
            storage.append(logs[id] ?? [])
            storage.hardState = HardState(term: 3, vote: 0, commit: 1)
            cluster.addNode(id, storage: storage)
        }
        return cluster
    }

    @Test func leaderOfTerm4DoesNotCommitTheTerm2EntryAMajorityHolds() {
        let cluster = figure8()
        // S1 wins term 4 with S2, S3 and S4; S5 is away. Its term-4 entry reaches nobody.
        cluster.isolate(5)
        cluster.dropIf = { $0.type == .append && !$0.entries.isEmpty }
        cluster.campaign(1)
        #expect(cluster[1].role == .leader)
        #expect(cluster[1].term == 4)
        // S2 and S3 confirm they hold index 2 (term 2): a majority holds it.
        for follower: NodeID in [2, 3] {
            cluster[1].step(Message(type: .appendResponse, to: 1, from: follower, term: 4, index: 2))
        }
        cluster.stabilize()
        #expect(cluster[1].commitIndex == 1, "S1 must not commit index 2 of term 2 by counting replicas")
        #expect(!cluster.appliedData(1).contains("t2"))

        // (d): S1 crashes; S5 (last term 3) is elected by S2, S3, S4 and overwrites index 2.
        cluster.heal()
        cluster.dropIf = nil
        cluster.isolate(1)
        cluster.campaign(5)  // term 4: S2, S3, S4 already voted for S1 in it
        cluster.campaign(5)  // term 5, as in the figure
        #expect(cluster[5].role == .leader)
        #expect(cluster[5].term == 5)
        for id: NodeID in [2, 3, 4, 5] {
            #expect(cluster[id].term(at: 2) == 3)
            #expect(cluster.appliedData(id) == ["t3"], "node \(id): commit \(cluster[id].commitIndex) last \(cluster[id].lastIndex)")
        }
        // S1 comes back and converges on the committed log.
        cluster.heal()
        cluster.tick(5, 3)
        #expect(cluster[1].term(at: 2) == 3)
        #expect(cluster.appliedData(1) == ["t3"])
    }

    @Test func leaderOfTerm4CommitsTheTerm2EntryOnceItsOwnEntryIsOnAMajority() {
        // (e): S1 replicates its term-4 entry to a majority before crashing; that commits index 2
        // indirectly, and S5 can no longer win.
        let cluster = figure8()
        cluster.isolate(5)
        cluster.campaign(1)
        #expect(cluster[1].commitIndex == 3)
        #expect(cluster.appliedData(1) == ["t2"])
        cluster.heal()
        cluster.isolate(1)
        cluster.campaign(5)
        cluster.campaign(5)
        #expect(cluster[5].role != .leader, "S5's log is less up to date than a majority's")
    }
}
