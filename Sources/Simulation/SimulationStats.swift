/// Counters of one run, for reports.
public struct SimulationStats: Sendable, Equatable {
    public var elections = 0
    public var crashes = 0
    public var partitions = 0
    public var membershipChanges = 0
    public var snapshotsTaken = 0
    public var snapshotsInstalled = 0
    public var acknowledgedWrites = 0
    public var reads = 0
    public var committed = 0
    public var linearizabilityUnknown = 0
    public var endTime = 0
    // The node-level simulation.
    public var searches = 0
    public var syncWritesChecked = 0
    public var commits = 0
    public var merges = 0
    public var snapshotTransfersFailed = 0
    /// Restarts that found an install a crash interrupted, and finished it before applying.
    public var installsResumed = 0
    /// Searches compared with another node's at the same applied index, and of those, the ones
    /// whose scores were compared too (neither node had merged).
    public var searchComparisons = 0
    public var rankingComparisons = 0

    public init() {}

    /// Adds another run's counters (`endTime` keeps the latest), for totals over many seeds.
    public mutating func add(_ other: SimulationStats) {
        elections += other.elections
        crashes += other.crashes
        partitions += other.partitions
        membershipChanges += other.membershipChanges
        snapshotsTaken += other.snapshotsTaken
        snapshotsInstalled += other.snapshotsInstalled
        acknowledgedWrites += other.acknowledgedWrites
        reads += other.reads
        committed += other.committed
        linearizabilityUnknown += other.linearizabilityUnknown
        endTime = max(endTime, other.endTime)
        searches += other.searches
        syncWritesChecked += other.syncWritesChecked
        commits += other.commits
        merges += other.merges
        snapshotTransfersFailed += other.snapshotTransfersFailed
        installsResumed += other.installsResumed
        searchComparisons += other.searchComparisons
        rankingComparisons += other.rankingComparisons
    }
}
