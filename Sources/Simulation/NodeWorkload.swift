import Analyzers
import Core
import Plugins

/// The workload of the node-level simulation: every node runs the real `NodeStateMachine`
/// (the indices) over its own simulated disk, applying `NodeCommand`s from committed entries
/// in log order as `ClusterNode` does; clients put, patch and delete documents through the
/// leader and search random nodes; nodes commit and merge on their own schedules.
///
/// Checked (besides the Raft invariants the simulation checks): every search against the
/// model of the committed log at the node's applied index (`DocumentModel`), every two
/// searches at the same applied index against each other, a synchronous write's documents on
/// the node that answered it, and at the end every document on every member.
final class NodeWorkload: SimulationWorkload {
    static let indexName = "docs"
    static let indexID = "ix-1"
    static let root = "/node"

    let corpus: NodeCorpus
    let registry: Registry
    /// No timers and no background merges: a run must replay exactly from its seed, so the
    /// simulation refreshes, commits and merges itself, at times drawn from the seed.
    ///
    /// Segment names' random part is drawn from the seed too, but afresh at every open: a
    /// segment number lost in a crash is used again after it, and only the random part keeps
    /// the new files from mixing with what survived of the old ones (seeds 20, 77, 96... found
    /// exactly that when every open drew the same parts).
    func writerOptions(_ node: SimNode) -> IndexWriterOptions {
        var options = IndexWriterOptions(refreshInterval: nil, backgroundMerges: false)
        opens += 1
        options.segmentNameSeed = 0x5EED &+ node.id &* 0x9E37_79B9_7F4A_7C15 &+ opens &* 0xBF58_476D_1CE4_E5B9
        return options
    }
    /// Indices opened so far in this run (each open's segment names differ).
    var opens: UInt64 = 0
    let sabotage: SimulationOptions.Sabotage?

    /// Each running node's indices.
    var machines: [NodeID: NodeStateMachine] = [:]
    /// Nodes whose indices merged segments (dropping deleted documents from the statistics,
    /// DESIGN.md "Segments"): their scores may differ from other nodes' at the same index.
    var merged: Set<NodeID> = []
    /// The model after each committed entry: `models[i]` after entry i (`models[0]`: empty).
    var models: [DocumentModel] = [DocumentModel()]
    /// The first search digest seen at each applied index, and the node it came from.
    var digests: [UInt64: (node: NodeID, digest: SearchDigest)] = [:]
    /// Once set, the log index the sabotage skips on its node.
    var sabotagedIndex: UInt64?
    /// Snapshots being installed, by receiving node: the index, and the transfer under way.
    var installs: [NodeID: SnapshotInstall] = [:]
    /// Installs a restart found interrupted (counted here: `open` has no simulation to count in).
    var resumedInstalls = 0

    // Clients.
    var writes: [NodeWrite] = []
    var clientBusy: [Int: Int] = [:]  // client -> index in writes
    var clientIdleUntil: [Int: Int] = [:]
    var indexCreated = false
    var creating: Int?

    init(seed: UInt64, options: SimulationOptions) {
        let registry = Registry()
        // The built-in components cannot fail to register into a new registry; if they did,
        // the first node's open reports it.
        try? BuiltinAnalysis.register(into: registry)
        try? BuiltinPlugins.register(into: registry)
        try? BuiltinWeightings.register(into: registry)
        self.registry = registry
        // The schema is a constant that loads (the tests run it); a failure here is a bug.
        do {
            corpus = try NodeCorpus(registry: registry, documentCount: options.documents)
        } catch {
            preconditionFailure("the simulation's schema does not load: \(error)")
        }
        sabotage = options.sabotage
    }

    // MARK: The node loop's hooks

    func open(_ node: SimNode, log: DurableRaftLog, in sim: RaftSimulation) throws -> UInt64 {
        let machine = try NodeStateMachine(root: Self.root, fileIO: node.fileIO, registry: registry, options: writerOptions(node))
        machines[node.id] = machine
        try resumeInstallIfNeeded(node, machine: machine)
        // As ClusterNode.init: entries the indices hold durably are not handed out again; the
        // rest (up to what the log knows is committed) are replayed through apply.
        let applied = min(machine.durableIndex, log.initialState().0.commit)
        let snapshotIndex = log.snapshot().metadata.index
        if applied < snapshotIndex, installs[node.id] == nil {
            sim.fail("node \(node.id) reopened its indices at \(applied), behind its log's snapshot at \(snapshotIndex)")
        }
        return applied
    }

