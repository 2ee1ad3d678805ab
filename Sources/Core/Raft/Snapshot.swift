/// Where a snapshot sits in the log and the membership at that point (the log before it is
/// gone, so the conf changes it contained survive only here).
public struct SnapshotMetadata: Sendable, Equatable {
    /// The last entry the snapshot covers, and its term (to match logs against it).
    public var index: UInt64
    public var term: UInt64
    public var confState: ConfState

    public init(index: UInt64 = 0, term: UInt64 = 0, confState: ConfState = ConfState()) {
        self.index = index
        self.term = term
        self.confState = confState
    }
}

/// A state-machine snapshot: opaque data the state machine produced (and will install) plus
/// its metadata. Raft moves it to lagging followers in chunks and never looks inside.
public struct Snapshot: Sendable, Equatable {
    public var metadata: SnapshotMetadata
    public var data: [UInt8]

    public init(metadata: SnapshotMetadata = SnapshotMetadata(), data: [UInt8] = []) {
        self.metadata = metadata
        self.data = data
    }

    /// Whether this is the empty snapshot of a log that was never compacted.
    public var isEmpty: Bool { metadata.index == 0 }
}
