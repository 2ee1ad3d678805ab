/// The kinds of Raft messages. Local ones (`hup`, `beat`, `checkQuorum`, `unreachable`) never
/// cross the network; the rest are exchanged between nodes.
public enum MessageType: UInt8, Sendable, Equatable {
    /// Local: start an election (pre-vote first if enabled).
    case hup = 0
    /// Local: the leader should send heartbeats.
    case beat = 1
    /// A client proposal (forwarded from a follower to the leader).
    case propose = 2
    /// AppendEntries.
    case append = 3
    case appendResponse = 4
    /// RequestVote.
    case vote = 5
    case voteResponse = 6
    /// Pre-vote: "would you vote for me?", without bumping anyone's term.
    case preVote = 7
    case preVoteResponse = 8
    /// One chunk of an InstallSnapshot.
    case snapshot = 9
    /// How many bytes of the snapshot in flight the follower holds.
    case snapshotResponse = 10
    case heartbeat = 11
    case heartbeatResponse = 12
    /// A linearizable read request (forwarded to the leader) and its answer.
    case readIndex = 13
    case readIndexResponse = 14
    /// Leader transfer: asks the leader to hand over to `from`.
    case transferLeader = 15
    /// Leader transfer: tells the transferee to campaign now.
    case timeoutNow = 16
    /// Local: the transport could not reach `from`.
    case unreachable = 17
}

/// A Raft message. One flat struct, as in etcd, so the transport encodes one shape; fields a
/// type does not use stay at their defaults.
public struct Message: Sendable, Equatable {
    public var type: MessageType
    /// The recipient and the sender (for a forwarded request: the node it is on behalf of).
    public var to: NodeID
    public var from: NodeID
    /// The sender's term; 0 for requests that are local to whoever handles them (proposals and
    /// ReadIndex requests, even when forwarded).
    public var term: UInt64
    /// The term of the entry at `index` (append: the entry before `entries`; vote: the
    /// candidate's last entry; a rejected append's response: the term at `rejectHint`).
    public var logTerm: UInt64
    /// Append: the index before `entries`; append response: the last index the follower holds
    /// (or, rejected, the index it could not match); vote: the candidate's last index;
    /// snapshot response and ReadIndex response: the snapshot index and the read index.
    public var index: UInt64
    public var entries: [Entry]
    /// The leader's commit index (append), or what the leader knows the follower holds of it
    /// (heartbeat), so a follower never commits an entry it does not have.
    public var commit: UInt64
    /// A refused vote, append or snapshot chunk.
    public var reject: Bool
    /// On a rejected append: the index the follower suggests probing next (fast backtracking).
    /// On a snapshot response: the bytes of the snapshot the follower holds.
    public var rejectHint: UInt64
    /// Opaque request context: a ReadIndex request id, or `campaignTransfer` on a vote.
    public var context: [UInt8]
    /// A snapshot chunk (`.snapshot`).
    public var chunk: SnapshotChunk?

    public init(type: MessageType, to: NodeID = 0, from: NodeID = 0, term: UInt64 = 0, logTerm: UInt64 = 0,
                index: UInt64 = 0, entries: [Entry] = [], commit: UInt64 = 0, reject: Bool = false,
                rejectHint: UInt64 = 0, context: [UInt8] = [], chunk: SnapshotChunk? = nil) {
        self.type = type
        self.to = to
        self.from = from
        self.term = term
        self.logTerm = logTerm
        self.index = index
        self.entries = entries
        self.commit = commit
        self.reject = reject
        self.rejectHint = rejectHint
        self.context = context
        self.chunk = chunk
    }

    /// The vote context that lets a leader-transfer election through check-quorum's lease.
    public static let campaignTransfer: [UInt8] = Array("transfer".utf8)

    /// Whether this is a message Raft generates and consumes locally.
    public var isLocal: Bool {
        switch type {
        case .hup, .beat, .unreachable: true
        default: false
        }
    }

    /// The response type that answers a vote or pre-vote request.
    static func voteResponseType(_ type: MessageType) -> MessageType {
        type == .preVote ? .preVoteResponse : .voteResponse
    }

    /// The approximate size on the wire.
    public var byteSize: Int { 64 + entries.byteSize + context.count + (chunk?.data.count ?? 0) }
}