    func pendingInstall(_ node: SimNode, in sim: RaftSimulation) -> UInt64? {
        sim.stats.installsResumed = resumedInstalls
        return installs[node.id]?.index
    }

    func crashing(_ node: SimNode, in sim: RaftSimulation) {
        // A dead process does nothing more; closing only stops the writers (no commit, no I/O).
        machines.removeValue(forKey: node.id)?.close()
        abandonTransfers(of: node.id)
        clientsLost(node.id, in: sim)
    }

    func apply(_ entry: Entry, on node: SimNode, in sim: RaftSimulation) throws {
        extendModels(through: entry.index, in: sim)
        guard entry.type == .normal, !entry.data.isEmpty else { return }
        guard let machine = machines[node.id] else { return }
        let command = try NodeCommand.decode(entry.data, source: "raft entry \(entry.index)")
        if isSabotaged(entry.index, command, on: node.id) {
            sim.trace("sabotage: node \(node.id) skips entry \(entry.index)")
            return
        }
        let outcome = try machine.apply(command, at: entry.index)
        acknowledge(entry, outcome: outcome, on: node, in: sim)
    }

    func advanced(_ node: SimNode, log: DurableRaftLog, readStates: [ReadState], in sim: RaftSimulation) throws {}

    func step(in sim: RaftSimulation) {
        runSchedules(in: sim)
        runClients(in: sim)
    }

    func isQuiet(in sim: RaftSimulation) -> Bool {
        clientBusy.values.allSatisfy { writes[$0].isFinished(now: sim.now) }
    }

    // MARK: The model

    /// Extends `models` with the committed entries up to `index` (every entry is applied
    /// somewhere before any node applies a later one, so the known entries have no gap).
    func extendModels(through index: UInt64, in sim: RaftSimulation) {
        while UInt64(models.count) <= index {
            let next = UInt64(models.count)
            var model = models[models.count - 1]
            if let entry = sim.appliedEntries[next], !entry.data.isEmpty,
               let command = try? NodeCommand.decode(entry.data, source: "raft entry \(next)") {
                model.apply(command, at: next)
            }
            models.append(model)
        }
    }

    /// The model at `index` (the node's applied index).
    func model(at index: UInt64, in sim: RaftSimulation) -> DocumentModel {
        extendModels(through: index, in: sim)
        return models[Int(index)]
    }

    private func isSabotaged(_ index: UInt64, _ command: NodeCommand, on node: NodeID) -> Bool {
        guard case .skipPut(let victim, let after)? = sabotage, node == victim else { return false }
        if let chosen = sabotagedIndex { return index == chosen }
        guard index > after, case .putDocuments = command else { return false }
        sabotagedIndex = index
        return true
    }

    // MARK: The nodes' own schedules

    /// Compacts the log (ClusterNode.compactLogIfDue), commits (the node's commit schedule) and
    /// merges (its merge policy, or an optimize), on each running node at times drawn from the
    /// seed.
    private func runSchedules(in sim: RaftSimulation) {
        for id in sim.nodes.keys.sorted() {
            // While a node installs a snapshot it neither commits (its old catalog must not be
            // saved over the swapped-in one), compacts nor merges, as ClusterNode.
            guard let node = sim.nodes[id], node.raft != nil, let machine = machines[id], installs[id] == nil else { continue }
            do {
                if sim.chance(2) { try compactLogIfDue(node, machine: machine, in: sim) }
                if sim.chance(1), sim.chance(sim.options.commitPercent) {
                    try machine.commitAll()
                    sim.stats.commits += 1
                }
                if sim.options.merges, sim.chance(1), sim.chance(3), let index = machine.index(named: Self.indexName) {
                    try index.writer.forceMerge(maxSegments: 1 + sim.random(3))
                    merged.insert(id)
                    sim.stats.merges += 1
                }
            } catch {
                sim.ioFailed(node, error)
            }
        }
    }
}
