/// The Raft log and hard state on disk, through `FileIO`, and the `RaftStorage` the algorithm
/// reads (everything since the snapshot is also kept in memory).
///
/// Layout of the directory:
/// - `wal-<seq, 16 hex>.log`: segments of checksummed records (`LogRecord`), each a batch of
///   entries and/or a hard state. Later records override earlier ones: an entry at an index
///   already present replaces it and everything after it (a follower's conflict resolution),
///   the last hard state wins. A new segment starts with the current hard state, so older
///   segments can be deleted once a snapshot covers their entries.
/// - `snap-<index, 16 hex>.snap`: the latest snapshot (`SnapshotFile`).
///
/// Durability: `save` only buffers; `sync` writes everything buffered as one record with one
/// write and one fsync (group commit: one fsync for any number of entries). Nothing that
/// depends on saved state may be sent or acknowledged before `sync` returns.
///
/// Opening: a damaged last record of the last segment is a torn write from a power loss and
/// is cut off (it was never synced, so never acknowledged); damage anywhere else throws
/// `StoreError.corrupt` naming the file and offset. Nothing is ever reset or deleted to
/// "recover" from corruption.
public final class DurableRaftLog: RaftStorage {
    public let directory: String
    private let fileIO: any FileIO
    private let segmentSize: Int

    private var hardState = HardState()
    private var currentSnapshot = Snapshot()
    /// Entries since the last compaction.
    private var window = StableLogWindow()
    /// For each entry in `window`, the segment holding it (for deleting compacted segments).
    private var entrySegment: [UInt64] = []
    /// The largest entry index each segment holds, replaced entries included: a segment that
    /// holds any entry after a compaction's index is kept, because replay must see it to reach
    /// the entries a later record in a newer segment replaces (an entry that a conflict
    /// replaced still needs its predecessor at replay, or it would leave a gap).
    private var segmentLastIndex: [UInt64: UInt64] = [:]

    private var segments: [UInt64] = []
    private var writer: (any WritableFile)?
    private var pendingHardState: HardState?
    private var pendingEntries: [Entry] = []
    private var unsyncedWrite = false
    private var directoryDirty = false

    /// Fsyncs performed (file and directory), for benchmarks and tests.
    public private(set) var syncCount = 0

    private init(directory: String, fileIO: any FileIO, segmentSize: Int) {
        self.directory = directory
        self.fileIO = fileIO
        self.segmentSize = segmentSize
    }

    /// Opens (or creates) the log in `directory`, repairing a torn tail.
    /// - Parameter segmentSize: bytes after which a new segment starts.
    public static func open(directory: String, fileIO: any FileIO, segmentSize: Int = 64 << 20) throws(StoreError) -> DurableRaftLog {
        let log = DurableRaftLog(directory: directory, fileIO: fileIO, segmentSize: segmentSize)
        try log.load()
        return log
    }

    /// The first write or fsync failure. Once set, every write and sync throws it: what was
    /// buffered may not be on disk, and only reopening the log tells what is.
    private var failure: StoreError?

    private func path(_ name: String) -> String { directory + "/" + name }
    private static func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
    private func segmentPath(_ seq: UInt64) -> String { path("wal-\(Self.hex(seq)).log") }
    private func snapshotPath(_ index: UInt64) -> String { path("snap-\(Self.hex(index)).snap") }

    // MARK: Opening

