import Core

/// One deterministic simulated run: N nodes of the real Raft code over a simulated network,
/// disk and clock, clients writing and reading a state machine throughout (the workload: a
/// key-value store, or the node's real indices), faults injected from the seed, then healed;
/// online and final invariant checks report every violation.
public final class RaftSimulation {
    public let seed: UInt64
    public let options: SimulationOptions
    /// Set to print a trace of the run (for replaying a failing seed).
    public var verbose = false

    var rng: SplitMix64
    let network: SimNetwork
    var nodes: [NodeID: SimNode] = [:]
    var nextNodeID: NodeID
    var now = 0
    var failures: [String] = []

    // Invariant state.
    var leaderOfTerm: [UInt64: NodeID] = [:]
    /// Every entry applied anywhere (so committed): index -> (term, data).
    var appliedEntries: [UInt64: (term: UInt64, data: [UInt8])] = [:]

    /// The state machine, its clients and their checks.
    let workload: any SimulationWorkload

    // Faults in progress.
    var healAt: Int?
    var weatherUntil: Int?
    var pendingPromotion: NodeID?

    public internal(set) var stats = SimulationStats()

    public init(seed: UInt64, options: SimulationOptions = SimulationOptions()) {
        self.seed = seed
        self.options = options
        rng = SplitMix64(seed: seed)
        network = SimNetwork(seed: seed ^ 0xA5A5_5A5A_DEAD_BEEF)
        nextNodeID = NodeID(options.nodes + 1)
        switch options.stateMachine {
        case .keyValue: workload = KVWorkload()
        case .node: workload = NodeWorkload(seed: seed, options: options)
        }
    }

    func random(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }
    func chance(_ percent: Int) -> Bool { random(100) < percent }

    func trace(_ text: @autoclosure () -> String) {
        if verbose { print("[\(now)] \(text())") }
    }

    func fail(_ text: String) {
        if failures.count < 20 { failures.append("t=\(now): \(text)") }
        trace("FAILURE: \(text)")
    }

    func nodeSeed(_ id: NodeID) -> UInt64 { seed &* 0x9E37_79B9_7F4A_7C15 &+ id &* 0xBF58_476D_1CE4_E5B9 }

    // MARK: Run

    /// Runs the simulation and returns what went wrong (nothing, if it passed).
    public func run() -> SimulationOutcome {
        let founders = (1...NodeID(options.nodes)).map { $0 }
        for id in founders { addNode(id, bootstrap: founders) }
        var settled = false
        while now < options.duration + options.settleLimit && failures.isEmpty {
            if now == options.duration { healEverything() }
            if now < options.duration { injectFaults() }
            step()
            if now > options.duration + 50, now % 25 == 0, isSettled() {
                settled = true
                break
            }
            now += 1
        }
        if failures.isEmpty {
            if !settled { fail("did not settle within \(options.settleLimit) time units after healing: \(statusLine())") }
            else { checkFinal() }
        }
        if failures.isEmpty, options.restartAllAtEnd { restartAllAndCheckAgain() }
        stats.endTime = now
        return SimulationOutcome(seed: seed, failures: failures, stats: stats)
    }

    /// One time unit of everything but the fault schedule.
    private func step() {
        restartDueNodes()
        deliverMessages()
        tickNodes()
        workload.step(in: self)
        for id in nodes.keys.sorted() { if let node = nodes[id] { process(node) } }
        checkOnline()
    }

    /// Power fails on every running node at once; they all restart, recover from their disks
    /// and must settle to the same state again (what the final checks check).
    private func restartAllAndCheckAgain() {
        trace("power fails everywhere")
        for id in nodes.keys.sorted() {
            guard let node = nodes[id], node.raft != nil, !node.removed else { continue }
            crashNow(node)
        }
        let end = now + options.settleLimit
        while now < end && failures.isEmpty {
            step()
            if now % 25 == 0, isSettled() {
                checkFinal()
                return
            }
            now += 1
        }
        if failures.isEmpty { fail("did not settle within \(options.settleLimit) time units after every node restarted: \(statusLine())") }
    }

    func addNode(_ id: NodeID, bootstrap: [NodeID]?) {
        let node = SimNode(id: id, fileIO: SimulatedFileIO(seed: nodeSeed(id) ^ 0x5151), tickPhase: random(options.tickInterval),
                           tickInterval: options.tickInterval - 2 + random(5))
        nodes[id] = node
        start(node, bootstrap: bootstrap)
    }

