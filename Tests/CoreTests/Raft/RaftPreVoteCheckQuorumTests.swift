import Testing
@testable import Core

/// Pre-vote and check-quorum (dissertation, sections 9.6 and 6.2).
@Suite struct RaftPreVoteCheckQuorumTests {
    /// Leader 1 of a 3-node group, with node 3 partitioned away for many election timeouts.
    private func partitionedFollower(preVote: Bool, checkQuorum: Bool) -> (RaftTestCluster, UInt64) {
        let cluster = RaftTestCluster(voters: [1, 2, 3]) {
            $0.preVote = preVote
            $0.checkQuorum = checkQuorum
        }
        cluster.campaign(1)
        let term = cluster[1].term
        cluster.isolate(3)
        for _ in 0..<60 {
            cluster[3].tick()
            cluster[1].tick()
            cluster[2].tick()
            cluster.stabilize()
        }
        return (cluster, term)
    }

    @Test func rejoiningPartitionedNodeDoesNotDeposeAHealthyLeader() {
        let (cluster, term) = partitionedFollower(preVote: true, checkQuorum: true)
        // Pre-vote: the isolated node never won a pre-vote, so it never bumped its term.
        #expect(cluster[3].term == term)
        cluster.heal()
        cluster.tickAll(5)
        #expect(cluster[1].role == .leader)
        #expect(cluster[1].term == term)
        #expect(cluster[3].leader == 1)
    }

    @Test func withoutPreVoteARejoiningNodeDisruptsTheLeader() {
        // The contrast that shows what pre-vote prevents.
        let (cluster, term) = partitionedFollower(preVote: false, checkQuorum: false)
        #expect(cluster[3].term > term + 2)
        cluster.heal()
        cluster.tickAll(25)
        #expect(cluster[1].term > term, "the old leader had to step down to the higher term")
    }

    @Test func nodeThatHeardFromLeaderRecentlyIgnoresVoteRequests() {
        // Check-quorum's lease: within an election timeout of hearing from the leader, a vote
        // request with a higher term is dropped without changing our term.
        let cluster = RaftTestCluster(voters: [1, 2, 3]) { $0.preVote = false }
        cluster.campaign(1)
        let follower = cluster[2]
        let term = follower.term
        follower.step(Message(type: .vote, to: 2, from: 3, term: term + 5, logTerm: 100, index: 100))
        #expect(follower.term == term)
        #expect(follower.leader == 1)
    }

    @Test func leaderStepsDownWhenItCannotReachAQuorum() {
        // "A leader steps down if an election timeout elapses without a successful round of
        // heartbeats to a majority of its cluster."
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        cluster.isolate(1)
        cluster.tick(1, 25)
        #expect(cluster[1].role == .follower)
    }

    @Test func leaderWithQuorumStaysLeader() {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        cluster.isolate(3)
        cluster.tick(1, 50)
        #expect(cluster[1].role == .leader)
    }

    @Test func preVoteDoesNotChangeTermsUntilItWins() {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.isolate(1)
        cluster.campaign(1)
        #expect(cluster[1].role == .preCandidate)
        #expect(cluster[1].term == 0)
        cluster.heal()
        cluster.campaign(1)
        #expect(cluster[1].role == .leader)
        #expect(cluster[1].term == 1)
    }

    @Test func staleLeaderLearnsNewTermFromResponseAndStepsDown() {
        // A leader cut off while the others elected a new one gets a response carrying the new
        // term to its next append, and steps down.
        let cluster = RaftTestCluster(voters: [1, 2, 3]) { $0.checkQuorum = false }
        cluster.campaign(1)
        cluster.isolate(1)
        cluster.campaign(2)
        #expect(cluster[2].role == .leader)
        cluster.heal()
        try? cluster.propose(1, "stale")
        #expect(cluster[1].role == .follower)
        #expect(cluster[1].term == cluster[2].term)
        #expect(!cluster.appliedData(2).contains("stale"))
    }
}
