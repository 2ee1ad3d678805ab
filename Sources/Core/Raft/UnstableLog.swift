/// Entries (and possibly a snapshot) the algorithm has accepted but the node layer has not yet
/// persisted. They move to stable storage when the `Ready` carrying them is advanced.
struct UnstableLog {
    var snapshot: Snapshot?
    var entries: [Entry] = []
    /// The index of `entries[0]`.
    var offset: UInt64

    init(offset: UInt64) {
        self.offset = offset
    }

    /// The first index, if there is an unstable snapshot.
    var maybeFirstIndex: UInt64? { snapshot.map { $0.metadata.index + 1 } }

    /// The last index, if there are unstable entries or an unstable snapshot.
    var maybeLastIndex: UInt64? {
        if !entries.isEmpty { return offset + UInt64(entries.count) - 1 }
        return snapshot.map(\.metadata.index)
    }

    func maybeTerm(_ index: UInt64) -> UInt64? {
        if index < offset {
            guard let snapshot, snapshot.metadata.index == index else { return nil }
            return snapshot.metadata.term
        }
        guard let last = maybeLastIndex, index <= last, index >= offset else { return nil }
        return entries[Int(index - offset)].term
    }

    /// The entries up to `index` (with term `term`) were persisted; drop them.
    mutating func stableTo(index: UInt64, term: UInt64) {
        guard let t = maybeTerm(index), t == term, index >= offset else { return }
        entries.removeFirst(Int(index - offset + 1))
        offset = index + 1
    }

    mutating func stableSnapshotTo(_ index: UInt64) {
        if snapshot?.metadata.index == index { snapshot = nil }
    }

    mutating func restore(_ snapshot: Snapshot) {
        offset = snapshot.metadata.index + 1
        entries = []
        self.snapshot = snapshot
    }

    /// Appends, replacing whatever conflicts from `newEntries[0].index` on.
    mutating func truncateAndAppend(_ newEntries: [Entry]) {
        guard let first = newEntries.first?.index else { return }
        if first == offset + UInt64(entries.count) {
            entries.append(contentsOf: newEntries)
        } else if first <= offset {
            // Replaces everything unstable; the storage part after `first` is shadowed.
            offset = first
            entries = newEntries
        } else {
            entries.removeSubrange(Int(first - offset)...)
            entries.append(contentsOf: newEntries)
        }
    }

    func slice(_ lo: UInt64, _ hi: UInt64) -> ArraySlice<Entry> {
        entries[Int(lo - offset)..<Int(hi - offset)]
    }
}
