/// The leader: proposals, replication with flow control, the commit rule, heartbeats and
/// check-quorum, snapshots to lagging followers, leader transfer and ReadIndex.
extension RaftNode {
    func tickHeartbeat() {
        heartbeatElapsed += 1
        electionElapsed += 1
        if electionElapsed >= config.electionTick {
            electionElapsed = 0
            if config.checkQuorum && !checkQuorumActive() {
                // Cut off from a majority: stop acting as leader so clients go elsewhere and
                // ReadIndex cannot be served from a stale view (section 6.2).
                becomeFollower(term: term, leader: 0)
                return
            }
            if leadTransferee != 0 { leadTransferee = 0 }
        }
        guard role == .leader else { return }
        if heartbeatElapsed >= config.heartbeatTick {
            heartbeatElapsed = 0
            broadcastHeartbeat()
        }
    }

    /// Whether a quorum of voters was heard from since the last check; resets the marks.
    private func checkQuorumActive() -> Bool {
        var active = 0
        for voter in confState.voters {
            if voter == id || progress[voter]?.recentActive == true { active += 1 }
        }
        for key in progress.keys where key != id { progress[key]?.recentActive = false }
        return active >= confState.quorum
    }

    func leaderPropose(_ m: Message) throws(RaftError) {
        guard progress[id] != nil else { throw .proposalDropped(reason: "this leader was removed from the group") }
        guard leadTransferee == 0 else { throw .proposalDropped(reason: "leader transfer to \(leadTransferee) in progress") }
        for entry in m.entries where entry.type == .confChange {
            try validateConfChange(entry)
        }
        appendEntries(m.entries)
        broadcastAppend()
    }

    /// Appends entries of the current term to the leader's log. They count towards commit only
    /// once persisted (`advance`).
    func appendEntries(_ entries: [Entry]) {
        var last = log.lastIndex
        var stamped = entries
        for i in stamped.indices {
            last += 1
            stamped[i].term = term
            stamped[i].index = last
        }
        log.append(stamped)
        for entry in stamped where entry.type == .confChange {
            recordConfChange(entry)
        }
    }

    /// Called when the leader's own entries up to `index` are durable.
    func selfPersisted(_ index: UInt64) {
        guard progress[id]?.maybeUpdate(index) == true else { return }
        if maybeCommit() { afterCommit() }
    }

    /// The commit rule (section 5.4.2): the highest index a quorum of voters holds, but only if
    /// it is of the current term; earlier terms' entries commit indirectly (Figure 8).
    func maybeCommit() -> Bool {
        var matches = confState.voters.map { progress[$0]?.match ?? 0 }
        guard !matches.isEmpty else { return false }
        matches.sort(by: >)
        let candidate = matches[confState.quorum - 1]
        guard candidate > log.committed, log.term(candidate) == term else { return false }
        log.commitTo(candidate)
        return true
    }

    private func afterCommit() {
        releasePendingReads()
        if !confState.isVoter(id), let lastConf = confHistory.last?.index, log.committed >= lastConf {
            // This leader's own removal has committed: it steps down (section 4.2.2); the rest
            // of the group elects a new leader.
            becomeFollower(term: term, leader: 0)
            return
        }
        broadcastAppend()
    }

    var committedInCurrentTerm: Bool { log.term(log.committed) == term }

    // MARK: Sending

    func broadcastAppend() {
        for peer in progress.keys.sorted() where peer != id {
            sendAppend(to: peer, sendIfEmpty: true)
        }
    }

    /// Sends the entries `peer` needs next, or a snapshot if they are compacted. Returns whether
    /// a message was sent.
    @discardableResult
    func sendAppend(to peer: NodeID, sendIfEmpty: Bool) -> Bool {
        guard var pr = progress[peer], !pr.isPaused else { return false }
        let prevIndex = pr.next - 1
        guard let prevTerm = log.term(prevIndex),
              let entries = try? log.entries(from: pr.next, maxSize: config.maxSizePerMessage) else {
            return sendSnapshot(to: peer)
        }
        if entries.isEmpty && !sendIfEmpty { return false }
        send(Message(type: .append, to: peer, logTerm: prevTerm, index: prevIndex, entries: entries,
                     commit: log.committed))
        pr.sentCommit = max(pr.sentCommit, min(log.committed, prevIndex + UInt64(entries.count)))
        if let last = entries.last {
            pr.sentEntries(last: last.index, bytes: entries.byteSize)
        } else if pr.state == .probe {
            pr.probeSent = true
        }
        progress[peer] = pr
        return true
    }

    /// Starts (or restarts) sending the latest snapshot to a follower that needs compacted
    /// entries. Only to a follower heard from recently, so a dead one costs nothing.
    private func sendSnapshot(to peer: NodeID) -> Bool {
        guard let pr = progress[peer], pr.recentActive else { return false }
        let snapshot = log.storage.snapshot()
        guard !snapshot.isEmpty else { return false }
        progress[peer]?.becomeSnapshot(index: snapshot.metadata.index)
        sendSnapshotChunk(to: peer)
        return true
    }

    /// Sends the chunk at the offset the follower is known to hold.
    private func sendSnapshotChunk(to peer: NodeID) {
        guard var pr = progress[peer], pr.state == .snapshot else { return }
        let snapshot = log.storage.snapshot()
        if snapshot.metadata.index != pr.pendingSnapshot {
            // Compacted again meanwhile: start over with the newer snapshot.
            pr.becomeSnapshot(index: snapshot.metadata.index)
        }
        let start = min(pr.snapshotOffset, snapshot.data.count)
        let end = min(start + max(config.snapshotChunkSize, 1), snapshot.data.count)
        let chunk = SnapshotChunk(metadata: snapshot.metadata, offset: start, totalSize: snapshot.data.count,
                                  data: Array(snapshot.data[start..<end]))
        progress[peer] = pr
        send(Message(type: .snapshot, to: peer, chunk: chunk))
    }

