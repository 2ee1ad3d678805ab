/// A `RaftStorage` held in memory: the reference the durable log must behave like, and the
/// storage of scenario tests that do not test durability.
public final class MemoryRaftStorage: RaftStorage {
    public var hardState = HardState()
    private var currentSnapshot = Snapshot()
    private var window = StableLogWindow()

    public init(confState: ConfState = ConfState()) {
        currentSnapshot.metadata.confState = confState
    }

    public func initialState() -> (HardState, ConfState) { (hardState, currentSnapshot.metadata.confState) }

    public var firstIndex: UInt64 { window.firstIndex }
    public var lastIndex: UInt64 { window.lastIndex }

    public func term(_ index: UInt64) throws(RaftStorageError) -> UInt64 { try window.term(index) }

    public func entries(_ lo: UInt64, _ hi: UInt64, maxSize: Int) throws(RaftStorageError) -> [Entry] {
        try window.entries(lo, hi, maxSize: maxSize)
    }

    public func snapshot() -> Snapshot { currentSnapshot }

    /// Appends entries, replacing any conflicting suffix (what a follower does on a conflict).
    public func append(_ entries: [Entry]) {
        window.append(entries)
    }

    /// Replaces the whole log with a snapshot received from the leader.
    public func applySnapshot(_ snapshot: Snapshot) {
        currentSnapshot = snapshot
        window.reset(afterIndex: snapshot.metadata.index, term: snapshot.metadata.term)
    }

    /// Records a snapshot the state machine made at `index` (which it has applied), keeping
    /// the log; `compact` then drops the entries it covers.
    public func createSnapshot(index: UInt64, confState: ConfState, data: [UInt8]) throws(RaftStorageError) {
        let term = try term(index)
        currentSnapshot = Snapshot(metadata: SnapshotMetadata(index: index, term: term, confState: confState), data: data)
    }

    /// Drops the entries up to `index`, which may not pass the snapshot (the log behind a
    /// snapshot is all a lagging follower could be sent).
    public func compact(to index: UInt64) {
        window.compact(to: min(index, currentSnapshot.metadata.index, lastIndex))
    }
}

/// The longest prefix of `entries` within `maxSize` bytes, but always at least one entry, so a
/// single large entry still makes progress.
func limitSize<C: Collection>(_ entries: C, maxSize: Int) -> [Entry] where C.Element == Entry {
    var result: [Entry] = []
    var size = 0
    for entry in entries {
        size += entry.byteSize
        if !result.isEmpty && size > maxSize { break }
        result.append(entry)
    }
    return result
}
