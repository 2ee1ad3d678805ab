/// Message dispatch: the term rules every message goes through, voting, and the follower and
/// candidate handlers (the leader's are in RaftNode+Leader.swift).
extension RaftNode {
    /// Feeds one message from a peer (or a local one). Messages from unknown or stale senders
    /// are ignored, never trusted.
    public func step(_ message: Message) {
        if message.type == .propose {
            try? stepProposal(message)
            return
        }
        guard checkTerm(message) else { return }
        switch message.type {
        case .hup:
            campaignIfAllowed(transfer: false)
        case .vote, .preVote:
            handleVoteRequest(message)
        default:
            switch role {
            case .leader: stepLeader(message)
            case .candidate, .preCandidate: stepCandidate(message)
            case .follower: stepFollower(message)
            }
        }
    }

    /// Proposals: appended by the leader, forwarded by a follower, refused otherwise.
    func stepProposal(_ message: Message) throws(RaftError) {
        switch role {
        case .leader:
            try leaderPropose(message)
        case .follower:
            guard leader != 0 else { throw .proposalDropped(reason: "no leader") }
            var forwarded = message
            forwarded.to = leader
            send(forwarded)
        case .candidate, .preCandidate:
            throw .proposalDropped(reason: "election in progress")
        }
    }

    /// The term rules (Raft paper, figure 2, "all servers"), with pre-vote and check-quorum's
    /// lease. Returns false if the message must be dropped.
    private func checkTerm(_ m: Message) -> Bool {
        if m.term == 0 { return true }
        if m.term > term {
            if m.type == .vote || m.type == .preVote {
                let force = m.context == Message.campaignTransfer
                let inLease = config.checkQuorum && leader != 0 && electionElapsed < config.electionTick
                // A node that heard from a leader within the election timeout ignores votes:
                // a rejoining partitioned node must not depose a healthy leader.
                if !force && inLease { return false }
            }
            switch m.type {
            case .preVote:
                break  // A pre-vote never changes our term.
            case .preVoteResponse where !m.reject:
                break  // We bump the term ourselves once we win the pre-vote.
            case .append, .heartbeat, .snapshot:
                becomeFollower(term: m.term, leader: m.from)
            default:
                becomeFollower(term: m.term, leader: 0)
            }
            return true
        }
        if m.term < term {
            if (config.checkQuorum || config.preVote) && (m.type == .heartbeat || m.type == .append) {
                // A stale leader (one we stopped hearing, or cut off by pre-vote) learns the new
                // term from this and steps down; otherwise it could never find out.
                send(Message(type: .appendResponse, to: m.from))
            } else if m.type == .preVote {
                send(Message(type: .preVoteResponse, to: m.from, term: term, reject: true))
            }
            return false
        }
        return true
    }

    private func handleVoteRequest(_ m: Message) {
        let canVote = vote == m.from || (vote == 0 && leader == 0) || (m.type == .preVote && m.term > term)
        if canVote && log.isUpToDate(index: m.index, term: m.logTerm) {
            // The response carries the request's term: for a pre-vote it is the future term.
            send(Message(type: Message.voteResponseType(m.type), to: m.from, term: m.term))
            if m.type == .vote {
                electionElapsed = 0
                vote = m.from
            }
        } else {
            send(Message(type: Message.voteResponseType(m.type), to: m.from, term: term, reject: true))
        }
    }

    // MARK: Elections

    func tickElection() {
        electionElapsed += 1
        if isPromotable && electionElapsed >= randomizedElectionTimeout {
            electionElapsed = 0
            campaignIfAllowed(transfer: false)
        }
    }

    func campaignIfAllowed(transfer: Bool) {
        guard role != .leader, isPromotable else { return }
        if config.preVote && !transfer {
            campaign(preVote: true, transfer: false)
        } else {
            campaign(preVote: false, transfer: transfer)
        }
    }

    func campaign(preVote: Bool, transfer: Bool) {
        let voteTerm: UInt64
        if preVote {
            becomePreCandidate()
            voteTerm = term + 1
        } else {
            becomeCandidate()
            voteTerm = term
        }
        if poll(id, granted: true) == .won {
            // A single-voter group wins at once.
            if preVote { campaign(preVote: false, transfer: false) } else { becomeLeader() }
            return
        }
        for voter in confState.voters where voter != id {
            send(Message(type: preVote ? .preVote : .vote, to: voter, term: voteTerm, logTerm: log.lastTerm,
                         index: log.lastIndex, context: transfer ? Message.campaignTransfer : []))
        }
    }

    enum VoteResult { case pending, won, lost }

    func poll(_ voter: NodeID, granted: Bool) -> VoteResult {
        if votes[voter] == nil { votes[voter] = granted }
        var yes = 0
        var no = 0
        for v in confState.voters {
            switch votes[v] {
            case true?: yes += 1
            case false?: no += 1
            case nil: break
            }
        }
        if yes >= confState.quorum { return .won }
        if no > confState.voters.count - confState.quorum { return .lost }
        return .pending
    }

