import Testing
@testable import Core

/// ReadIndex (dissertation, section 6.4) and leader transfer (section 3.10).
@Suite struct RaftReadIndexTransferTests {
    @Test func readIndexIsAnsweredOnlyAfterAQuorumConfirmsLeadership() {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        let leader = cluster[1]
        leader.readIndex(context: [42])
        // Not before the heartbeat round.
        var ready = leader.ready()
        #expect(ready.readStates.isEmpty)
        #expect(ready.messages.filter { $0.type == .heartbeat && $0.context == [42] }.count == 2)
        leader.advance(ready)
        leader.step(Message(type: .heartbeatResponse, to: 1, from: 2, term: leader.term, context: [42]))
        ready = leader.ready()
        #expect(ready.readStates == [ReadState(index: leader.commitIndex, context: [42])])
        leader.advance(ready)
    }

    @Test func isolatedLeaderNeverAnswersAReadIndex() {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        cluster.isolate(1)
        cluster[1].readIndex(context: [1])
        cluster.tick(1, 30)
        #expect(cluster.readStates[1, default: []].isEmpty)
    }

    @Test func followerReadIndexIsForwardedToTheLeader() throws {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        try cluster.propose(1, "x")
        cluster[3].readIndex(context: [9])
        cluster.stabilize()
        #expect(cluster.readStates[3] == [ReadState(index: cluster[1].commitIndex, context: [9])])
    }

    @Test func readIndexWaitsForTheNewLeaderToCommitInItsTerm() {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.dropIf = { $0.type == .appendResponse }
        cluster.campaign(1)
        cluster[1].readIndex(context: [5])
        cluster.stabilize()
        #expect(cluster.readStates[1, default: []].isEmpty)
        cluster.dropIf = nil
        cluster.tick(1, 3)
        #expect(cluster.readStates[1]?.first?.index == cluster[1].lastIndex)
    }

    @Test func leaderTransferHandsLeadershipToAnUpToDateVoter() throws {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        try cluster.propose(1, "x")
        let term = cluster[1].term
        cluster[1].transferLeader(to: 3)
        cluster.stabilize()
        #expect(cluster[3].role == .leader)
        #expect(cluster[3].term == term + 1)
        #expect(cluster[1].role == .follower)
    }

    @Test func transferToLaggingFollowerCatchesItUpFirst() throws {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        cluster.isolate(3)
        for i in 0..<5 { try cluster.propose(1, "e\(i)") }
        cluster.heal()
        cluster[1].transferLeader(to: 3)
        #expect(throws: RaftError.self) { try cluster[1].propose([1]) }
        cluster.stabilize()
        #expect(cluster[3].role == .leader)
        #expect(cluster.appliedData(3).count == 5)
    }

    @Test func transferToUnreachableNodeIsAbortedAfterAnElectionTimeout() throws {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        cluster.isolate(3)
        cluster[1].transferLeader(to: 3)
        cluster.stabilize()
        #expect(cluster[1].leadTransferee == 3)
        cluster.tick(1, 12)
        #expect(cluster[1].leadTransferee == 0)
        #expect(cluster[1].role == .leader)
        try cluster.propose(1, "accepted again")
    }
}

extension RaftReadIndexTransferTests {
    @Test func transferRequestedOnAFollowerIsForwardedWithItsTransferee() {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        cluster[2].transferLeader(to: 3)
        cluster.stabilize()
        #expect(cluster[3].role == .leader)
    }
}
