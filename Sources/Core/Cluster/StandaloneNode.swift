/// A node that is the only voter of its Raft group: the standalone server's write path, on
/// the same code as a cluster (DESIGN.md, "A write, end to end").
///
/// A write is a command proposed to Raft; it is acknowledged once its entry is fsynced to the
/// log (for one voter, that is committed), and applied to the indices in log order. Concurrent
/// writes share fsyncs: proposals that arrive while one is being made durable go into the next
/// batch together (group commit). After a crash, opening replays the log after what the
/// indices' commit points hold.
public actor StandaloneNode {
    /// The node's identity.
    public nonisolated let identity: NodeIdentity
    /// The indices.
    public nonisolated let stateMachine: NodeStateMachine

    private let raft: RaftNode
    private let log: DurableRaftLog
    private var waiters: [UInt64: CheckedContinuation<Acknowledgement, any Error>] = [:]
    private var pumping = false
    /// Set when applying failed for a local reason: the node stops applying (a committed entry
    /// is never skipped) and refuses writes until restarted.
    private var failure: (any Error)?

    /// What a write's caller learns: where its command is in the log, and what applying it did.
    public struct Acknowledgement: Sendable, Equatable {
        public var logIndex: UInt64
        public var outcome: NodeStateMachine.Outcome
    }

    /// Opens (or creates) the node whose state is under `root`: `<root>/_node` holds its
    /// identity, Raft log and index catalog.
    public init(root: String, fileIO: any FileIO, registry: Registry, options: IndexWriterOptions = IndexWriterOptions()) throws {
        let nodeDirectory = IndexDirectory(fileIO: fileIO, path: root + "/_node")
        try nodeDirectory.create()
        let (identity, _) = try NodeIdentity.loadOrCreate(in: nodeDirectory)
        let log = try DurableRaftLog.open(directory: root + "/_node/raft", fileIO: fileIO)
        if log.lastIndex == 0 {
            log.save(hardState: RaftBootstrap.hardState(voters: [identity.nodeID]), entries: RaftBootstrap.entries(voters: [identity.nodeID]))
            try log.sync()
        }
        let stateMachine = try NodeStateMachine(root: root, fileIO: fileIO, registry: registry, options: options)
        var config = RaftConfig(id: identity.nodeID)
        // Entries up to what the indices hold durably are not handed out again; the rest are
        // replayed through the ordinary apply path.
        config.applied = min(stateMachine.durableIndex, log.initialState().0.commit)
        let raft = try RaftNode(config: config, storage: log)
        self.identity = identity
        self.stateMachine = stateMachine
        self.log = log
        self.raft = raft
        // A lone voter elects itself as soon as its election timeout passes; run those ticks
        // now rather than wait for a timer.
        var ticks = 0
        while raft.role != .leader && ticks < 10 * max(config.electionTick, 1) {
            raft.tick()
            try Self.drain(raft: raft, log: log, stateMachine: stateMachine) { _, _ in }
            ticks += 1
        }
        guard raft.role == .leader else {
            throw NodeError.notLeader("a standalone node did not elect itself after \(ticks) ticks")
        }
        try Self.drain(raft: raft, log: log, stateMachine: stateMachine) { _, _ in }
    }

    /// The log index of the last entry applied to the indices.
    public var appliedIndex: UInt64 { raft.appliedIndex }

    /// Proposes `command` and returns once it is durable in the log and applied.
    ///
    /// - Throws: `NodeError` when the node cannot take writes (a local failure stopped it);
    ///   the caller answers 503. A command is never acknowledged before its entry is fsynced.
    public func write(_ command: NodeCommand) async throws -> Acknowledgement {
        if let failure { throw NodeError.stopped("\(failure)") }
        try raft.propose(command.encoded())
        let index = raft.lastIndex
        return try await withCheckedThrowingContinuation { continuation in
            waiters[index] = continuation
            schedulePump()
        }
    }

    private func schedulePump() {
        guard !pumping else { return }
        pumping = true
        Task { await self.pump() }
    }

    /// Makes everything proposed so far durable with one fsync and applies it.
    private func pump() {
        pumping = false
        do {
            try Self.drain(raft: raft, log: log, stateMachine: stateMachine) { index, outcome in
                waiters.removeValue(forKey: index)?.resume(returning: Acknowledgement(logIndex: index, outcome: outcome))
            }
        } catch {
            failure = error
            for (_, waiter) in waiters { waiter.resume(throwing: NodeError.stopped("\(error)")) }
            waiters = [:]
        }
    }

    /// Persists, applies and advances until Raft has nothing more to hand out; `acknowledge`
    /// is called for each applied entry, after its fsync.
    private static func drain(raft: RaftNode, log: DurableRaftLog, stateMachine: NodeStateMachine,
                              acknowledge: (UInt64, NodeStateMachine.Outcome) -> Void) throws {
        while raft.hasReady {
            let ready = raft.ready()
            log.save(hardState: ready.hardState, entries: ready.entries)
            if ready.mustSync { try log.sync() }
            // A lone voter sends nothing: there are no peers.
            for entry in ready.committedEntries {
                var outcome = NodeStateMachine.Outcome.applied
                if entry.type == .normal, !entry.data.isEmpty {
                    let command = try NodeCommand.decode(entry.data, source: "raft entry \(entry.index)")
                    outcome = try stateMachine.apply(command, at: entry.index)
                }
                acknowledge(entry.index, outcome)
            }
            raft.advance(ready)
        }
    }

    /// Commits every index (the node's periodic and shutdown commit).
    public func commit() throws {
        try stateMachine.commitAll()
    }

    /// Commits and closes the indices, for a clean shutdown.
    public func close() throws {
        try stateMachine.commitAll()
        stateMachine.close()
    }
}

/// Why a node cannot take a write.
public enum NodeError: Error, Sendable, CustomStringConvertible {
    case notLeader(String)
    case stopped(String)

    public var description: String {
        switch self {
        case .notLeader(let reason): "no leader: \(reason)"
        case .stopped(let reason): "the node stopped applying after a local failure: \(reason)"
        }
    }
}