    func broadcastHeartbeat() {
        let context = readQueue.lastContext ?? []
        for peer in progress.keys.sorted() where peer != id {
            let commit = min(progress[peer]?.match ?? 0, log.committed)
            send(Message(type: .heartbeat, to: peer, commit: commit, context: context))
        }
    }

    // MARK: Responses

    func stepLeader(_ m: Message) {
        switch m.type {
        case .beat:
            broadcastHeartbeat()
            return
        case .readIndex:
            leaderReadIndex(m)
            return
        case .transferLeader:
            leaderTransfer(to: m.from)
            return
        default:
            break
        }
        guard var pr = progress[m.from], m.from != id else { return }
        switch m.type {
        case .appendResponse:
            pr.recentActive = true
            progress[m.from] = pr
            if m.reject {
                var hint = m.rejectHint
                if m.logTerm > 0 { hint = log.findConflictByTerm(index: m.rejectHint, term: m.logTerm) }
                if pr.maybeDecrTo(rejected: m.index, matchHint: hint) {
                    if pr.state == .replicate { pr.becomeProbe() }
                    progress[m.from] = pr
                    sendAppend(to: m.from, sendIfEmpty: true)
                }
                return
            }
            let updated = pr.maybeUpdate(m.index)
            guard updated || (pr.match == m.index && pr.state == .probe) else {
                progress[m.from] = pr
                return
            }
            switch pr.state {
            case .probe:
                pr.becomeReplicate()
            case .snapshot where pr.match + 1 >= log.firstIndex || pr.match >= pr.pendingSnapshot:
                pr.becomeProbe()
                pr.becomeReplicate()
            case .replicate:
                pr.inflights.freeLE(m.index)
            case .snapshot:
                break
            }
            progress[m.from] = pr
            if maybeCommit() {
                afterCommit()
                guard role == .leader else { return }
            }
            if let pr = progress[m.from], pr.canBumpCommit(log.committed) {
                sendAppend(to: m.from, sendIfEmpty: true)
            }
            while sendAppend(to: m.from, sendIfEmpty: false) {}
            if m.from == leadTransferee && progress[m.from]?.match == log.lastIndex {
                send(Message(type: .timeoutNow, to: m.from))
            }
        case .heartbeatResponse:
            pr.recentActive = true
            pr.probeSent = false
            if pr.state == .replicate && pr.inflights.isFull { pr.inflights.freeFirstOne() }
            progress[m.from] = pr
            if pr.state == .snapshot {
                sendSnapshotChunk(to: m.from)
            } else if pr.match < log.lastIndex {
                sendAppend(to: m.from, sendIfEmpty: true)
            }
            if !m.context.isEmpty {
                for request in readQueue.acknowledge(context: m.context, from: m.from, confState: confState) {
                    answerRead(request.context, index: request.index, to: request.from)
                }
            }
        case .snapshotResponse:
            pr.recentActive = true
            guard pr.state == .snapshot, m.index == pr.pendingSnapshot else {
                progress[m.from] = pr
                return
            }
            let held = Int(clamping: m.rejectHint)
            if m.reject || held > pr.snapshotOffset {
                pr.snapshotOffset = held
                progress[m.from] = pr
                sendSnapshotChunk(to: m.from)
            } else {
                progress[m.from] = pr
            }
        case .unreachable:
            if pr.state == .replicate { pr.becomeProbe() }
            progress[m.from] = pr
        default:
            break
        }
    }

    // MARK: Leader transfer

    private func leaderTransfer(to transferee: NodeID) {
        guard let pr = progress[transferee], !pr.isLearner, transferee != id else { return }
        if leadTransferee == transferee { return }
        electionElapsed = 0
        leadTransferee = transferee
        if pr.match == log.lastIndex {
            send(Message(type: .timeoutNow, to: transferee))
        } else {
            sendAppend(to: transferee, sendIfEmpty: true)
        }
    }

    // MARK: ReadIndex

    private func leaderReadIndex(_ m: Message) {
        guard committedInCurrentTerm else {
            // Our commit index may lag the previous leader's until our first entry commits.
            pendingReadRequests.append(m)
            return
        }
        let from = m.from == 0 ? id : m.from
        if confState.voters == [id] {
            answerRead(m.context, index: log.committed, to: from)
            return
        }
        readQueue.add(index: log.committed, from: from, context: m.context, selfID: id)
        let context = m.context
        for peer in progress.keys.sorted() where peer != id {
            let commit = min(progress[peer]?.match ?? 0, log.committed)
            send(Message(type: .heartbeat, to: peer, commit: commit, context: context))
        }
    }

    private func answerRead(_ context: [UInt8], index: UInt64, to requester: NodeID) {
        if requester == id {
            readStates.append(ReadState(index: index, context: context))
        } else {
            send(Message(type: .readIndexResponse, to: requester, index: index, context: context))
        }
    }

    private func releasePendingReads() {
        guard committedInCurrentTerm, !pendingReadRequests.isEmpty else { return }
        let pending = pendingReadRequests
        pendingReadRequests = []
        for request in pending { leaderReadIndex(request) }
    }
}
