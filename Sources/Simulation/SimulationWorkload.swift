import Core

/// What a simulated run drives on top of Raft: each node's state machine, the clients that
/// write and read it, and the checks of what the state machines hold.
///
/// The simulation owns the rest (the Raft node loop, the network, the disks, the faults and
/// the Raft invariants), so the same harness runs the small key-value store (`KVWorkload`,
/// which tests Raft itself) and the node's real indices (`NodeWorkload`). A workload sees
/// committed entries in log order, after their fsync, exactly as a node applies them.
protocol SimulationWorkload: AnyObject {
    /// Opens `node`'s state machine from its disk at a (re)start, after its log was opened.
    ///
    /// - Returns: the log index the state machine holds everything up to: Raft hands out
    ///   committed entries after it (`RaftConfig.applied`).
    func open(_ node: SimNode, log: DurableRaftLog, in sim: RaftSimulation) throws -> UInt64

    /// A snapshot `node` must install before it applies anything, left by a crash (nil: none).
    /// Asked once `open` returned and Raft started.
    func pendingInstall(_ node: SimNode, in sim: RaftSimulation) -> UInt64?

    /// `node` is about to lose power: its in-memory state goes, and its clients get no answer.
    func crashing(_ node: SimNode, in sim: RaftSimulation)

    /// A Raft snapshot arrived at `node` and is about to be saved in its log: what must be
    /// durable first (ClusterNode's install marker).
    func receiving(_ snapshot: Snapshot, on node: SimNode, in sim: RaftSimulation) throws

    /// One step of installing the snapshot at `index` on `node` (its log holds the snapshot,
    /// unless a crash came first), called once per time unit until it returns true: then the
    /// state machine holds everything up to `index`, and the node goes on applying.
    func installStep(_ index: UInt64, on node: SimNode, log: DurableRaftLog, in sim: RaftSimulation) throws -> Bool

    /// Applies the committed entry `entry` (normal or a membership change) on `node`: the next
    /// after `node.appliedIndex`.
    func apply(_ entry: Entry, on node: SimNode, in sim: RaftSimulation) throws

    /// After a Ready was advanced: answers what waited for it (reads), and compacts the log if due.
    func advanced(_ node: SimNode, log: DurableRaftLog, readStates: [ReadState], in sim: RaftSimulation) throws

    /// Once per time unit: the clients, and the state machines' own schedules.
    func step(in sim: RaftSimulation)

    /// Whether every client operation was answered or given up (the run may end).
    func isQuiet(in sim: RaftSimulation) -> Bool

    /// After healing, when every member applied the whole log: what the state machines must hold.
    func checkFinal(members: [NodeID], leader: SimNode, in sim: RaftSimulation)
}