    private func load() throws(StoreError) {
        try fileIO.createDirectory(directory)
        var segmentSeqs: [UInt64] = []
        var snapshotNames: [String] = []
        for name in try fileIO.listDirectory(directory) {
            if name.hasSuffix(".tmp") {
                try fileIO.removeFile(path(name))
            } else if name.hasPrefix("wal-"), name.hasSuffix(".log"),
                      let seq = UInt64(name.dropFirst(4).dropLast(4), radix: 16) {
                segmentSeqs.append(seq)
            } else if name.hasPrefix("snap-"), name.hasSuffix(".snap") {
                snapshotNames.append(name)
            }
        }
        segmentSeqs.sort()
        var resetBelow: UInt64 = 0
        if let newest = snapshotNames.sorted().last {
            let file = try fileIO.readFile(path(newest))
            let (snapshot, reset) = try SnapshotFile.decode(file.copyBytes(), path: file.path)
            currentSnapshot = snapshot
            resetBelow = reset
            window.reset(afterIndex: snapshot.metadata.index, term: snapshot.metadata.term)
        }
        for seq in segmentSeqs where seq < resetBelow {
            // Replaced by the snapshot a follower installed; the snapshot file is durable.
            try fileIO.removeFile(segmentPath(seq))
        }
        for (i, seq) in segmentSeqs.enumerated() where seq >= resetBelow {
            try replay(segment: seq, isLast: i == segmentSeqs.count - 1)
            // What was replayed may still be only in the page cache (a process killed before
            // its fsync); it is trusted from now on, so make it durable before anything
            // depends on it (PostgreSQL does the same at crash recovery).
            let file = try fileIO.openForWriting(segmentPath(seq), truncate: false)
            try file.sync()
            try file.close()
            segments.append(seq)
        }
        try fileIO.syncDirectory(directory)
        if hardState.commit > lastIndex {
            throw .corrupt(path: segmentPath(segments.last ?? 0), offset: nil,
                           reason: "hard state commit \(hardState.commit) is past the last entry \(lastIndex)")
        }
        // Writing always resumes in a new segment that starts with the hard state: the last one
        // may lack a hard state record (created just before a crash), and compaction may later
        // delete every segment before it.
        try startSegment((segments.last ?? 0) + 1)
        try sync()
    }

