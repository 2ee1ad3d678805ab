/// Why a storage read failed. Both are normal, recoverable conditions the algorithm handles
/// (by sending a snapshot, or by waiting), not I/O failures.
public enum RaftStorageError: Error, Sendable, Equatable {
    /// The index is before the first entry: it was compacted into a snapshot.
    case compacted
    /// The index is after the last entry.
    case unavailable
}

/// The stable log as the algorithm reads it. The node layer writes it (after each `Ready`);
/// the algorithm only reads, so an implementation needs no locking against Raft itself.
///
/// Indices are 1-based. `firstIndex - 1` is the index of the latest snapshot, whose term
/// `term(firstIndex - 1)` must still answer (the "dummy entry" that anchors log matching).
public protocol RaftStorage: AnyObject {
    /// The persisted hard state and the membership of the latest snapshot, read at start.
    func initialState() -> (HardState, ConfState)
    /// Entries in `lo..<hi`, stopping early (but after at least one) once `maxSize` bytes are
    /// collected.
    func entries(_ lo: UInt64, _ hi: UInt64, maxSize: Int) throws(RaftStorageError) -> [Entry]
    /// The term of the entry at `index`, for `firstIndex - 1 ... lastIndex`.
    func term(_ index: UInt64) throws(RaftStorageError) -> UInt64
    /// The index of the first entry still held (the snapshot index + 1).
    var firstIndex: UInt64 { get }
    /// The index of the last entry (the snapshot index if the log is empty).
    var lastIndex: UInt64 { get }
    /// The latest snapshot, which a leader sends to a follower that needs compacted entries.
    func snapshot() -> Snapshot
}
