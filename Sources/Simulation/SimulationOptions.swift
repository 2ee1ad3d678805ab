/// What one simulated run does. Everything random in a run is drawn from its seed, so a failing
/// seed replays exactly with the same options.
public struct SimulationOptions: Sendable {
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
    public var crashes = true
    public var membershipChanges = true
    /// Entries applied between two snapshots (then the log is compacted).
    public var snapshotEvery = 20
    /// The worst message loss and duplication (percent) that bad network weather brings.
    public var maxDropPercent = 20
    public var maxDuplicatePercent = 10
    public var snapshotChunkSize = 96
    public var segmentSize = 2048

    public init() {}
}
