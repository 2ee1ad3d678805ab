/// A node's numbers for `/metrics` (API.md): Raft positions, leader changes, and per index
/// documents, segments and merges.
public struct NodeStats: Sendable {
    /// The last log entry applied to the indices.
    public var appliedIndex: UInt64
    /// The last log entry known committed (durable on a quorum).
    public var commitIndex: UInt64
    /// The current Raft term.
    public var term: UInt64
    /// Entries in the log since the last compaction.
    public var logLength: Int
    /// Times this node saw the leader change (its own election counts).
    public var leaderChanges: Int
    /// Every index, sorted by name.
    public var indices: [IndexStats]
    /// Refreshes that published applied writes to searchers.
    public var refreshes: Int = 0
    /// Scheduled and explicit commits of every index.
    public var commits: Int = 0
    /// Log compactions (Raft snapshot, then the log before it dropped).
    public var compactions: Int = 0
    /// The index of the latest Raft snapshot (0: the log was never compacted).
    public var snapshotIndex: UInt64 = 0
    /// Raft snapshots this node installed from a member (it was behind a compacted log).
    public var snapshotInstalls: Int = 0
    /// Scheduled `optimize` merges that failed (they are logged, too).
    public var optimizeFailures: Int = 0

    /// The Raft and index numbers; the counters after them start at 0.
    public init(appliedIndex: UInt64, commitIndex: UInt64, term: UInt64, logLength: Int, leaderChanges: Int, indices: [IndexStats]) {
        self.appliedIndex = appliedIndex
        self.commitIndex = commitIndex
        self.term = term
        self.logLength = logLength
        self.leaderChanges = leaderChanges
        self.indices = indices
    }
}

/// One index's numbers for `/metrics`, as searchers see it (the last refresh).
public struct IndexStats: Sendable {
    /// The index's name.
    public var name: String
    /// Live documents.
    public var documents: Int
    /// Deleted documents still in segments (until a merge drops them).
    public var deletedDocuments: Int
    /// Segments searchers see.
    public var segments: Int
    /// Merges running now (background and `optimize`).
    public var mergesRunning: Int
    /// Merges published since the index was opened.
    public var mergesCompleted: Int

    /// The numbers of one index.
    public init(name: String, documents: Int, deletedDocuments: Int, segments: Int, mergesRunning: Int, mergesCompleted: Int) {
        self.name = name
        self.documents = documents
        self.deletedDocuments = deletedDocuments
        self.segments = segments
        self.mergesRunning = mergesRunning
        self.mergesCompleted = mergesCompleted
    }
}
