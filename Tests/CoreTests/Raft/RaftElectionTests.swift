import Testing
@testable import Core

/// Leader election, named after the sentences of the Raft paper (section 5.2, 5.4.1) they check.
@Suite struct RaftElectionTests {
    @Test func candidateWinsElectionWithVotesFromMajorityOfServers() {
        // "A candidate wins an election if it receives votes from a majority of the servers in
        // the full cluster for the same term."
        let cluster = RaftTestCluster(voters: [1, 2, 3, 4, 5])
        cluster.isolate(4)
        cluster.isolate(5)
        cluster.campaign(1)
        #expect(cluster[1].role == .leader)
        #expect(cluster[1].term == 1)

        let minority = RaftTestCluster(voters: [1, 2, 3, 4, 5])
        for id: NodeID in [3, 4, 5] { minority.isolate(id) }
        minority.campaign(1)
        #expect(minority[1].role != .leader)
    }

    @Test func eachServerVotesForAtMostOneCandidateInAGivenTerm() {
        // "Each server will vote for at most one candidate in a given term, on a
        // first-come-first-served basis."
        let cluster = RaftTestCluster(voters: [1, 2, 3]) { $0.preVote = false }
        let voter = cluster[1]
        voter.step(Message(type: .vote, to: 1, from: 2, term: 5, logTerm: 0, index: 0))
        voter.step(Message(type: .vote, to: 1, from: 3, term: 5, logTerm: 0, index: 0))
        let ready = voter.ready()
        #expect(ready.hardState?.vote == 2)
        let responses = ready.messages.filter { $0.type == .voteResponse }
        #expect(responses.map(\.to) == [2, 3])
        #expect(responses.map(\.reject) == [false, true])
    }

    @Test func voteIsPersistedInTheSameReadyThatSendsIt() {
        // Messages go out only after the state they depend on is durable: the vote response is
        // in the Ready whose hard state records the vote.
        let cluster = RaftTestCluster(voters: [1, 2, 3]) { $0.preVote = false }
        cluster[2].step(Message(type: .vote, to: 2, from: 1, term: 1, logTerm: 0, index: 0))
        let ready = cluster[2].ready()
        #expect(ready.mustSync)
        #expect(ready.hardState == HardState(term: 1, vote: 1, commit: 0))
        #expect(ready.messages.contains { $0.type == .voteResponse && !$0.reject })
    }

    @Test func voterDeniesVoteIfItsOwnLogIsMoreUpToDate() {
        // "The voter denies its vote if its own log is more up-to-date than that of the
        // candidate" (section 5.4.1): compare the last terms, then the lengths.
        let storage = MemoryRaftStorage(confState: ConfState(voters: [1, 2, 3]))
        storage.append([Entry(term: 1, index: 1), Entry(term: 2, index: 2)])
        storage.hardState = HardState(term: 2)
        let cluster = RaftTestCluster(voters: [1, 2, 3]) { $0.preVote = false }
        let voter = cluster.addNode(1, storage: storage)
        let cases: [(logTerm: UInt64, index: UInt64, granted: Bool)] = [
            (1, 5, false),  // lower last term, longer log
            (2, 1, false),  // same last term, shorter log
            (2, 2, true),   // same
            (3, 1, true),   // higher last term
        ]
        for (i, c) in cases.enumerated() {
            voter.step(Message(type: .vote, to: 1, from: 2, term: 3 + UInt64(i), logTerm: c.logTerm, index: c.index))
            let ready = voter.ready()
            voter.advance(ready)
            let response = ready.messages.first { $0.type == .voteResponse }
            #expect(response?.reject == !c.granted, "case \(i)")
        }
    }

    @Test func candidateReturnsToFollowerOnAppendFromLeaderOfItsTerm() {
        // "If the AppendEntries RPC is received from another server claiming to be leader whose
        // term is at least as large as the candidate's current term, then the candidate
        // recognizes the leader as legitimate and returns to follower state."
        let cluster = RaftTestCluster(voters: [1, 2, 3]) { $0.preVote = false }
        cluster.isolate(1)
        cluster.campaign(1)
        #expect(cluster[1].role == .candidate)
        cluster[1].step(Message(type: .append, to: 1, from: 2, term: cluster[1].term, logTerm: 0, index: 0))
        #expect(cluster[1].role == .follower)
        #expect(cluster[1].leader == 2)
    }

    @Test func electionTimeoutsAreRandomizedWithinOneToTwoTimeouts() {
        // "Raft uses randomized election timeouts to ensure that split votes are rare."
        var seen: Set<Int> = []
        for id: NodeID in 1...40 {
            let node = RaftTestCluster(voters: [id]).nodes[id]!
            #expect(node.randomizedElectionTimeout >= 10 && node.randomizedElectionTimeout < 20)
            seen.insert(node.randomizedElectionTimeout)
        }
        #expect(seen.count > 3)
    }

    @Test func followerStartsElectionAfterElectionTimeout() {
        // "If a follower receives no communication over a period of time called the election
        // timeout, then it assumes there is no viable leader and begins an election."
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.tick(1, 19)
        #expect(cluster.leaders.count == 1)
        #expect(cluster[1].role == .leader || cluster[1].leader != 0)
    }

    @Test func singleVoterGroupElectsItselfAndCommitsAlone() throws {
        // A standalone server is a one-voter group on the same code path.
        let cluster = RaftTestCluster(voters: [1])
        cluster.campaign(1)
        #expect(cluster[1].role == .leader)
        try cluster.propose(1, "x")
        #expect(cluster.appliedData(1) == ["x"])
    }
}
