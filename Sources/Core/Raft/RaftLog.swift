/// The log as the algorithm sees it: stable storage below, unstable entries on top, plus the
/// commit and apply positions. Mirrors etcd's raftLog.
struct RaftLog {
    let storage: any RaftStorage
    var unstable: UnstableLog
    /// The highest index known to be committed.
    var committed: UInt64
    /// The highest index handed to the node layer for applying.
    var applied: UInt64
    /// Byte limit of the committed entries handed out in one `Ready`.
    let maxApplyingSize: Int

    init(storage: any RaftStorage, maxApplyingSize: Int) {
        self.storage = storage
        self.maxApplyingSize = maxApplyingSize
        let first = storage.firstIndex
        unstable = UnstableLog(offset: storage.lastIndex + 1)
        committed = first - 1
        applied = first - 1
    }

    var firstIndex: UInt64 { unstable.maybeFirstIndex ?? storage.firstIndex }
    var lastIndex: UInt64 { unstable.maybeLastIndex ?? storage.lastIndex }
    var lastTerm: UInt64 { term(lastIndex) ?? 0 }

    /// The term at `index`, or nil if it is compacted or beyond the end.
    func term(_ index: UInt64) -> UInt64? {
        let dummy = firstIndex - 1
        if index < dummy || index > lastIndex { return nil }
        if let t = unstable.maybeTerm(index) { return t }
        return try? storage.term(index)
    }

    func matchTerm(_ index: UInt64, _ term: UInt64) -> Bool { self.term(index) == term }

    /// Whether a candidate whose log ends at (`index`, `term`) is at least as up to date as ours
    /// (Raft paper, section 5.4.1).
    func isUpToDate(index: UInt64, term: UInt64) -> Bool {
        term > lastTerm || (term == lastTerm && index >= lastIndex)
    }

    /// The first index in `entries` whose term differs from ours (or that we lack); 0 if all
    /// match.
    func findConflict(_ entries: [Entry]) -> UInt64 {
        for entry in entries where !matchTerm(entry.index, entry.term) { return entry.index }
        return 0
    }

    /// The largest index <= `index` whose term is <= `term`: everything after it cannot match
    /// a log whose entry at `index` has `term`, so the leader can skip a whole term at a time
    /// (fast backtracking).
    func findConflictByTerm(index: UInt64, term: UInt64) -> UInt64 {
        var i = min(index, lastIndex)
        while i > 0 {
            guard let t = self.term(i) else { return i }
            if t <= term { return i }
            i -= 1
        }
        return 0
    }

    /// A follower's AppendEntries: if our entry at `index` has `logTerm`, appends `entries`
    /// (dropping a conflicting suffix) and advances commit. Returns the last new index and the
    /// first index that was replaced or appended (0 if none), or nil on a mismatch.
    mutating func maybeAppend(index: UInt64, logTerm: UInt64, committed leaderCommit: UInt64,
                              entries: [Entry]) -> (lastNew: UInt64, firstChanged: UInt64)? {
        guard matchTerm(index, logTerm) else { return nil }
        let lastNew = index + UInt64(entries.count)
        let conflict = findConflict(entries)
        if conflict != 0 {
            precondition(conflict > committed, "entry \(conflict) conflicts with committed entry (committed \(committed))")
            append(Array(entries[Int(conflict - index - 1)...]))
        }
        commitTo(min(leaderCommit, lastNew))
        return (lastNew, conflict)
    }

    @discardableResult
    mutating func append(_ entries: [Entry]) -> UInt64 {
        guard let first = entries.first else { return lastIndex }
        precondition(first.index > committed, "appending at \(first.index) would overwrite committed \(committed)")
        unstable.truncateAndAppend(entries)
        return lastIndex
    }

    mutating func commitTo(_ index: UInt64) {
        if index > committed {
            precondition(index <= lastIndex, "commit \(index) beyond last index \(lastIndex)")
            committed = index
        }
    }

    mutating func appliedTo(_ index: UInt64) {
        if index > applied { applied = index }
    }

    /// Entries in `lo..<hi`, from storage and the unstable part, within `maxSize` bytes.
    func slice(_ lo: UInt64, _ hi: UInt64, maxSize: Int) throws(RaftStorageError) -> [Entry] {
        if lo >= hi { return [] }
        if lo < firstIndex { throw .compacted }
        if hi > lastIndex + 1 { throw .unavailable }
        var result: [Entry] = []
        if lo < unstable.offset {
            result = try storage.entries(lo, min(hi, unstable.offset), maxSize: maxSize)
            if UInt64(result.count) < min(hi, unstable.offset) - lo { return result }
        }
        if hi > unstable.offset {
            let part = unstable.slice(max(lo, unstable.offset), hi)
            if result.isEmpty { return limitSize(part, maxSize: maxSize) }
            result = limitSize(result + part, maxSize: maxSize)
        }
        return result
    }

    /// The entries from `index` on, for an AppendEntries message.
    func entries(from index: UInt64, maxSize: Int) throws(RaftStorageError) -> [Entry] {
        if index > lastIndex { return [] }
        return try slice(index, lastIndex + 1, maxSize: maxSize)
    }

    /// Committed entries not yet handed out for applying (none while a snapshot is pending).
    func nextCommittedEntries() -> [Entry] {
        if unstable.snapshot != nil { return [] }
        let lo = max(applied + 1, firstIndex)
        guard committed >= lo else { return [] }
        return (try? slice(lo, committed + 1, maxSize: maxApplyingSize)) ?? []
    }

    var hasNextCommittedEntries: Bool {
        unstable.snapshot == nil && committed >= max(applied + 1, firstIndex)
    }

    mutating func restore(_ snapshot: Snapshot) {
        committed = snapshot.metadata.index
        unstable.restore(snapshot)
    }
}
