/// The on-disk form of a snapshot: `[u32 magic][u64 XXH64 of the body][body]`, written to a
/// temporary name, fsynced, renamed and the directory fsynced, so a snapshot file either exists
/// whole or not at all; a damaged one is corruption.
enum SnapshotFile {
    static let magic: UInt32 = 0x534B_5243  // "CRKS"

    /// `resetBelowSegment`: segments numbered below it hold a log this snapshot replaced (a
    /// follower installing a leader's snapshot) and must be ignored; 0 for a compaction snapshot.
    static func encode(_ snapshot: Snapshot, resetBelowSegment: UInt64) -> [UInt8] {
        var body = ByteWriter()
        body.u64(snapshot.metadata.index)
        body.u64(snapshot.metadata.term)
        for ids in [snapshot.metadata.confState.voters, snapshot.metadata.confState.learners,
                    snapshot.metadata.confState.removed] {
            body.u32(UInt32(ids.count))
            for id in ids { body.u64(id) }
        }
        body.u64(resetBelowSegment)
        body.bytes(snapshot.data)
        var file = ByteWriter()
        file.u32(magic)
        file.u64(body.output.withUnsafeBytes { Checksum.hash($0) })
        file.output.append(contentsOf: body.output)
        return file.output
    }

    static func decode(_ bytes: [UInt8], path: String) throws(StoreError) -> (Snapshot, resetBelowSegment: UInt64) {
        var reader = ByteReader(bytes)
        guard reader.u32() == magic, let checksum = reader.u64() else {
            throw .corrupt(path: path, offset: 0, reason: "bad snapshot header")
        }
        let body = Array(bytes[min(12, bytes.count)...])
        guard body.withUnsafeBytes({ Checksum.hash($0) }) == checksum else {
            throw .corrupt(path: path, offset: 12, reason: "snapshot checksum mismatch")
        }
        var r = ByteReader(body)
        guard let index = r.u64(), let term = r.u64() else {
            throw .corrupt(path: path, offset: 12, reason: "bad snapshot metadata")
        }
        let voters = try readIDs(&r, path: path, what: "voters")
        let learners = try readIDs(&r, path: path, what: "learners")
        let removed = try readIDs(&r, path: path, what: "removed ids")
        guard let reset = r.u64(), let data = r.bytes(), r.isAtEnd else {
            throw .corrupt(path: path, offset: 12, reason: "bad snapshot body")
        }
        let confState = ConfState(voters: voters, learners: learners, removed: removed)
        let metadata = SnapshotMetadata(index: index, term: term, confState: confState)
        return (Snapshot(metadata: metadata, data: data), reset)
    }

    /// A count-prefixed list of node ids.
    private static func readIDs(_ r: inout ByteReader, path: String, what: String) throws(StoreError) -> [NodeID] {
        guard let count = r.u32(), count < 1 << 20 else {
            throw .corrupt(path: path, offset: 12, reason: "bad snapshot \(what)")
        }
        var ids: [NodeID] = []
        for _ in 0..<count {
            guard let id = r.u64() else { throw .corrupt(path: path, offset: 12, reason: "bad snapshot \(what)") }
            ids.append(id)
        }
        return ids
    }
}
