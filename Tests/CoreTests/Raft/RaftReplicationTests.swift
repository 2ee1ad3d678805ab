import Testing
@testable import Core

/// Log replication and the commit rule (Raft paper, sections 5.3 and 5.4.2).
@Suite struct RaftReplicationTests {
    @Test func committedEntriesAreAppliedInOrderOnEveryServer() throws {
        // "Once a follower learns that a log entry is committed, it applies the entry to its
        // local state machine (in log order)."
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        for word in ["a", "b", "c"] { try cluster.propose(1, word) }
        for id: NodeID in [1, 2, 3] {
            #expect(cluster.appliedData(id) == ["a", "b", "c"])
            #expect(cluster[id].commitIndex == 4)
        }
    }

    @Test func followerForwardsProposalsToTheLeader() throws {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        cluster.campaign(1)
        try cluster.propose(3, "from a follower")
        #expect(cluster.appliedData(1) == ["from a follower"])
        #expect(cluster.appliedData(3) == ["from a follower"])
    }

    @Test func proposalWithoutLeaderIsRefused() {
        let cluster = RaftTestCluster(voters: [1, 2, 3])
        #expect(throws: RaftError.self) { try cluster[1].propose([1]) }
    }

    @Test func entryIsCommittedOnlyOnceStoredOnAMajority() throws {
        // "A log entry is committed once the leader that created the entry has replicated it on
        // a majority of the servers."
        let cluster = RaftTestCluster(voters: [1, 2, 3, 4, 5])
        cluster.campaign(1)
        let before = cluster[1].commitIndex
        for id: NodeID in [3, 4, 5] { cluster.isolate(id) }
        try cluster.propose(1, "x")
        #expect(cluster[1].commitIndex == before)
        cluster.heal()
        cluster.cut = [[1, 4], [4, 1], [1, 5], [5, 1]]
        cluster.tick(1, 3)  // heartbeats make the leader resend to 3
        #expect(cluster[1].commitIndex == before + 1)
    }

    @Test func leaderCountsItsOwnEntryOnlyOnceDurable() throws {
        // The leader is one of the replicas that commit counts: its copy counts from the
        // advance() that follows persisting it, never before.
        let cluster = RaftTestCluster(voters: [1])
        cluster.campaign(1)
        let leader = cluster[1]
        try leader.propose([7])
        let ready = leader.ready()
        #expect(ready.entries.count == 1)
        #expect(ready.committedEntries.isEmpty)
        #expect(leader.commitIndex == ready.entries[0].index - 1)
        cluster.persistAndAdvance(1, ready)
        #expect(leader.commitIndex == ready.entries[0].index)
    }

    @Test func followerRejectsAppendWhoseLogDoesNotContainPrevEntry() {
        // "If the follower does not find an entry in its log with the same index and term, then
        // it refuses the new entries."
        let storage = MemoryRaftStorage(confState: ConfState(voters: [1, 2]))
        storage.append([Entry(term: 1, index: 1), Entry(term: 1, index: 2)])
        storage.hardState = HardState(term: 2)
        let cluster = RaftTestCluster(voters: [1, 2])
        let follower = cluster.addNode(2, storage: storage)
        follower.step(Message(type: .append, to: 2, from: 1, term: 2, logTerm: 2, index: 2,
                              entries: [Entry(term: 2, index: 3)]))
        let response = follower.ready().messages.first { $0.type == .appendResponse }
        #expect(response?.reject == true)
        #expect(follower.lastIndex == 2)
    }

    @Test func conflictingEntryAndAllThatFollowItAreDeleted() {
        // "If an existing entry conflicts with a new one (same index but different terms),
        // delete the existing entry and all that follow it."
        let storage = MemoryRaftStorage(confState: ConfState(voters: [1, 2]))
        storage.append([Entry(term: 1, index: 1), Entry(term: 1, index: 2), Entry(term: 1, index: 3)])
        storage.hardState = HardState(term: 1, commit: 1)
        let cluster = RaftTestCluster(voters: [1, 2])
        let follower = cluster.addNode(2, storage: storage)
        follower.step(Message(type: .append, to: 2, from: 1, term: 2, logTerm: 1, index: 1,
                              entries: [Entry(term: 2, index: 2)], commit: 1))
        let ready = follower.ready()
        #expect(ready.entries == [Entry(term: 2, index: 2)])
        #expect(follower.lastIndex == 2)
        #expect(follower.term(at: 2) == 2)
        #expect(ready.messages.first { $0.type == .appendResponse }?.index == 2)
    }

