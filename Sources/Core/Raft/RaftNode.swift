/// The Raft consensus algorithm for one node, as a pure state machine (etcd's raft design).
///
/// Inputs are `tick()` (logical time), `step(_:)` (a message from a peer), `propose(_:)`,
/// `proposeConfChange(_:)`, `readIndex(context:)` and `transferLeader(to:)`; the output is a
/// `Ready` that says what to persist, send and apply, acknowledged with `advance(_:)`. There is
/// no clock, socket, thread or file inside, so a simulation can drive many nodes
/// deterministically from one seed.
///
/// Not thread-safe: one owner (the node's event loop) calls it. Storage is read-only to it; the
/// owner writes storage when handling a `Ready`.
public final class RaftNode {
    public let id: NodeID
    let config: RaftConfig
    var log: RaftLog

    /// The current term and the vote cast in it (persisted through `Ready.hardState`).
    public internal(set) var term: UInt64 = 0
    public internal(set) var vote: NodeID = 0
    public internal(set) var role: RaftRole = .follower
    /// The leader of `term`, if known.
    public internal(set) var leader: NodeID = 0

    /// The membership of the latest snapshot, and each conf change appended after it with the
    /// membership it produced. The last one is in force (changes take effect when appended), and
    /// truncating the log rolls back to an earlier one.
    var snapshotConf: ConfState
    var confHistory: [(index: UInt64, conf: ConfState)] = []
    public internal(set) var confState: ConfState

    var progress: [NodeID: Progress] = [:]
    var votes: [NodeID: Bool] = [:]
    var messages: [Message] = []
    var readStates: [ReadState] = []
    var readQueue = ReadIndexQueue()
    /// ReadIndex requests that arrived before this leader committed an entry of its term.
    var pendingReadRequests: [Message] = []
    /// The snapshot being received in chunks.
    var incomingSnapshot: (metadata: SnapshotMetadata, data: [UInt8])?

    var electionElapsed = 0
    var heartbeatElapsed = 0
    var randomizedElectionTimeout = 0
    /// The node a leader transfer is handing over to.
    public internal(set) var leadTransferee: NodeID = 0
    var rng: SplitMix64

    private var previousSoftState: SoftState
    private var previousHardState: HardState
    private var readyInFlight = false

    /// Restores a node from its storage (empty storage: a new node). A node in `confState` from
    /// the start bootstraps a group; a joining node starts with an empty membership and learns it
    /// from the leader.
    public init(config: RaftConfig, storage: any RaftStorage) throws(RaftStorageError) {
        precondition(config.id != 0, "node id 0 is reserved for 'none'")
        precondition(config.heartbeatTick > 0 && config.electionTick > config.heartbeatTick, "invalid tick configuration")
        id = config.id
        self.config = config
        rng = SplitMix64(seed: config.randomSeed)
        log = RaftLog(storage: storage, maxApplyingSize: config.maxApplyingSize)
        let (hardState, snapConf) = storage.initialState()
        snapshotConf = snapConf
        confState = snapConf
        previousSoftState = SoftState(leader: 0, role: .follower)
        previousHardState = HardState()
        // The membership: the snapshot's, then every conf change after it (entries the storage
        // still holds before the snapshot index are already part of the snapshot's).
        let firstAfterSnapshot = max(storage.firstIndex, storage.snapshot().metadata.index + 1)
        if storage.lastIndex >= firstAfterSnapshot {
            for entry in try storage.entries(firstAfterSnapshot, storage.lastIndex + 1, maxSize: .max)
            where entry.type == .confChange {
                recordConfChange(entry)
            }
        }
        if !hardState.isEmpty {
            // Storage validates this when it reads the disk; a violation here is a storage bug.
            precondition(hardState.commit <= log.lastIndex,
                         "hard state commit \(hardState.commit) is past the last index \(log.lastIndex)")
            term = hardState.term
            vote = hardState.vote
            log.committed = max(hardState.commit, log.committed)
        }
        if config.applied > 0 { log.appliedTo(min(config.applied, log.committed)) }
        previousHardState = self.hardState
        becomeFollower(term: term, leader: 0)
    }

    // MARK: Inputs

    /// Advances logical time by one tick: followers count towards an election, leaders towards
    /// a heartbeat and the check-quorum deadline.
    public func tick() {
        if role == .leader { tickHeartbeat() } else { tickElection() }
    }

    /// Proposes application data. On a follower it is forwarded to the leader; the entry is
    /// only known to be committed when it comes back in `Ready.committedEntries`.
    public func propose(_ data: [UInt8]) throws(RaftError) {
        try stepProposal(Message(type: .propose, from: id, entries: [Entry(term: 0, index: 0, data: data)]))
    }

    /// Proposes a single-server membership change (see `ConfChange`).
    public func proposeConfChange(_ change: ConfChange) throws(RaftError) {
        try stepProposal(Message(type: .propose, from: id,
                                 entries: [Entry(term: 0, index: 0, type: .confChange, data: change.encoded())]))
    }

    /// Asks for a linearizable read: a `ReadState` with this context appears in a later `Ready`
    /// once it is safe to read at its index. May be dropped (no leader, leadership lost): the
    /// caller retries after a timeout.
    public func readIndex(context: [UInt8]) {
        step(Message(type: .readIndex, from: id, context: context))
    }

    /// Asks the leader to hand leadership to `transferee` (on shutdown, say).
    public func transferLeader(to transferee: NodeID) {
        step(Message(type: .transferLeader, to: leader, from: transferee))
    }