    private func stepCandidate(_ m: Message) {
        switch m.type {
        case .append:
            becomeFollower(term: m.term, leader: m.from)
            handleAppend(m)
        case .heartbeat:
            becomeFollower(term: m.term, leader: m.from)
            handleHeartbeat(m)
        case .snapshot:
            becomeFollower(term: m.term, leader: m.from)
            handleSnapshotChunk(m)
        case .voteResponse where role == .candidate, .preVoteResponse where role == .preCandidate:
            switch poll(m.from, granted: !m.reject) {
            case .won:
                if role == .preCandidate { campaign(preVote: false, transfer: false) } else {
                    becomeLeader()
                    broadcastAppend()
                }
            case .lost:
                becomeFollower(term: term, leader: 0)
            case .pending:
                break
            }
        default:
            break
        }
    }

    // MARK: Follower

    private func stepFollower(_ m: Message) {
        switch m.type {
        case .append:
            electionElapsed = 0
            leader = m.from
            handleAppend(m)
        case .heartbeat:
            electionElapsed = 0
            leader = m.from
            handleHeartbeat(m)
        case .snapshot:
            electionElapsed = 0
            leader = m.from
            handleSnapshotChunk(m)
        case .transferLeader, .readIndex:
            // Forwarded on the requester's behalf (`from` is kept); dropped with no leader.
            guard leader != 0 else { return }
            var forwarded = m
            forwarded.to = leader
            send(forwarded)
        case .timeoutNow:
            // Leader transfer: campaign at once, past pre-vote and the lease.
            campaignIfAllowed(transfer: true)
        case .readIndexResponse:
            readStates.append(ReadState(index: m.index, context: m.context))
        default:
            break
        }
    }

    func handleAppend(_ m: Message) {
        if m.index < log.committed {
            send(Message(type: .appendResponse, to: m.from, index: log.committed))
            return
        }
        if let (lastNew, firstChanged) = log.maybeAppend(index: m.index, logTerm: m.logTerm, committed: m.commit,
                                                        entries: m.entries) {
            if firstChanged != 0 {
                logChanged(from: firstChanged, appended: m.entries)
            }
            send(Message(type: .appendResponse, to: m.from, index: lastNew))
        } else {
            // Fast backtracking: tell the leader the last index that could match, and its term,
            // so it skips every entry of a conflicting term in one round trip.
            let hintIndex = log.findConflictByTerm(index: min(m.index, log.lastIndex), term: m.logTerm)
            send(Message(type: .appendResponse, to: m.from, logTerm: log.term(hintIndex) ?? 0, index: m.index,
                         reject: true, rejectHint: hintIndex))
        }
    }

    func handleHeartbeat(_ m: Message) {
        // The leader sends min(match, commit), so this never passes what we hold.
        log.commitTo(min(m.commit, log.lastIndex))
        send(Message(type: .heartbeatResponse, to: m.from, context: m.context))
    }

    /// Collects snapshot chunks in order; installs the snapshot after the last one.
    func handleSnapshotChunk(_ m: Message) {
        guard let chunk = m.chunk else { return }
        let metadata = chunk.metadata
        if metadata.index <= log.committed {
            incomingSnapshot = nil
            send(Message(type: .appendResponse, to: m.from, index: log.committed))
            return
        }
        if incomingSnapshot?.metadata != metadata {
            guard chunk.offset == 0 else {
                send(Message(type: .snapshotResponse, to: m.from, index: metadata.index, reject: true, rejectHint: 0))
                return
            }
            incomingSnapshot = (metadata, [])
        }
        let held = incomingSnapshot?.data.count ?? 0
        guard held == chunk.offset else {
            send(Message(type: .snapshotResponse, to: m.from, index: metadata.index, reject: true,
                         rejectHint: UInt64(held)))
            return
        }
        incomingSnapshot?.data.append(contentsOf: chunk.data)
        let total = incomingSnapshot?.data.count ?? 0
        guard total >= chunk.totalSize, let data = incomingSnapshot?.data else {
            send(Message(type: .snapshotResponse, to: m.from, index: metadata.index, rejectHint: UInt64(total)))
            return
        }
        incomingSnapshot = nil
        if restore(Snapshot(metadata: metadata, data: data)) {
            send(Message(type: .appendResponse, to: m.from, index: log.lastIndex))
        } else {
            send(Message(type: .appendResponse, to: m.from, index: log.committed))
        }
    }

    /// Replaces the log with a snapshot; false if the snapshot is not newer than what we hold.
    func restore(_ snapshot: Snapshot) -> Bool {
        let meta = snapshot.metadata
        if meta.index <= log.committed { return false }
        if log.matchTerm(meta.index, meta.term) {
            // We hold the snapshot's last entry: just fast-forward commit, keep the log.
            log.commitTo(meta.index)
            return false
        }
        log.restore(snapshot)
        snapshotConf = meta.confState
        confHistory = []
        confState = meta.confState
        return true
    }
}
