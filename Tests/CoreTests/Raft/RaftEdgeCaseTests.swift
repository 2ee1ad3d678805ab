import Testing
@testable import Core

/// Cases from etcd's raft tests that the paper does not state as sentences.
@Suite struct RaftEdgeCaseTests {
    @Test func duelingCandidatesEndWithOneLeaderAndOneLog() throws {
        // Nodes 1 and 3 cannot talk; both campaign. At most one wins a term, and once healed
        // the group converges on one leader and one log.
        let cluster = RaftTestCluster(voters: [1, 2, 3]) { $0.preVote = false; $0.checkQuorum = false }
        cluster.cut = [[1, 3], [3, 1]]
        cluster.campaign(1)
        cluster.campaign(3)
        #expect(cluster[1].role == .leader)
        #expect(cluster[3].role == .candidate, "node 2 already voted in node 1's term and has a longer log")
        cluster.heal()
        cluster.tickAll(40)
        #expect(cluster.leaders.count == 1)
        let leader = try #require(cluster.leaders.first)
        try cluster.propose(leader, "x")
        for id: NodeID in [1, 2, 3] { #expect(cluster.appliedData(id) == ["x"]) }
    }

    @Test func appendFromALeaderOfAnOlderTermIsRejectedWithTheNewTerm() {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        cluster.campaign(2)  // in lease: node 2's pre-vote is ignored, node 1 stays leader
        #expect(cluster[1].role == .leader)
        let follower = cluster[3]
        let last = follower.lastIndex
        follower.step(Message(type: .append, to: 3, from: 9, term: follower.term - 1, logTerm: 0, index: 0,
                              entries: [Entry(term: follower.term - 1, index: 1, data: [1])]))
        #expect(follower.lastIndex == last)
        let ready = follower.ready()
        let response = ready.messages.first { $0.to == 9 }
        #expect(response?.type == .appendResponse)
        #expect(response?.term == follower.term)
    }

    @Test func probingFollowerGetsOneAppendAtATime() throws {
        // In probe state the leader does not stream: one append, then wait for its answer (or
        // the next heartbeat answer).
        let cluster = RaftTestCluster(voters: [1, 2])
        cluster.campaign(1)
        cluster.isolate(2)
        cluster[1].reportUnreachable(2)  // replicate -> probe
        let before = cluster.sent.count
        for i in 0..<5 { try cluster.propose(1, "e\(i)") }
        let appends = cluster.sent[before...].filter { $0.type == .append && $0.to == 2 }
        #expect(appends.count == 1)
        cluster.heal()
        cluster.tick(1, 4)
        #expect(cluster[2].lastIndex == cluster[1].lastIndex)
    }

    @Test func learnerIgnoresTimeoutNow() {
        let cluster = RaftTestCluster(voters: [1, 2], learners: [3])
        cluster.campaign(1)
        cluster[3].step(Message(type: .timeoutNow, to: 3, from: 1, term: cluster[1].term))
        cluster.stabilize()
        #expect(cluster[3].role == .follower)
        #expect(cluster[1].role == .leader)
    }
}
