import Core

/// The workload that tests Raft itself: a small key-value store on every node, clients that
/// write keys and read them through ReadIndex, and a linearizability check of their history.
final class KVWorkload: SimulationWorkload {
    /// Each node's store, by node id (what its Raft snapshot and applied entries made of it).
    var stores: [NodeID: KVStateMachine] = [:]
    /// The membership as of each node's applied index (what a snapshot taken now must record).
    var appliedConf: [NodeID: ConfState] = [:]
    var readStates: [NodeID: [ReadState]] = [:]

    var operations: [ClientOperation] = []
    var clientBusy: [Int: Int] = [:]  // client -> index in operations
    var clientIdleUntil: [Int: Int] = [:]
    var nextOperationID: UInt64 = 1
    /// A strictly increasing clock for the history, finer than the simulation's time.
    var historyClock = 0

    func open(_ node: SimNode, log: DurableRaftLog, in sim: RaftSimulation) throws -> UInt64 {
        let snapshot = log.snapshot()
        guard let restored = KVStateMachine.restore(snapshot.data) else {
            throw StoreError.corrupt(path: node.directory, offset: nil, reason: "undecodable state machine snapshot")
        }
        stores[node.id] = restored
        appliedConf[node.id] = snapshot.metadata.confState
        readStates[node.id] = []
        return snapshot.metadata.index
    }

    func pendingInstall(_ node: SimNode, in sim: RaftSimulation) -> UInt64? { nil }

    func receiving(_ snapshot: Snapshot, on node: SimNode, in sim: RaftSimulation) throws {}

    func crashing(_ node: SimNode, in sim: RaftSimulation) {
        readStates[node.id] = []
        failUnansweredOperations(on: node.id, in: sim)
    }

    /// The snapshot's data is the whole store: installed at once.
    func installStep(_ index: UInt64, on node: SimNode, log: DurableRaftLog, in sim: RaftSimulation) throws -> Bool {
        let snapshot = log.snapshot()
        guard snapshot.metadata.index == index, let kv = KVStateMachine.restore(snapshot.data) else {
            throw StoreError.corrupt(path: node.directory, offset: nil, reason: "undecodable snapshot at \(index)")
        }
        stores[node.id] = kv
        appliedConf[node.id] = snapshot.metadata.confState
        return true
    }

    func apply(_ entry: Entry, on node: SimNode, in sim: RaftSimulation) throws {
        if entry.type == .confChange {
            if let change = ConfChange.decode(entry.data) { appliedConf[node.id, default: ConfState()] = appliedConf[node.id, default: ConfState()].applying(change) }
        } else if let write = stores[node.id, default: KVStateMachine()].apply(entry.data) {
            acknowledgeWrite(write.operation, at: node.id, in: sim)
        }
    }

    func advanced(_ node: SimNode, log: DurableRaftLog, readStates states: [ReadState], in sim: RaftSimulation) throws {
        readStates[node.id, default: []] += states
        serveReads(node, in: sim)
        guard node.appliedIndex >= log.snapshot().metadata.index + UInt64(sim.options.snapshotEvery) else { return }
        try log.createSnapshot(index: node.appliedIndex, confState: appliedConf[node.id] ?? ConfState(),
                               data: (stores[node.id] ?? KVStateMachine()).snapshot())
        if node.appliedIndex > 5 { try log.compact(to: node.appliedIndex - 5) }
        sim.stats.snapshotsTaken += 1
    }

    func step(in sim: RaftSimulation) {
        runClients(in: sim)
    }

    func isQuiet(in sim: RaftSimulation) -> Bool {
        operations.allSatisfy { $0.returned != nil || $0.deadline < sim.now }
    }

    /// A crashed node's clients get no answer: their operations time out as unknown.
    private func failUnansweredOperations(on node: NodeID, in sim: RaftSimulation) {
        for client in clientBusy.keys.sorted() {
            guard let index = clientBusy[client], operations[index].node == node, operations[index].returned == nil else { continue }
            operations[index].deadline = sim.now
        }
    }

    func checkFinal(members: [NodeID], leader: SimNode, in sim: RaftSimulation) {
        let leaderStore = stores[leader.id]
        for member in members where sim.nodes[member]?.raft != nil {
            if stores[member] != leaderStore { sim.fail("state machine of node \(member) differs from leader \(leader.id)") }
        }
        var acknowledged = 0
        for op in operations where op.isWrite && op.returned != nil {
            acknowledged += 1
            for member in members where sim.nodes[member] != nil {
                if stores[member]?.appliedOperations.contains(op.id) != true {
                    sim.fail("acknowledged write \(op.id) is not applied on node \(member)")
                    return
                }
            }
        }
        sim.stats.acknowledgedWrites = acknowledged
        sim.stats.reads = operations.filter { !$0.isWrite }.count
        let checker = LinearizabilityChecker()
        for key in 0..<UInt64(sim.options.keys) {
            let history = operations.filter { $0.key == key && ($0.isWrite || $0.returned != nil) }.map {
                LinearizabilityChecker.Operation(isWrite: $0.isWrite, value: $0.value, called: $0.called, returned: $0.returned)
            }
            switch checker.check(history) {
            case .linearizable: break
            case .notLinearizable: sim.fail("history of key \(key) is not linearizable (\(history.count) operations)")
            case .unknown: sim.stats.linearizabilityUnknown += 1
            }
        }
    }
}