    @Test func leaderNeverCommitsEntryOfEarlierTermByCountingReplicas() {
        // Figure 8: "Raft never commits log entries from previous terms by counting replicas.
        // Only log entries from the leader's current term are committed by counting replicas."
        // Node 1 leads term 3 holding an uncommitted term-2 entry at index 2; a majority
        // acknowledging index 2 must not commit it (a term-3 leader elsewhere could still
        // overwrite it, as in the figure); the leader's own term-3 entry commits both.
        let storage = MemoryRaftStorage(confState: ConfState(voters: [1, 2, 3, 4, 5]))
        storage.append([Entry(term: 1, index: 1), Entry(term: 2, index: 2)])
        storage.hardState = HardState(term: 2, commit: 1)
        let cluster = RaftTestCluster(voters: [1, 2, 3, 4, 5]) { $0.preVote = false }
        let leader = cluster.addNode(1, storage: storage)
        leader.step(Message(type: .hup, from: 1))
        for voter: NodeID in [2, 3] {
            leader.step(Message(type: .voteResponse, to: 1, from: voter, term: 3))
        }
        #expect(leader.role == .leader)
        #expect(leader.term == 3)
        var ready = leader.ready()
        cluster.persistAndAdvance(1, ready)  // the leader's no-op (index 3, term 3) is durable
        #expect(leader.lastIndex == 3)
        for follower: NodeID in [2, 3] {
            leader.step(Message(type: .appendResponse, to: 1, from: follower, term: 3, index: 2))
        }
        #expect(leader.commitIndex == 1, "a term-2 entry on a majority is not committed by a term-3 leader")
        for follower: NodeID in [2, 3] {
            leader.step(Message(type: .appendResponse, to: 1, from: follower, term: 3, index: 3))
        }
        #expect(leader.commitIndex == 3, "committing the term-3 entry commits the earlier one indirectly")
        ready = leader.ready()
        #expect(ready.committedEntries.map(\.index) == [2, 3])
    }

    @Test func leaderBacktracksOverAWholeConflictingTermInOneRoundTrip() {
        // Fast backtracking: a follower with 50 entries of a stale term costs the leader a
        // couple of probes, not 50.
        let followerStorage = MemoryRaftStorage(confState: ConfState(voters: [1, 2]))
        followerStorage.append([Entry(term: 1, index: 1)] + (2...51).map { Entry(term: 2, index: $0) })
        followerStorage.hardState = HardState(term: 2, commit: 1)
        let leaderStorage = MemoryRaftStorage(confState: ConfState(voters: [1, 2]))
        leaderStorage.append([Entry(term: 1, index: 1)] + (2...41).map { Entry(term: 3, index: $0) })
        leaderStorage.hardState = HardState(term: 3, commit: 1)
        let cluster = RaftTestCluster(voters: [1, 2]) { $0.preVote = false }
        cluster.addNode(1, storage: leaderStorage)
        cluster.addNode(2, storage: followerStorage)
        cluster.campaign(1)
        #expect(cluster[1].role == .leader)
        let rejections = cluster.sent.filter { $0.type == .appendResponse && $0.reject }.count
        #expect(rejections <= 2, "rejections: \(rejections)")
        #expect(cluster[2].lastIndex == 42)
        #expect(cluster[2].term(at: 41) == 3)
        #expect(cluster[2].commitIndex == 42)
    }

    @Test func inflightAppendsToASilentFollowerAreBounded() throws {
        // Flow control: a follower that stops answering gets at most maxInflightMessages appends.
        let cluster = RaftTestCluster(voters: [1, 2, 3]) { $0.maxInflightMessages = 3 }
        cluster.campaign(1)
        cluster.dropIf = { $0.from == 3 && $0.type == .appendResponse }
        let before = cluster.sent.count
        for i in 0..<20 { try cluster.propose(1, "e\(i)") }
        // Appends without entries (they only carry the commit index) are not flow-controlled.
        let appendsTo3 = cluster.sent[before...].filter { $0.type == .append && $0.to == 3 && !$0.entries.isEmpty }.count
        #expect(appendsTo3 == 3)
        #expect(cluster.appliedData(1).count == 20)
        cluster.dropIf = nil
        cluster.tick(1, 4)
        #expect(cluster.appliedData(3).count == 20)
    }

    @Test func inflightBytesAreBounded() throws {
        let cluster = RaftTestCluster(voters: [1, 2]) {
            $0.maxInflightMessages = 100
            $0.maxInflightBytes = 300
        }
        cluster.campaign(1)
        cluster.dropIf = { $0.from == 2 && $0.type == .appendResponse }
        let before = cluster.sent.count
        for _ in 0..<20 { try? cluster.propose(1, String(repeating: "x", count: 100)) }
        let appends = cluster.sent[before...].filter { $0.type == .append && $0.to == 2 }
        let bytes = appends.reduce(0) { $0 + $1.entries.byteSize }
        #expect(appends.count <= 3)
        #expect(bytes < 300 + 2 * 124)
    }
}