    /// Tells the leader that messages to `peer` could not be delivered, so it stops streaming
    /// to it optimistically.
    public func reportUnreachable(_ peer: NodeID) {
        step(Message(type: .unreachable, from: peer))
    }

    // MARK: Ready

    /// Whether `ready()` has anything to hand out.
    public var hasReady: Bool {
        if readyInFlight { return false }
        if SoftState(leader: leader, role: role) != previousSoftState { return true }
        if hardState != previousHardState { return true }
        return !messages.isEmpty || !log.unstable.entries.isEmpty || log.unstable.snapshot != nil
            || log.hasNextCommittedEntries || !readStates.isEmpty
    }

    var hardState: HardState { HardState(term: term, vote: vote, commit: log.committed) }

    /// What to persist, send and apply now (see `Ready` for the order). Call `advance` when done;
    /// until then this hands out nothing new.
    public func ready() -> Ready {
        precondition(!readyInFlight, "ready() called again before advance()")
        let soft = SoftState(leader: leader, role: role)
        let hard = hardState
        let result = Ready(
            softState: soft != previousSoftState ? soft : nil,
            hardState: hard != previousHardState ? hard : nil,
            entries: log.unstable.entries,
            snapshot: log.unstable.snapshot,
            committedEntries: log.nextCommittedEntries(),
            messages: messages,
            readStates: readStates,
            mustSync: !log.unstable.entries.isEmpty || log.unstable.snapshot != nil
                || hard.term != previousHardState.term || hard.vote != previousHardState.vote)
        previousSoftState = soft
        previousHardState = hard
        messages = []
        readStates = []
        readyInFlight = true
        return result
    }

    /// Records that everything in `ready` was persisted, sent and applied.
    public func advance(_ ready: Ready) {
        precondition(readyInFlight, "advance() without ready()")
        readyInFlight = false
        if let snapshot = ready.snapshot {
            log.unstable.stableSnapshotTo(snapshot.metadata.index)
            log.appliedTo(snapshot.metadata.index)
        }
        if let last = ready.entries.last {
            log.unstable.stableTo(index: last.index, term: last.term)
            // A leader counts its own copy towards commit only once it is durable.
            if role == .leader, log.matchTerm(last.index, last.term) {
                selfPersisted(last.index)
            }
        }
        if let last = ready.committedEntries.last {
            log.appliedTo(last.index)
        }
    }

    // MARK: Status

    /// The highest committed index this node knows.
    public var commitIndex: UInt64 { log.committed }
    /// The highest index handed out for applying.
    public var appliedIndex: UInt64 { log.applied }
    public var lastIndex: UInt64 { log.lastIndex }
    public var firstIndex: UInt64 { log.firstIndex }
    /// The term of the entry at `index`, if the log holds it.
    public func term(at index: UInt64) -> UInt64? { log.term(index) }
    /// The replication progress of each peer, as the leader sees it (empty on followers).
    public var progressMatches: [NodeID: UInt64] { progress.mapValues(\.match) }

    // MARK: Roles

    /// Whether this node may campaign: only voters can.
    var isPromotable: Bool { confState.isVoter(id) }

    func reset(term newTerm: UInt64) {
        if term != newTerm {
            term = newTerm
            vote = 0
        }
        leader = 0
        electionElapsed = 0
        heartbeatElapsed = 0
        randomizedElectionTimeout = config.electionTick + Int(rng.next() % UInt64(config.electionTick))
        leadTransferee = 0
        votes = [:]
        readQueue.reset()
        pendingReadRequests = []
        resetProgress()
    }

    func resetProgress() {
        progress = [:]
        for member in confState.members {
            var pr = Progress(next: log.lastIndex + 1, isLearner: confState.isLearner(member),
                              maxInflight: config.maxInflightMessages, maxInflightBytes: config.maxInflightBytes)
            if member == id {
                pr.match = stableLastIndex
            }
            progress[member] = pr
        }
    }

    /// The last index this node has made durable.
    var stableLastIndex: UInt64 {
        log.unstable.snapshot != nil ? 0 : min(log.unstable.offset - 1, log.lastIndex)
    }

    func becomeFollower(term newTerm: UInt64, leader newLeader: NodeID) {
        reset(term: newTerm)
        leader = newLeader
        role = .follower
    }

    func becomePreCandidate() {
        precondition(role != .leader, "leader cannot become pre-candidate")
        // Pre-vote changes neither the term nor the vote: that is its point.
        votes = [:]
        leader = 0
        role = .preCandidate
    }

    func becomeCandidate() {
        precondition(role != .leader, "leader cannot become candidate")
        reset(term: term + 1)
        vote = id
        role = .candidate
    }

    func becomeLeader() {
        precondition(role == .candidate, "only a candidate becomes leader")
        reset(term: term)
        leader = id
        role = .leader
        progress[id]?.becomeReplicate()
        // The new leader's first entry: committing it commits everything before it (section 5.4.2),
        // and until then the leader changes no membership and answers no ReadIndex.
        appendEntries([Entry(term: term, index: 0)])
    }

    /// Queues a message to send, stamping it with this node's id (unless it is forwarded on
    /// someone's behalf, like a leader transfer naming its transferee) and, for most types, term.
    func send(_ message: Message) {
        var message = message
        if message.from == 0 { message.from = id }
        switch message.type {
        case .vote, .voteResponse, .preVote, .preVoteResponse:
            precondition(message.term != 0, "vote message without term")
        case .propose, .readIndex:
            // Forwarded requests are local to the leader that receives them: no term.
            message.term = 0
        default:
            message.term = term
        }
        messages.append(message)
    }
}
