/// The leader's view of one follower (or learner): how much of the log it holds and how the
/// leader is currently sending to it.
struct Progress {
    enum State: Equatable {
        /// The leader does not know where the follower's log matches: one append at a time,
        /// moving back on each rejection.
        case probe
        /// The logs match up to `match`: appends are streamed optimistically, bounded by
        /// `inflights`.
        case replicate
        /// The follower needs entries that are compacted: a snapshot is being sent.
        case snapshot
    }

    /// The highest index known to be replicated on the follower.
    var match: UInt64
    /// The next index to send.
    var next: UInt64
    var state: State = .probe
    /// In probe state: an append was sent and no answer came yet.
    var probeSent = false
    /// In snapshot state: the index of the snapshot being sent, and the bytes the follower holds.
    var pendingSnapshot: UInt64 = 0
    var snapshotOffset = 0
    /// The highest commit index sent to the follower, so an acknowledgement that arrives after
    /// the commit moved can be answered with the new commit at once (not at the next heartbeat).
    var sentCommit: UInt64 = 0
    /// Whether the follower answered since the last check-quorum.
    var recentActive = false
    var isLearner: Bool
    var inflights: Inflights

    init(next: UInt64, isLearner: Bool, maxInflight: Int, maxInflightBytes: Int) {
        match = 0
        self.next = next
        self.isLearner = isLearner
        inflights = Inflights(maxCount: maxInflight, maxBytes: maxInflightBytes)
    }

    /// Whether the leader must hold further appends back.
    var isPaused: Bool {
        switch state {
        case .probe: probeSent
        case .replicate: inflights.isFull
        case .snapshot: true
        }
    }

    private mutating func reset(to state: State) {
        probeSent = false
        pendingSnapshot = 0
        snapshotOffset = 0
        self.state = state
        inflights.reset()
    }

    mutating func becomeProbe() {
        if state == .snapshot {
            let pending = pendingSnapshot
            reset(to: .probe)
            next = max(match + 1, pending + 1)
        } else {
            reset(to: .probe)
            next = match + 1
        }
    }

    mutating func becomeReplicate() {
        reset(to: .replicate)
        next = match + 1
    }

    mutating func becomeSnapshot(index: UInt64) {
        reset(to: .snapshot)
        pendingSnapshot = index
    }

    /// Whether sending the leader's `commit` could advance the follower's commit index.
    func canBumpCommit(_ commit: UInt64) -> Bool {
        commit > sentCommit && sentCommit < next - 1
    }

    /// The follower acknowledged `index`; returns whether `match` moved.
    mutating func maybeUpdate(_ index: UInt64) -> Bool {
        var updated = false
        if match < index {
            match = index
            updated = true
            probeSent = false
        }
        next = max(next, index + 1)
        return updated
    }

    /// Optimistically advances `next` after sending entries up to `last` in replicate state.
    mutating func sentEntries(last: UInt64, bytes: Int) {
        switch state {
        case .replicate:
            next = last + 1
            inflights.add(index: last, bytes: bytes)
        case .probe:
            probeSent = true
        case .snapshot:
            break
        }
    }

    /// The follower rejected an append at `rejected`; `matchHint` is the highest index that
    /// may match. Returns false if the rejection is stale (an answer to an older probe).
    mutating func maybeDecrTo(rejected: UInt64, matchHint: UInt64) -> Bool {
        if state == .replicate {
            if rejected <= match { return false }
            next = match + 1
            return true
        }
        if next - 1 != rejected { return false }
        next = max(min(rejected, matchHint + 1), match + 1)
        probeSent = false
        return true
    }
}
