import Core

/// What one simulated run does. Everything random in a run is drawn from its seed, so a failing
/// seed replays exactly with the same options.
public struct SimulationOptions: Sendable {
    /// What runs on top of Raft.
    public enum StateMachine: Sendable {
        /// A small key-value store whose history is checked for linearizability (tests Raft).
        case keyValue
        /// The node's real indices (`NodeStateMachine`), written and searched by the clients.
        case node
    }

    public var stateMachine = StateMachine.keyValue
    /// Founding voters (ids 1...nodes).
    public var nodes = 3
    /// Time units of faults and client load; then faults heal and the cluster must settle.
    public var duration = 3000
    /// The most time units allowed to settle after healing.
    public var settleLimit = 4000
    /// Time units per Raft tick (each node ticks on its own phase).
    public var tickInterval = 10
    public var clients = 5
    /// The chance, every 40 time units, that a fault starts.
    public var faultPercent = 45
    public var keys = 3
    /// A client operation with no answer after this long is given up (its outcome unknown).
    public var operationTimeout = 400
    public var faults = true
    /// After the final checks, power fails on every node at once; they restart and must pass
    /// the final checks again (recovery from the disks alone, no member to catch up from).
    public var restartAllAtEnd = false
    public var crashes = true
    public var membershipChanges = true
    /// Entries applied between two snapshots (then the log is compacted); in the node-level
    /// simulation, the entries a log must hold past its snapshot before it is compacted.
    public var snapshotEvery = 20
    /// The worst message loss and duplication (percent) that bad network weather brings.
    public var maxDropPercent = 20
    public var maxDuplicatePercent = 10
    public var snapshotChunkSize = 96
    public var segmentSize = 2048

    // The node-level simulation (`stateMachine = .node`).

    /// Distinct document ids the clients write.
    public var documents = 40
    /// Of the time units in which a node may commit its indices (one in a hundred), the percent
    /// in which it does.
    public var commitPercent = 50
    /// Whether nodes merge segments now and then (then their scores may differ from others'
    /// until the end, where every node merges).
    public var merges = true
    /// A deliberate bug, for the harness's own tests: a run with one must fail.
    public var sabotage: Sabotage?

    /// A deliberate divergence that the checks must catch.
    public enum Sabotage: Sendable {
        /// Node `node` skips the first put it applies after log index `after` (every time it
        /// applies that entry, replays included).
        case skipPut(node: NodeID, after: UInt64)
    }

    public init() {}
}
