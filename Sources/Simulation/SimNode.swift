import Core

/// One simulated server: the real `RaftNode` and `DurableRaftLog` (over a `SimulatedFileIO`
/// that loses unsynced writes at a crash), and the node loop's state as it handles each `Ready`
/// in the order the contract requires, with disk latency in between so a crash can fall between
/// a write and its fsync. Its state machine belongs to the workload (`SimulationWorkload`),
/// on the same disk.
final class SimNode {
    enum Phase {
        case idle
        /// The Ready's records are buffered; the write happens at `at`.
        case writing(Ready, at: Int)
        /// Written, not yet fsynced; the fsync completes at `at`.
        case syncing(Ready, at: Int)
        /// Installing the snapshot at `index` (the workload's steps); then the Ready that
        /// carried it is finished (nil: a restart resumed an install a crash interrupted).
        case installing(Ready?, index: UInt64)
    }

    let id: NodeID
    let fileIO: SimulatedFileIO
    let directory = "/raft"
    var raft: RaftNode?
    var log: DurableRaftLog?
    var appliedIndex: UInt64 = 0
    var phase = Phase.idle
    /// The hard state known durable (fsync returned); a restart must not recover less.
    var durableTerm: UInt64 = 0
    var durableCommit: UInt64 = 0
    /// Within one process lifetime, term and commit must never go backwards.
    var seenTerm: UInt64 = 0
    var seenCommit: UInt64 = 0
    let tickPhase: Int
    /// Time units between this node's ticks: clocks run at slightly different rates.
    let tickInterval: Int
    var restartAt: Int?
    /// Set once the node is removed from the group; it is never restarted or reused.
    var removed = false
    /// Armed to lose power in the middle of one of its next disk operations (a snapshot
    /// install, a compaction, a segment rotation...), not between them.
    var crashDuringIO = false

    var isUp: Bool { raft != nil }

    init(id: NodeID, fileIO: SimulatedFileIO, tickPhase: Int, tickInterval: Int) {
        self.id = id
        self.fileIO = fileIO
        self.tickPhase = tickPhase
        self.tickInterval = max(1, tickInterval)
    }

    func raftConfig(seed: UInt64, options: SimulationOptions, applied: UInt64) -> RaftConfig {
        var config = RaftConfig(id: id, randomSeed: seed)
        config.electionTick = 10
        config.heartbeatTick = 2
        config.maxSizePerMessage = 400
        config.maxInflightMessages = 4
        config.maxInflightBytes = 8192
        config.snapshotChunkSize = options.snapshotChunkSize
        config.applied = applied
        return config
    }

    /// Starts (or restarts) the node from what its disk holds: its log, then its state machine
    /// (`openStateMachine` returns the index it holds everything up to), then Raft.
    func start(seed: UInt64, options: SimulationOptions, bootstrap: [NodeID]?,
               openStateMachine: (DurableRaftLog) throws -> UInt64) throws {
        let log = try DurableRaftLog.open(directory: directory, fileIO: fileIO, segmentSize: options.segmentSize)
        if let voters = bootstrap, log.lastIndex == 0 {
            log.save(hardState: RaftBootstrap.hardState(voters: voters), entries: RaftBootstrap.entries(voters: voters))
            try log.sync()
        }
        let applied = try openStateMachine(log)
        do {
            let raft = try RaftNode(config: raftConfig(seed: seed, options: options, applied: applied), storage: log)
            self.raft = raft
            // Never below the log's snapshot: Raft hands out nothing at or before it.
            appliedIndex = raft.appliedIndex
        } catch {
            throw StoreError.corrupt(path: directory, offset: nil, reason: "storage unreadable: \(error)")
        }
        self.log = log
        phase = .idle
        seenTerm = raft?.term ?? 0
        seenCommit = raft?.commitIndex ?? 0
    }

    /// Power loss: everything in memory is gone, unsynced file data is damaged or lost.
    func crash() {
        raft = nil
        try? log?.close()
        log = nil
        phase = .idle
        fileIO.powerLoss()
    }
}
