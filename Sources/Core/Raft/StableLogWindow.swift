/// The entries a storage holds in memory after its last compaction, with the term of the entry
/// just before them (so `term(firstIndex - 1)` still answers): the shared core of
/// `MemoryRaftStorage` and `DurableRaftLog`.
struct StableLogWindow {
    /// `entries[0]` has index `start`.
    private(set) var entries: [Entry] = []
    private(set) var start: UInt64 = 1
    /// The term of the entry at `start - 1` (compacted, or the snapshot's).
    private(set) var previousTerm: UInt64 = 0

    var firstIndex: UInt64 { start }
    var lastIndex: UInt64 { start + UInt64(entries.count) - 1 }

    func term(_ index: UInt64) throws(RaftStorageError) -> UInt64 {
        if index == start - 1 { return previousTerm }
        if index < start { throw .compacted }
        if index > lastIndex { throw .unavailable }
        return entries[Int(index - start)].term
    }

    func entries(_ lo: UInt64, _ hi: UInt64, maxSize: Int) throws(RaftStorageError) -> [Entry] {
        if lo < start { throw .compacted }
        if hi > lastIndex + 1 { throw .unavailable }
        return limitSize(entries[Int(lo - start)..<Int(hi - start)], maxSize: maxSize)
    }

    /// Appends entries that attach at `start...lastIndex + 1`, replacing any suffix they overlap.
    mutating func append(_ newEntries: [Entry]) {
        guard let first = newEntries.first?.index else { return }
        precondition(first >= start && first <= lastIndex + 1, "entries at \(first) do not attach to [\(start), \(lastIndex)]")
        entries.removeSubrange(Int(first - start)...)
        entries.append(contentsOf: newEntries)
    }

    /// Drops the entries up to `index` (which must be held).
    mutating func compact(to index: UInt64) {
        guard index >= start, index <= lastIndex else { return }
        previousTerm = entries[Int(index - start)].term
        entries.removeFirst(Int(index - start + 1))
        start = index + 1
    }

    /// Empties the window so that it continues after a snapshot at (`index`, `term`).
    mutating func reset(afterIndex index: UInt64, term: UInt64) {
        entries = []
        start = index + 1
        previousTerm = term
    }
}
