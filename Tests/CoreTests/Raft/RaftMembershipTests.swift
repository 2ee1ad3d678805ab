import Testing
@testable import Core

/// Single-server membership changes with learners (dissertation, chapter 4).
@Suite struct RaftMembershipTests {
    private func leaderOfThree() -> RaftTestCluster {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        return cluster
    }

    @Test func joiningNodeCatchesUpAsLearnerAndIsThenPromoted() throws {
        let cluster = RaftTestCluster(voters: [1, 2, 3], bootstrapInLog: true)
        cluster.campaign(1)
        for i in 0..<5 { try cluster.propose(1, "e\(i)") }
        cluster.addNode(4)  // empty storage and membership: it learns both from the leader
        try cluster[1].proposeConfChange(ConfChange(type: .addLearner, nodeID: 4))
        cluster.stabilize()
        cluster.tick(1, 4)
        #expect(cluster[1].confState.learners == [4])
        #expect(cluster[4].confState.learners == [4])
        #expect(cluster.appliedData(4) == cluster.appliedData(1))
        // A learner never campaigns and is not counted for commit.
        cluster.tick(4, 50)
        #expect(cluster[4].role == .follower)
        #expect(cluster[1].role == .leader)

        try cluster[1].proposeConfChange(ConfChange(type: .addVoter, nodeID: 4))
        cluster.stabilize()
        #expect(cluster[1].confState.voters == [1, 2, 3, 4])
        #expect(cluster[4].confState.voters == [1, 2, 3, 4])
        // Four voters: a quorum is three, so losing two stalls commits.
        cluster.isolate(3)
        cluster.isolate(4)
        let commit = cluster[1].commitIndex
        try cluster.propose(1, "needs three")
        #expect(cluster[1].commitIndex == commit)
    }

    @Test func learnerIsNotCountedForCommit() throws {
        let cluster = RaftTestCluster(voters: [1, 2, 3], learners: [4])
        cluster.campaign(1)
        cluster.isolate(2)
        cluster.isolate(3)
        let commit = cluster[1].commitIndex
        try cluster.propose(1, "x")
        #expect(cluster[1].commitIndex == commit)
        #expect(cluster[4].lastIndex == cluster[1].lastIndex)
    }

    @Test func changeTakesEffectWhenAppendedNotWhenCommitted() throws {
        let cluster = leaderOfThree()
        cluster.isolate(2)
        cluster.isolate(3)
        try cluster[1].proposeConfChange(ConfChange(type: .addLearner, nodeID: 9))
        #expect(cluster[1].confState.learners == [9])
        #expect(cluster[1].commitIndex < cluster[1].lastIndex)
    }

    @Test func onlyOneChangeAtATime() throws {
        let cluster = leaderOfThree()
        cluster.isolate(2)
        cluster.isolate(3)
        try cluster[1].proposeConfChange(ConfChange(type: .addLearner, nodeID: 9))
        #expect(throws: RaftError.self) {
            try cluster[1].proposeConfChange(ConfChange(type: .addLearner, nodeID: 10))
        }
        cluster.heal()
        cluster.tick(1, 3)
        try cluster[1].proposeConfChange(ConfChange(type: .addLearner, nodeID: 10))
    }

    @Test func newLeaderChangesMembershipOnlyAfterCommittingAnEntryOfItsTerm() throws {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.isolate(2)
        cluster.isolate(3)
        cluster.cut.subtract([[1, 2], [2, 1]])
        cluster.dropIf = { $0.type == .appendResponse }
        cluster.campaign(1)
        #expect(cluster[1].role == .leader)
        #expect(cluster[1].commitIndex < cluster[1].lastIndex)
        #expect(throws: RaftError.confChangeRejected(reason: "leader has not committed an entry of term 1 yet")) {
            try cluster[1].proposeConfChange(ConfChange(type: .addLearner, nodeID: 9))
        }
        cluster.dropIf = nil
        cluster.tick(1, 3)
        #expect(cluster[1].commitIndex == cluster[1].lastIndex)
        try cluster[1].proposeConfChange(ConfChange(type: .addLearner, nodeID: 9))
    }

    @Test func removedLeaderStepsDownAfterCommitAndTheRestElectANewOne() throws {
        let cluster = leaderOfThree()
        try cluster[1].proposeConfChange(ConfChange(type: .removeNode, nodeID: 1))
        cluster.stabilize()
        #expect(cluster[1].role == .follower)
        #expect(cluster[2].confState.voters == [2, 3])
        cluster.tickAll(60)
        let leaders = cluster.leaders
        #expect(leaders.count == 1)
        #expect(leaders.first != 1)
        // The removed node never campaigns again.
        let term = cluster[1].term
        cluster.isolate(1)
        cluster.tick(1, 60)
        #expect(cluster[1].role == .follower)
        #expect(cluster[1].term == term)
    }

    @Test func partitionedNodeIsRemovedAndDoesNotDisruptWhenItReturns() throws {
        let cluster = leaderOfThree()
        cluster.isolate(3)
        try cluster[1].proposeConfChange(ConfChange(type: .removeNode, nodeID: 3))
        cluster.stabilize()
        #expect(cluster[1].confState.voters == [1, 2])
        // Two voters left: the change committed on both.
        #expect(cluster[1].commitIndex == cluster[1].lastIndex)
        for _ in 0..<60 {
            for id: NodeID in [1, 2, 3] { cluster[id].tick() }
            cluster.stabilize()
        }
        let term = cluster[1].term
        cluster.heal()
        cluster.tickAll(30)
        #expect(cluster[1].role == .leader)
        #expect(cluster[1].term == term)
        try cluster.propose(1, "still fine")
        #expect(cluster.appliedData(2).last == "still fine")
    }

    @Test func truncatedConfChangeIsRolledBack() {
        // A follower that appended a conf change that the new leader does not have reverts it
        // when the entry is overwritten.
        let storage = MemoryRaftStorage(confState: ConfState(voters: [1, 2, 3]))
        storage.append([Entry(term: 1, index: 1),
                        Entry(term: 1, index: 2, type: .confChange, data: ConfChange(type: .addLearner, nodeID: 9).encoded())])
        storage.hardState = HardState(term: 1, commit: 1)
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        let follower = cluster.addNode(2, storage: storage)
        #expect(follower.confState.learners == [9])
        follower.step(Message(type: .append, to: 2, from: 1, term: 2, logTerm: 1, index: 1,
                              entries: [Entry(term: 2, index: 2)], commit: 1))
        #expect(follower.confState.learners == [])
    }
}

extension RaftMembershipTests {
    @Test func removedIDIsNeverAdmittedAgain() throws {
        let cluster = leaderOfThree()
        try cluster[1].proposeConfChange(ConfChange(type: .removeNode, nodeID: 3))
        cluster.stabilize()
        #expect(cluster[1].confState.removed == [3])
        #expect(throws: RaftError.confChangeRejected(reason: "node id 3 was removed; ids are never reused")) {
            try cluster[1].proposeConfChange(ConfChange(type: .addLearner, nodeID: 3))
        }
    }
}
