import Foundation
import Logging
import Synchronization

/// A node: the indices as the state machine of a Raft group (DESIGN.md, "A write, end to
/// end"). Standalone, it is the only voter of its group; in a cluster its peers are reached
/// through a `PeerNetwork` (`attach(network:)`), on the same code path.
///
/// A write is a command proposed to Raft; it is acknowledged once its entry is committed
/// (durable on a quorum; for one voter, fsynced to its log) and applied to the indices in log
/// order. A follower forwards writes to the leader. Concurrent writes share fsyncs: proposals
/// that arrive while one is being made durable go into the next batch together (group
/// commit). After a crash, opening replays the log after what the indices' commit points hold.
///
/// Background work (Raft ticks, refresh, commit, log compaction, joining) runs in
/// `runMaintenance()`; the server runs it as a task of its own and cancels it at shutdown,
/// then calls `close()`.
public actor ClusterNode {
    /// The node's id, never reused.
    public nonisolated let nodeID: NodeID
    nonisolated let clusterIDValue: Atomic<UInt64>
    /// The node's identity (the cluster id changes once, when a new node joins).
    public nonisolated var identity: NodeIdentity {
        NodeIdentity(nodeID: nodeID, clusterID: clusterIDValue.load(ordering: .acquiring))
    }
    /// The indices.
    public nonisolated let stateMachine: NodeStateMachine
    /// The tunables the node was opened with.
    public nonisolated let options: NodeOptions
    /// The directory the node lives in (`--index-dir`).
    public nonisolated let root: String

    let fileIO: any FileIO
    let raft: RaftNode
    let log: DurableRaftLog
    let logger = Logger(label: "cockatrice.node")
    /// When the node was opened, for the status's `uptime`.
    let openedAt = ContinuousClock.now
    /// Readiness, readable without the actor (health checks must not queue behind writes):
    /// replayed and not stopped, and a leader known.
    private nonisolated let ready = Atomic<Bool>(false)
    nonisolated let leaderKnown = Atomic<Bool>(false)
    let nodeDirectory: IndexDirectory
    /// How the node reaches its peers; nil for a lone node without a peer transport.
    var network: (any PeerNetwork)?
    /// Where each member is reached (from the membership changes in the log).
    var peers: PeerAddressBook
    /// Set while a node started with `--seed-addr` and no state has not been added yet.
    var joining: Bool

    /// The writes waiting for their entries to be applied: each log index maps to its batch.
    private var batchOfEntry: [UInt64: Int] = [:]
    private var batches: [Int: WriteBatch] = [:]
    private var nextWaiterID = 0
    private var pumping = false
    /// Set when applying failed for a local reason: the node stops applying (a committed entry
    /// is never skipped) and refuses writes until restarted.
    var failure: (any Error)?
    /// Set by `close()`: no more writes, and the background services stop touching the indices.
    var closed = false

    /// The Raft snapshot this node must install before it applies anything more (see
    /// ClusterNode+Install), the Ready that carried it, and the task fetching it.
    var installing: SnapshotMetadata?
    var pendingReady: Ready?
    var installTask: Task<Void, Never>?
    /// Set while `NodeStateMachine.install` runs on its thread (the indices are being replaced).
    var swapping = false
    var installCount = 0
    /// The snapshot transfers this node serves to followers.
    nonisolated let transferSessions = TransferSessions()

    /// Linearizable reads waiting for the leader to confirm its commit index, by context.
    var readWaiters: [[UInt8]: CheckedContinuation<UInt64, any Error>] = [:]
    var nextReadID: UInt64 = 0

    /// Callers of `waitForApplied`, by waiter id.
    var appliedWaiters: [Int: AppliedWaiter] = [:]

    /// The applied index that the last finished refresh covers: every entry at or below it is
    /// visible to new searcher snapshots.
    var searchableIndex: UInt64 = 0
    /// The refresh running now, which every `sync` waiter whose entry it covers shares.
    var refreshTask: Task<Void, any Error>?
    var refreshTarget: UInt64 = 0
    var refreshCount = 0

    /// Entry bytes applied since the last commit (the commit-by-size schedule).
    var logBytesSinceCommit = 0
    var commitCount = 0
    var compactionCount = 0
    /// When each peer's link was last seen up (the compaction grace).
    var lastConnected: [NodeID: ContinuousClock.Instant] = [:]
    var lastCompaction = ContinuousClock.now
    var leaderChanges = 0
    private var lastLeader: NodeID = 0

    /// What a write's caller learns: where its command is in the log, and what applying it did.
    public struct Acknowledgement: Sendable, Equatable {
        /// The command's entry in the log (API.md: `log_index`).
        public var logIndex: UInt64
        /// What applying it did (a refusal is the same on every node).
        public var outcome: NodeStateMachine.Outcome
    }

    /// The acknowledgements of commands proposed together, filled in as they are applied.
    private struct WriteBatch {
        var first: UInt64
        /// The term the entries were proposed in: an entry applied at one of these indices with
        /// another term is a different entry (the proposal was lost in a leader change).
        var term: UInt64
        var acknowledgements: [Acknowledgement?]
        var remaining: Int
        let continuation: CheckedContinuation<[Acknowledgement], any Error>
        var timer: Task<Void, Never>?
    }

    struct AppliedWaiter {
        let index: UInt64
        let continuation: CheckedContinuation<Bool, Never>
        let timer: Task<Void, Never>
    }

    /// Opens (or creates) the node whose state is under `root`: `<root>/_node` holds its
    /// identity, Raft log and index catalog. Replays the log after what the indices' commit
    /// points hold and refreshes, so when it returns the node is ready and searches see every
    /// acknowledged write.
    public init(root: String, fileIO: any FileIO, registry: Registry, options: NodeOptions) throws {
        let nodeDirectory = IndexDirectory(fileIO: fileIO, path: root + "/_node")
        if nodeDirectory.exists(NodeBackup.restoreMarker) {
            throw NodeRestoreError.incomplete(root: root)
        }
        try nodeDirectory.create()
        let (identity, _) = try NodeIdentity.loadOrCreate(in: nodeDirectory)
        let log = try DurableRaftLog.open(directory: root + "/_node/raft", fileIO: fileIO)
        var peers = try PeerAddressBook.load(in: nodeDirectory)
        var joining = false
        if !peers.addresses.isEmpty || log.lastIndex > 0, peers[identity.nodeID] != options.advertisedAddress {
            // Started with another --host/--port than last time (or restored from a backup):
            // this node is reached where it says it is now.
            peers.set(identity.nodeID, options.advertisedAddress)
            try peers.save(in: nodeDirectory)
        }
        if log.lastIndex == 0 {
            if options.seedAddress == nil {
                // No state and no seed: this node founds a new cluster, with its address in the
                // founding entry so that nodes that join later learn where it is.
                let founding = ConfChange(type: .addVoter, nodeID: identity.nodeID,
                                          context: PeerAddressBook.context(address: options.advertisedAddress, components: options.components))
                log.save(hardState: RaftBootstrap.hardState(voters: [identity.nodeID]),
                         entries: [Entry(term: 1, index: 1, type: .confChange, data: founding.encoded())])
                try log.sync()
                peers.set(identity.nodeID, options.advertisedAddress)
                peers.setComponents(identity.nodeID, options.components)
                try peers.save(in: nodeDirectory)
            } else {
                // No state and a seed: wait to be added (runMaintenance asks the seed).
                joining = true
            }
        }
        // The node refreshes on its own schedule, so it knows which log index a refresh covers.
        var writerOptions = options.writer
        writerOptions.refreshInterval = nil
        let stateMachine = try NodeStateMachine(root: root, fileIO: fileIO, registry: registry, options: writerOptions)
        // A snapshot received before a crash and not yet in the indices: install it before
        // applying anything (unless the indices already hold it: the crash came after the swap).
        var mustInstall: UInt64?
        if let index = try Self.pendingInstall(in: nodeDirectory) {
            if stateMachine.durableIndex >= index {
                try nodeDirectory.delete(Self.installMarker)
            } else {
                mustInstall = index
            }
        }
        var config = RaftConfig(id: identity.nodeID)
        // Entries up to what the indices hold durably are not handed out again; the rest are
        // replayed through the ordinary apply path. (Raft never hands out entries at or below
        // its snapshot: after a compaction or a restore they are not in the log.)
        config.applied = min(stateMachine.durableIndex, log.initialState().0.commit)
        config.electionTick = options.electionTick
        config.heartbeatTick = options.heartbeatTick
        let raft = try RaftNode(config: config, storage: log)
        self.nodeID = identity.nodeID
        self.clusterIDValue = Atomic(identity.clusterID)
        self.nodeDirectory = nodeDirectory
        self.peers = peers
        self.joining = joining
        self.stateMachine = stateMachine
        self.options = options
        self.root = root
        self.fileIO = fileIO
        self.log = log
        self.raft = raft
        if let mustInstall {
            // Nothing is replayed onto indices that lack the snapshot; the Raft clock starts
            // the fetch once the peer transport is attached.
            installing = SnapshotMetadata(index: mustInstall)
            ready.store(true, ordering: .releasing)
            return
        }
        // Replay what the log holds beyond the indices' commit points (a restarted cluster
        // member applies what it knows is committed; the rest comes from the leader).
        try Self.drain(raft: raft, log: log, stateMachine: stateMachine, send: { _ in }, confChange: { _ in }, readStates: { _ in }) { _, _, _, _ in }
        // A lone voter elects itself as soon as its election timeout passes; run those ticks
        // now rather than wait for a timer.
        if raft.confState.voters == [identity.nodeID] {
            var ticks = 0
            while raft.role != .leader && ticks < 10 * max(config.electionTick, 1) {
                raft.tick()
                try Self.drain(raft: raft, log: log, stateMachine: stateMachine, send: { _ in }, confChange: { _ in }, readStates: { _ in }) { _, _, _, _ in }
                ticks += 1
            }
            guard raft.role == .leader else {
                throw NodeError.notLeader("a standalone node did not elect itself after \(ticks) ticks")
            }
            try Self.drain(raft: raft, log: log, stateMachine: stateMachine, send: { _ in }, confChange: { _ in }, readStates: { _ in }) { _, _, _, _ in }
            lastLeader = raft.leader
            leaderChanges = 1
            leaderKnown.store(true, ordering: .releasing)
        }
        // What was replayed sits in the writers' buffers; publish it now.
        try stateMachine.refreshAll()
        searchableIndex = raft.appliedIndex
        ready.store(true, ordering: .releasing)
    }

    /// Opens the node with default node options and these writer options (tests and tools).
    public init(root: String, fileIO: any FileIO, registry: Registry, options: IndexWriterOptions = IndexWriterOptions()) throws {
        var nodeOptions = NodeOptions()
        nodeOptions.writer = options
        try self.init(root: root, fileIO: fileIO, registry: registry, options: nodeOptions)
    }

    /// Readiness: true once the log has been replayed (when `init` returns), and false for good
    /// after a local apply failure stopped the node. Readable without awaiting the actor.
    public nonisolated var isReady: Bool { ready.load(ordering: .acquiring) && leaderKnown.load(ordering: .acquiring) }

    /// Why the node is not ready, for the readiness answer (nil when it is ready).
    public var notReadyReason: String? {
        if let failure { return "stopped after a local failure: \(failure)" }
        if closed { return "closed" }
        if let installing { return "installing a snapshot of log index \(installing.index) from the leader" }
        return Self.clusterReadiness(joining: joining, leader: raft.leader, isLeader: raft.role == .leader,
                                     commit: raft.commitIndex, applied: raft.appliedIndex, maxLag: options.readyLagEntries)
    }

    /// Why a member cannot serve yet, from what Raft knows (nil: it can): it has no leader, it
    /// waits to be added, or, as a follower, it is more than `maxLag` entries behind the commit
    /// index its leader told it (a restarted or new member catching up), so reads there would
    /// be far behind the cluster's.
    static func clusterReadiness(joining: Bool, leader: NodeID, isLeader: Bool, commit: UInt64, applied: UInt64,
                                 maxLag: Int) -> String? {
        if joining { return "waiting to be added to the cluster" }
        if leader == 0 { return "no leader" }
        if !isLeader, commit > applied + UInt64(max(maxLag, 0)) {
            return "catching up: applied \(applied) of \(commit) committed entries"
        }
        return nil
    }

    /// The log index of the last entry applied to the indices.
    public var appliedIndex: UInt64 { raft.appliedIndex }

    /// Proposes `command` and returns once it is durable in the log and applied.
    ///
    /// - Throws: `NodeError` when the node cannot take writes (a local failure stopped it);
    ///   the caller answers 503. A command is never acknowledged before its entry is fsynced.
    public func write(_ command: NodeCommand) async throws -> Acknowledgement {
        let acknowledgements = try await write([command])
        guard let acknowledgement = acknowledgements.first else {
            throw NodeError.notLeader("the command was not proposed")
        }
        return acknowledgement
    }

    /// Proposes all commands (a bulk split into ~1 MiB entries, say) together, so they share one
    /// fsync; returns one acknowledgement per command, in order, once all are applied.
    ///
    /// - Throws: `NodeError` when the node cannot take writes. If it throws after some commands
    ///   were proposed, their outcome is unknown to the caller (API.md: 503 `outcome_unknown`).
    public func write(_ commands: [NodeCommand]) async throws -> [Acknowledgement] {
        if commands.isEmpty { return [] }
        if let failure { throw NodeError.stopped("\(failure)") }
        if closed { throw NodeError.stopped("the node is closed") }
        if raft.role != .leader { return try await forward(commands) }
        // On a leader each proposal is appended right away, so the batch's entries are
        // consecutive and nothing else can come between them (this runs without suspending).
        let first = raft.lastIndex + 1
        let term = raft.term
        for command in commands {
            do {
                try raft.propose(command.encoded())
            } catch {
                throw NodeError.notLeader("\(error)")
            }
        }
        guard raft.lastIndex == first + UInt64(commands.count) - 1 else {
            throw NodeError.notLeader("the proposals were not appended as one run of the log")
        }
        let id = nextWaiterID
        nextWaiterID += 1
        let timeout = options.writeTimeout
        return try await withCheckedThrowingContinuation { continuation in
            // A leader cut off from its quorum never commits; its caller learns the outcome is
            // unknown rather than waiting forever.
            let timer = Task {
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                self.failBatch(id, NodeError.outcomeUnknown("entries from \(first) were not committed within \(timeout)"))
            }
            batches[id] = WriteBatch(first: first, term: term, acknowledgements: Array(repeating: nil, count: commands.count),
                                     remaining: commands.count, continuation: continuation, timer: timer)
            for index in first..<(first + UInt64(commands.count)) { batchOfEntry[index] = id }
            schedulePump()
        }
    }

    private func failBatch(_ id: Int, _ error: NodeError) {
        guard let batch = batches.removeValue(forKey: id) else { return }
        batch.timer?.cancel()
        for index in batch.first..<(batch.first + UInt64(batch.acknowledgements.count)) where batchOfEntry[index] == id {
            batchOfEntry[index] = nil
        }
        batch.continuation.resume(throwing: error)
    }

    private func schedulePump() {
        guard !pumping else { return }
        pumping = true
        Task { self.pump() }
    }

    /// Makes everything proposed so far durable with one fsync, sends what Raft has to send,
    /// and applies what is committed.
    func pump() {
        pumping = false
        guard failure == nil, !closed, installing == nil else { return }
        let network = network
        do {
            while let snapshotReady = try Self.drain(raft: raft, log: log, stateMachine: stateMachine, nodeDirectory: nodeDirectory,
                                                     send: { network?.send($0) }, confChange: { try applyMembership($0) },
                                                     readStates: { resolveReads($0) }, acknowledge: { index, term, bytes, outcome in
                logBytesSinceCommit += bytes
                acknowledge(Acknowledgement(logIndex: index, outcome: outcome), term: term)
            }), let snapshot = snapshotReady.snapshot {
                try adoptMembership(of: snapshot)
                guard stateMachine.durableIndex < snapshot.metadata.index else {
                    // The indices hold it already (an install that just finished fetched more):
                    // nothing to stream.
                    try nodeDirectory.delete(Self.installMarker)
                    try finish(snapshotReady)
                    continue
                }
                beginInstall(snapshot.metadata, pending: snapshotReady)
                return
            }
        } catch {
            stop(after: error)
        }
        if raft.leader != lastLeader {
            lastLeader = raft.leader
            leaderChanges += 1
            logger.info("leader changed", metadata: ["leader": "\(raft.leader)", "term": "\(raft.term)", "self": "\(nodeID)"])
        }
        leaderKnown.store(Self.clusterReadiness(joining: joining, leader: raft.leader, isLeader: raft.role == .leader,
                                                commit: raft.commitIndex, applied: raft.appliedIndex,
                                                maxLag: options.readyLagEntries) == nil, ordering: .releasing)
        let applied = raft.appliedIndex
        for (id, waiter) in appliedWaiters where waiter.index <= applied {
            appliedWaiters[id] = nil
            waiter.timer.cancel()
            waiter.continuation.resume(returning: true)
        }
    }

    private func acknowledge(_ acknowledgement: Acknowledgement, term: UInt64) {
        guard let id = batchOfEntry.removeValue(forKey: acknowledgement.logIndex), var batch = batches[id] else { return }
        guard term == batch.term else {
            // Another leader's entry took this index: the proposal was lost.
            failBatch(id, NodeError.outcomeUnknown("log index \(acknowledgement.logIndex) holds another leader's entry"))
            return
        }
        batch.acknowledgements[Int(acknowledgement.logIndex - batch.first)] = acknowledgement
        batch.remaining -= 1
        if batch.remaining == 0 {
            batches[id] = nil
            batch.timer?.cancel()
            batch.continuation.resume(returning: batch.acknowledgements.compactMap { $0 })
        } else {
            batches[id] = batch
        }
    }

    /// A local failure while persisting or applying: the node stops for good (DESIGN.md: a
    /// committed entry is never skipped), says it is not ready, and fails every waiter.
    func stop(after error: any Error) {
        failure = error
        ready.store(false, ordering: .releasing)
        logger.critical("the node stopped applying the log", metadata: ["error": "\(error)"])
        for (_, batch) in batches {
            batch.timer?.cancel()
            batch.continuation.resume(throwing: NodeError.stopped("\(error)"))
        }
        batches = [:]
        batchOfEntry = [:]
        for (_, waiter) in appliedWaiters {
            waiter.timer.cancel()
            waiter.continuation.resume(returning: false)
        }
        appliedWaiters = [:]
    }

    /// Persists, sends, applies and advances until Raft has nothing more to hand out (etcd's
    /// order: messages leave only after the state they depend on is durable); `acknowledge` is
    /// called for each applied entry (its index, term, bytes and outcome), after its fsync, and
    /// `confChange` for each committed membership change.
    ///
    /// - Returns: a Ready carrying a snapshot from the leader, persisted and its messages sent
    ///   but not finished: the indices must install the snapshot first (`beginInstall`), then
    ///   `finish` it.
    @discardableResult
    private static func drain(raft: RaftNode, log: DurableRaftLog, stateMachine: NodeStateMachine, nodeDirectory: IndexDirectory? = nil,
                              send: ([Message]) -> Void, confChange: (ConfChange) throws -> Void,
                              readStates: ([ReadState]) -> Void,
                              acknowledge: (UInt64, UInt64, Int, NodeStateMachine.Outcome) -> Void) throws -> Ready? {
        while raft.hasReady {
            let ready = raft.ready()
            if let snapshot = ready.snapshot {
                guard let nodeDirectory else {
                    throw NodeError.stopped("a Raft snapshot arrived while the node was opening")
                }
                // The marker first: from here a crash reopens the node to install the snapshot
                // before it applies anything.
                try writeInstallMarker(snapshot.metadata.index, in: nodeDirectory)
                try log.applySnapshot(snapshot)
            }
            log.save(hardState: ready.hardState, entries: ready.entries)
            if ready.mustSync { try log.sync() }
            if !ready.messages.isEmpty { send(ready.messages) }
            if ready.snapshot != nil { return ready }
            try finish(ready, raft: raft, stateMachine: stateMachine, confChange: confChange, readStates: readStates, acknowledge: acknowledge)
        }
        return nil
    }

    /// Applies a Ready's committed entries in order, serves its reads and advances Raft.
    private static func finish(_ ready: Ready, raft: RaftNode, stateMachine: NodeStateMachine, confChange: (ConfChange) throws -> Void,
                               readStates: ([ReadState]) -> Void,
                               acknowledge: (UInt64, UInt64, Int, NodeStateMachine.Outcome) -> Void) throws {
        for entry in ready.committedEntries {
            var outcome = NodeStateMachine.Outcome.applied
            if entry.type == .normal, !entry.data.isEmpty {
                let command = try NodeCommand.decode(entry.data, source: "raft entry \(entry.index)")
                outcome = try stateMachine.apply(command, at: entry.index)
            } else if entry.type == .confChange, let change = ConfChange.decode(entry.data) {
                try confChange(change)
            }
            acknowledge(entry.index, entry.term, entry.data.count, outcome)
        }
        if !ready.readStates.isEmpty { readStates(ready.readStates) }
        raft.advance(ready)
    }

    /// Finishes the Ready whose snapshot was just installed.
    func finish(_ ready: Ready) throws {
        try Self.finish(ready, raft: raft, stateMachine: stateMachine, confChange: { try applyMembership($0) },
                        readStates: { resolveReads($0) }) { index, term, bytes, outcome in
            logBytesSinceCommit += bytes
            acknowledge(Acknowledgement(logIndex: index, outcome: outcome), term: term)
        }
    }

    // MARK: Waiting

    /// For `GET /cluster?wait_for_applied=N&timeout=T`: true once this node has applied `index`,
    /// false when `timeout` passes first (or the node stopped).
    public func waitForApplied(_ index: UInt64, timeout: Duration) async -> Bool {
        if raft.appliedIndex >= index { return true }
        if failure != nil { return false }
        let id = nextWaiterID
        nextWaiterID += 1
        return await withCheckedContinuation { continuation in
            let timer = Task {
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                self.expireAppliedWaiter(id)
            }
            appliedWaiters[id] = AppliedWaiter(index: index, continuation: continuation, timer: timer)
        }
    }

    private func expireAppliedWaiter(_ id: Int) {
        appliedWaiters.removeValue(forKey: id)?.continuation.resume(returning: false)
    }

    /// For `sync=true`: returns once the entry at `logIndex` is applied and a refresh that covers
    /// it has published it to searchers. Waiters share refreshes: one already running that
    /// covers the entry is awaited, else one is started for everything applied so far, so any
    /// number of concurrent waiters cause one or two refreshes, not one each.
    ///
    /// - Throws: `NodeError` if the entry is not in the log or the node stopped; the refresh's
    ///   error if it failed.
    public func waitUntilSearchable(_ logIndex: UInt64) async throws {
        if raft.appliedIndex < logIndex {
            // On a follower a forwarded write's entry may not have arrived yet: wait for it.
            guard await waitForApplied(logIndex, timeout: .seconds(60)) else {
                if let failure { throw NodeError.stopped("\(failure)") }
                throw NodeError.timedOut("entry \(logIndex) was not applied within 60 seconds")
            }
        }
        while searchableIndex < logIndex {
            if let running = refreshTask, refreshTarget >= logIndex {
                try await running.value
            } else if let running = refreshTask {
                // It started before this entry was applied: the next one covers it.
                _ = try? await running.value
            } else {
                try await startRefresh().value
            }
        }
    }

    /// Starts a refresh of every index covering everything applied so far. The flushing runs
    /// off the actor, on a thread of its own (it writes segment files), so writes go on
    /// meanwhile.
    @discardableResult
    func startRefresh() -> Task<Void, any Error> {
        let target = raft.appliedIndex
        let machine = stateMachine
        let task = Task {
            defer { self.refreshTask = nil }
            try await BlockingWork.run { try machine.refreshAll() }
            self.searchableIndex = max(self.searchableIndex, target)
            self.refreshCount += 1
        }
        refreshTask = task
        refreshTarget = target
        return task
    }

    // MARK: Commit and shutdown

    /// Commits every index (the node's periodic, size-triggered and shutdown commit): a restart
    /// replays only the log after it, and the log before it may be compacted.
    public func commit() throws {
        // Indices being replaced by a snapshot have nothing to commit, and the old catalog must
        // not be saved over the one the swap puts in place.
        guard installing == nil else { return }
        try stateMachine.commitAll()
        logBytesSinceCommit = 0
        commitCount += 1
    }

    /// Commits and closes the indices, for a clean shutdown (after `runMaintenance` returned).
    /// Later writes are refused; closing twice does nothing.
    public func close() throws {
        guard !closed else { return }
        installTask?.cancel()
        transferSessions.closeAll()
        try commit()
        closed = true
        // A swap in progress closes what it opens itself (finishInstall).
        if !swapping { stateMachine.close() }
        try log.close()
    }
}

/// Why a node cannot take a write.
public enum NodeError: Error, Sendable, CustomStringConvertible {
    /// No leader to take the write (or the proposal was not appended); retry later.
    case notLeader(String)
    /// A local failure stopped the node, or it was closed; it takes no writes until reopened.
    case stopped(String)
    /// A wait gave up; the write's outcome may still be anything.
    case timedOut(String)
    /// The write was proposed but whether it was committed cannot be known (the leader changed
    /// or lost its quorum); API.md: 503 `outcome_unknown`, never a 2xx.
    case outcomeUnknown(String)

    public var description: String {
        switch self {
        case .notLeader(let reason): "no leader: \(reason)"
        case .stopped(let reason): "the node stopped applying after a local failure: \(reason)"
        case .timedOut(let reason): "timed out: \(reason)"
        case .outcomeUnknown(let reason): "outcome unknown: \(reason)"
        }
    }
}
