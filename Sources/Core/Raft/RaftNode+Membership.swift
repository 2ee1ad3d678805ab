/// Membership: single-server changes that take effect when appended (dissertation, chapter 4).
extension RaftNode {
    /// Applies a conf change entry just appended to the log.
    func recordConfChange(_ entry: Entry) {
        guard let change = ConfChange.decode(entry.data) else { return }
        let next = confState.applying(change)
        confHistory.append((entry.index, next))
        membershipChanged()
    }

    /// The log from `index` on was replaced by `appended` (a follower's conflict resolution):
    /// roll the membership back to what the surviving prefix says, then apply the new entries.
    func logChanged(from index: UInt64, appended: [Entry]) {
        let before = confState
        confHistory.removeAll { $0.index >= index }
        confState = confHistory.last?.conf ?? snapshotConf
        for entry in appended where entry.index >= index && entry.type == .confChange {
            if let change = ConfChange.decode(entry.data) {
                confHistory.append((entry.index, confState.applying(change)))
                confState = confHistory.last?.conf ?? confState
            }
        }
        if confState != before { membershipChanged() }
    }

    private func membershipChanged() {
        confState = confHistory.last?.conf ?? snapshotConf
        guard role == .leader else { return }
        // Track newcomers from the end of our log (they probe back), forget removed nodes.
        for member in confState.members where progress[member] == nil {
            var pr = Progress(next: log.lastIndex + 1, isLearner: confState.isLearner(member),
                              maxInflight: config.maxInflightMessages, maxInflightBytes: config.maxInflightBytes)
            pr.recentActive = true
            progress[member] = pr
        }
        for member in progress.keys where !confState.contains(member) && member != id {
            progress[member] = nil
        }
        if !confState.contains(id) { progress[id] = nil }
        for member in confState.members { progress[member]?.isLearner = confState.isLearner(member) }
        if leadTransferee != 0 && !confState.isVoter(leadTransferee) { leadTransferee = 0 }
    }

    /// The leader's rules for accepting a change: one at a time (the previous one committed),
    /// only after committing an entry of its own term (so a change of an earlier leader that
    /// this one does not know about cannot be committed beside its own), and never leaving the
    /// group without voters.
    func validateConfChange(_ entry: Entry) throws(RaftError) {
        guard let change = ConfChange.decode(entry.data) else {
            throw .confChangeRejected(reason: "undecodable conf change")
        }
        if let pending = confHistory.last?.index, pending > log.committed {
            throw .confChangeRejected(reason: "conf change at \(pending) is not committed yet")
        }
        guard committedInCurrentTerm else {
            throw .confChangeRejected(reason: "leader has not committed an entry of term \(term) yet")
        }
        if confState.removed.contains(change.nodeID) {
            throw .confChangeRejected(reason: "node id \(change.nodeID) was removed; ids are never reused")
        }
        switch change.type {
        case .addLearner:
            if confState.contains(change.nodeID) {
                throw .confChangeRejected(reason: "node \(change.nodeID) is already a member")
            }
        case .addVoter:
            if confState.isVoter(change.nodeID) {
                throw .confChangeRejected(reason: "node \(change.nodeID) is already a voter")
            }
        case .removeNode:
            if !confState.contains(change.nodeID) {
                throw .confChangeRejected(reason: "node \(change.nodeID) is not a member")
            }
            if confState.voters == [change.nodeID] {
                throw .confChangeRejected(reason: "cannot remove the last voter")
            }
        }
    }
}
