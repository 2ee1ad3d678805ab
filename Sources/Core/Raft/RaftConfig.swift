/// The knobs of one Raft node. Times are in ticks: the node layer decides how long a tick is.
public struct RaftConfig: Sendable {
    public var id: NodeID
    /// Ticks without hearing from a leader before a follower campaigns. The actual timeout is
    /// drawn from `electionTick ..< 2 * electionTick` each time, so split votes resolve.
    public var electionTick: Int = 10
    /// Ticks between a leader's heartbeats; must be well below `electionTick`.
    public var heartbeatTick: Int = 1
    /// Campaign in two phases, so a node that was partitioned cannot bump the term and depose a
    /// healthy leader when it comes back (dissertation, section 9.6).
    public var preVote: Bool = true
    /// A leader that has not heard from a quorum in an election timeout steps down, and a node
    /// that hears from a leader ignores votes for a while (the leader lease that makes pre-vote
    /// and ReadIndex safe against a partitioned leader).
    public var checkQuorum: Bool = true
    /// The entry bytes in one append message.
    public var maxSizePerMessage: Int = 1 << 20
    /// Flow control: append messages in flight to one follower, and their bytes (0: no limit).
    public var maxInflightMessages: Int = 256
    public var maxInflightBytes: Int = 0
    /// The snapshot bytes in one InstallSnapshot chunk.
    public var snapshotChunkSize: Int = 1 << 20
    /// The committed entry bytes handed out in one `Ready`.
    public var maxApplyingSize: Int = 64 << 20
    /// The index the state machine has durably applied (entries up to it are not handed out
    /// again after a restart).
    public var applied: UInt64 = 0
    /// Seeds the randomized election timeout; a simulation passes its own seed for replays.
    public var randomSeed: UInt64

    public init(id: NodeID, randomSeed: UInt64? = nil) {
        self.id = id
        self.randomSeed = randomSeed ?? id &* 0x9E37_79B9_7F4A_7C15
    }
}