    func start(_ node: SimNode, bootstrap: [NodeID]? = nil) {
        do {
            try node.start(seed: nodeSeed(node.id) &+ UInt64(now), options: options, bootstrap: bootstrap) { log in
                try workload.open(node, log: log, in: self)
            }
        } catch {
            fail("node \(node.id) failed to open its log: \(error)")
            return
        }
        guard let raft = node.raft else { return }
        if let index = workload.pendingInstall(node, in: self) {
            node.phase = .installing(nil, index: index)
            trace("node \(node.id) must finish installing snapshot \(index)")
        }
        if raft.term < node.durableTerm || raft.commitIndex < node.durableCommit {
            fail("node \(node.id) recovered term \(raft.term) commit \(raft.commitIndex) below durable term \(node.durableTerm) commit \(node.durableCommit)")
        }
        trace("node \(node.id) started: term \(raft.term) commit \(raft.commitIndex) last \(raft.lastIndex) conf \(raft.confState)")
    }

    // MARK: Node loop

    /// A disk operation failed: expected if the node was armed to lose power mid-operation
    /// (then it crashes), a failure otherwise.
    func ioFailed(_ node: SimNode, _ error: any Error) {
        if node.crashDuringIO {
            trace("node \(node.id) lost power during a disk operation: \(error)")
            crashNow(node)
        } else {
            fail("node \(node.id): I/O error: \(error)")
        }
    }

    func deliverMessages() {
        for message in network.deliverDue(now: now) {
            guard let node = nodes[message.to], let raft = node.raft else { continue }
            raft.step(message)
        }
    }

    func tickNodes() {
        for id in nodes.keys.sorted() {
            guard let node = nodes[id], let raft = node.raft else { continue }
            if (now + node.tickPhase) % node.tickInterval == 0 { raft.tick() }
        }
    }

    func process(_ node: SimNode) {
        guard let raft = node.raft, let log = node.log else { return }
        do {
            switch node.phase {
            case .idle:
                guard raft.hasReady else { return }
                let ready = raft.ready()
                if let snapshot = ready.snapshot {
                    try workload.receiving(snapshot, on: node, in: self)
                    try log.applySnapshot(snapshot)
                    node.durableCommit = max(node.durableCommit, snapshot.metadata.index)
                }
                log.save(hardState: ready.hardState, entries: ready.entries)
                if ready.hardState != nil || !ready.entries.isEmpty {
                    node.phase = .writing(ready, at: now + random(3))
                } else {
                    complete(node, ready)
                }
            case .writing(let ready, let at) where at <= now:
                try log.writePending()
                node.phase = .syncing(ready, at: now + 1 + random(4))
            case .syncing(let ready, let at) where at <= now:
                try log.sync()
                if let hs = ready.hardState {
                    node.durableTerm = max(node.durableTerm, hs.term)
                    node.durableCommit = max(node.durableCommit, hs.commit)
                }
                node.phase = .idle
                complete(node, ready)
            case .installing(let ready, let index):
                guard try workload.installStep(index, on: node, log: log, in: self) else { return }
                // Power lost during the install: the node is down.
                guard node.raft != nil else { return }
                node.phase = .idle
                stats.snapshotsInstalled += 1
                trace("node \(node.id) installed snapshot \(index)")
                if let ready {
                    node.appliedIndex = max(node.appliedIndex, index)
                    finish(node, ready)
                }
            default:
                break
            }
        } catch {
            ioFailed(node, error)
        }
    }

    /// After persistence: send; then install a snapshot the Ready carries (which may take many
    /// steps: `process` finishes the Ready after it), or apply, serve reads and advance.
    func complete(_ node: SimNode, _ ready: Ready) {
        if let soft = ready.softState, soft.role == .leader { observeLeader(node) }
        for message in ready.messages { network.send(message, now: now) }
        if let snapshot = ready.snapshot {
            node.phase = .installing(ready, index: snapshot.metadata.index)
            process(node)
            return
        }
        finish(node, ready)
    }

    /// Applies the Ready's committed entries in order, advances Raft, and lets the workload
    /// answer what waited.
    func finish(_ node: SimNode, _ ready: Ready) {
        guard let raft = node.raft, let log = node.log else { return }
        for entry in ready.committedEntries {
            guard entry.index == node.appliedIndex + 1 else {
                fail("node \(node.id) applied \(entry.index) after \(node.appliedIndex)")
                return
            }
            if let known = appliedEntries[entry.index] {
                if known.term != entry.term || known.data != entry.data {
                    fail("node \(node.id) applied a different entry at \(entry.index): term \(entry.term) vs \(known.term)")
                }
            } else {
                appliedEntries[entry.index] = (entry.term, entry.data)
            }
            if entry.type == .confChange, let change = ConfChange.decode(entry.data),
               change.type == .removeNode, change.nodeID == node.id {
                node.removed = true
            }
            do {
                try workload.apply(entry, on: node, in: self)
            } catch {
                ioFailed(node, error)
                return
            }
            // Power lost while applying (the node crashed): it applies nothing more.
            guard node.raft != nil else { return }
            node.appliedIndex = entry.index
        }
        raft.advance(ready)
        do {
            try workload.advanced(node, log: log, readStates: ready.readStates, in: self)
        } catch {
            ioFailed(node, error)
        }
    }
}