    private func replay(segment seq: UInt64, isLast: Bool) throws(StoreError) {
        let file = try fileIO.readFile(segmentPath(seq))
        // `bytes` points into `file`: it must live until the last record is read.
        defer { withExtendedLifetime(file) {} }
        let bytes = file.bytes
        var offset = 0
        while offset < bytes.count {
            let damage: String
            decode: do {
                guard bytes.count - offset >= LogRecord.headerSize else { damage = "short record header"; break decode }
                let length = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                let checksum = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt64.self).littleEndian
                let end = offset + LogRecord.headerSize + length
                guard end <= bytes.count else { damage = "record of \(length) bytes runs past the end"; break decode }
                let payload = UnsafeRawBufferPointer(rebasing: bytes[(offset + LogRecord.headerSize)..<end])
                guard length > 0, Checksum.hash(payload) == checksum else { damage = "checksum mismatch"; break decode }
                guard let record = LogRecord.decode(payload: Array(payload)) else {
                    throw .corrupt(path: file.path, offset: offset, reason: "record with a valid checksum does not decode")
                }
                try apply(record, segment: seq, path: file.path, offset: offset)
                offset = end
                continue
            }
            // A damaged record. Only the last record of the last segment can be a torn write.
            guard isLast && !hasValidRecord(bytes, after: offset) else {
                throw .corrupt(path: file.path, offset: offset, reason: damage)
            }
            let repair = try fileIO.openForWriting(file.path, truncate: false)
            try repair.truncate(to: offset)
            try repair.sync()
            try repair.close()
            return
        }
    }

    /// Whether a valid record starts anywhere after `offset`. A torn write leaves only garbage
    /// (or zeros) after the damaged record; a valid record after it means the damage is in the
    /// middle of synced data.
    private func hasValidRecord(_ bytes: UnsafeRawBufferPointer, after offset: Int) -> Bool {
        var start = offset + 1
        while bytes.count - start > LogRecord.headerSize {
            let length = Int(bytes.loadUnaligned(fromByteOffset: start, as: UInt32.self).littleEndian)
            let end = start + LogRecord.headerSize + length
            if length > 0, end <= bytes.count, bytes[start + LogRecord.headerSize] == LogRecord.kindBatch {
                let checksum = bytes.loadUnaligned(fromByteOffset: start + 4, as: UInt64.self).littleEndian
                let payload = UnsafeRawBufferPointer(rebasing: bytes[(start + LogRecord.headerSize)..<end])
                if Checksum.hash(payload) == checksum { return true }
            }
            start += 1
        }
        return false
    }

    private func apply(_ record: LogRecord, segment seq: UInt64, path: String, offset: Int) throws(StoreError) {
        if let hs = record.hardState { hardState = hs }
        for entry in record.entries {
            if entry.index < firstIndex { continue }
            guard entry.index <= lastIndex + 1 else {
                throw .corrupt(path: path, offset: offset,
                               reason: "entry \(entry.index) leaves a gap after \(lastIndex)")
            }
            entrySegment.removeSubrange(Int(entry.index - firstIndex)...)
            window.append([entry])
            entrySegment.append(seq)
        }
        if let last = record.entries.last?.index { segmentLastIndex[seq] = max(segmentLastIndex[seq] ?? 0, last) }
    }

    // MARK: RaftStorage

    public func initialState() -> (HardState, ConfState) {
        var hs = hardState
        hs.commit = max(hs.commit, currentSnapshot.metadata.index)
        return (hs, currentSnapshot.metadata.confState)
    }

    public var firstIndex: UInt64 { window.firstIndex }
    public var lastIndex: UInt64 { window.lastIndex }

    public func term(_ index: UInt64) throws(RaftStorageError) -> UInt64 { try window.term(index) }

    public func entries(_ lo: UInt64, _ hi: UInt64, maxSize: Int) throws(RaftStorageError) -> [Entry] {
        try window.entries(lo, hi, maxSize: maxSize)
    }

    public func snapshot() -> Snapshot { currentSnapshot }

    /// The persisted hard state (including what is buffered).
    public var currentHardState: HardState { pendingHardState ?? hardState }

    // MARK: Writing

    /// Buffers a `Ready`'s hard state and entries; durable only after `sync()`. Entries at an
    /// index already present replace it and everything after it.
    public func save(hardState newHardState: HardState?, entries newEntries: [Entry]) {
        if let newHardState {
            hardState = newHardState
            pendingHardState = newHardState
        }
        guard let first = newEntries.first?.index else { return }
        window.append(newEntries)
        entrySegment.removeSubrange(Int(first - firstIndex)...)
        entrySegment.append(contentsOf: repeatElement(segments.last ?? 0, count: newEntries.count))
        if let pendingFirst = pendingEntries.first?.index, first <= pendingFirst {
            pendingEntries = newEntries
        } else if let pendingFirst = pendingEntries.first?.index {
            pendingEntries.removeSubrange(Int(first - pendingFirst)...)
            pendingEntries.append(contentsOf: newEntries)
        } else {
            pendingEntries = newEntries
        }
    }

    /// Writes what is buffered as one record, without fsync. `sync()` calls it; a simulation
    /// calls it alone to crash between the write and the fsync.
    package func writePending() throws(StoreError) {
        if let failure { throw failure }
        guard pendingHardState != nil || !pendingEntries.isEmpty else { return }
        if let writer, writer.size >= segmentSize {
            if unsyncedWrite { try syncFile() }
            try startSegment((segments.last ?? 0) + 1)
            let start = entrySegment.count - pendingEntries.count
            for i in start..<entrySegment.count { entrySegment[i] = segments.last ?? 0 }
        }
        guard let writer else { throw .io(path: directory, operation: "write", errno: 9, message: "log is closed") }
        let record = LogRecord(hardState: pendingHardState, entries: pendingEntries).framed()
        let sizeBefore = writer.size
        do {
            try writer.write(record)
        } catch {
            // A short write may have left half a record; cut it so later records do not follow
            // damage, and refuse everything after: the buffered entries were not written.
            try? writer.truncate(to: sizeBefore)
            failure = error
            throw error
        }
        if let last = pendingEntries.last?.index, let seq = segments.last {
            segmentLastIndex[seq] = max(segmentLastIndex[seq] ?? 0, last)
        }
        pendingHardState = nil
        pendingEntries = []
        unsyncedWrite = true
    }

    /// Makes everything saved durable: one write and one fsync (plus a directory fsync after a
    /// new segment was created).
    public func sync() throws(StoreError) {
        try writePending()
        try syncFile()
    }

    private func syncFile() throws(StoreError) {
        if let failure { throw failure }
        if unsyncedWrite, let writer {
            do {
                try writer.sync()
            } catch {
                // After a failed fsync the kernel may have dropped the dirty pages: a retry
                // that "succeeds" proves nothing (fsyncgate). Only a reopen, which re-reads
                // what is really on disk, may continue.
                failure = error
                throw error
            }
            syncCount += 1
            unsyncedWrite = false
        }
        if directoryDirty {
            do {
                try fileIO.syncDirectory(directory)
            } catch {
                failure = error
                throw error
            }
            syncCount += 1
            directoryDirty = false
        }
    }

    /// Starts segment `seq`, whose first record is the current hard state.
    private func startSegment(_ seq: UInt64) throws(StoreError) {
        try writer?.close()
        let file = try fileIO.openForWriting(segmentPath(seq), truncate: true)
        writer = file
        segments.append(seq)
        directoryDirty = true
        pendingHardState = pendingHardState ?? hardState
    }

    /// Installs a snapshot received from the leader: the whole log is replaced. Durable when
    /// it returns (a follower acknowledges it right after).
    public func applySnapshot(_ snapshot: Snapshot) throws(StoreError) {
        try sync()
        // 1. A new segment carrying the current hard state, so nothing below it is needed.
        let newSeq = (segments.last ?? 0) + 1
        try startSegment(newSeq)
        pendingEntries = []
        try sync()
        // 2. The snapshot, which says the segments before `newSeq` are replaced.
        try writeSnapshotFile(snapshot, resetBelowSegment: newSeq)
        currentSnapshot = snapshot
        window.reset(afterIndex: snapshot.metadata.index, term: snapshot.metadata.term)
        entrySegment = []
        // 3. The old segments are garbage now.
        for seq in segments where seq < newSeq { try fileIO.removeFile(segmentPath(seq)) }
        segments = [newSeq]
        segmentLastIndex = [:]
        try fileIO.syncDirectory(directory)
        syncCount += 1
    }

    /// Records a snapshot the state machine made of everything up to `index` (which it has
    /// applied); durable when it returns. The log stays until `compact`.
    public func createSnapshot(index: UInt64, confState: ConfState, data: [UInt8]) throws(StoreError) {
        guard index > currentSnapshot.metadata.index else { return }
        guard let term = try? term(index) else {
            throw .io(path: directory, operation: "snapshot", errno: 22, message: "index \(index) is not in the log")
        }
        let snapshot = Snapshot(metadata: SnapshotMetadata(index: index, term: term, confState: confState), data: data)
        try writeSnapshotFile(snapshot, resetBelowSegment: 0)
        currentSnapshot = snapshot
    }

    private func writeSnapshotFile(_ snapshot: Snapshot, resetBelowSegment: UInt64) throws(StoreError) {
        let final = snapshotPath(snapshot.metadata.index)
        // Temp file, fsync, rename, directory fsync: the store's one atomic publish.
        try IndexDirectory(fileIO: fileIO, path: directory)
            .atomicWrite(String(final.dropFirst(directory.count + 1)), contents: SnapshotFile.encode(snapshot, resetBelowSegment: resetBelowSegment))
        syncCount += 2
        for name in try fileIO.listDirectory(directory) where name.hasPrefix("snap-") && name.hasSuffix(".snap") {
            if path(name) != final { try fileIO.removeFile(path(name)) }
        }
    }

    /// Drops the entries up to `index` (at most the snapshot index) and deletes the segments
    /// that hold nothing else.
    public func compact(to index: UInt64) throws(StoreError) {
        let upTo = min(index, currentSnapshot.metadata.index, lastIndex)
        guard upTo >= firstIndex else { return }
        entrySegment.removeFirst(Int(upTo - firstIndex + 1))
        window.compact(to: upTo)
        let oldest = entrySegment.first ?? (segments.last ?? 0)
        // Only a prefix of segments goes: those before the oldest live entry's that hold no
        // entry after `upTo`, not even a replaced one (see `segmentLastIndex`).
        let keep = segments.firstIndex { seq in
            seq >= oldest || seq == segments.last || (segmentLastIndex[seq] ?? 0) > upTo
        } ?? segments.count
        let doomed = segments.prefix(keep)
        for seq in doomed {
            try fileIO.removeFile(segmentPath(seq))
            segmentLastIndex[seq] = nil
        }
        let removed = !doomed.isEmpty
        segments.removeFirst(keep)
        if removed {
            try fileIO.syncDirectory(directory)
            syncCount += 1
        }
    }

    /// The segment files, oldest first (for tests).
    public var segmentPaths: [String] { segments.map(segmentPath) }

    /// Closes the current segment. Unsynced data is not made durable by closing.
    public func close() throws(StoreError) {
        try writer?.close()
        writer = nil
    }
}
