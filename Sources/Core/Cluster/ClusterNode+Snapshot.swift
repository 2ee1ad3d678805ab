import Foundation
internal import ZIPFoundation

/// What `writeSnapshot` wrote.
public struct SnapshotInfo: Sendable {
    /// Where the zip is.
    public var path: String
    /// The zip's size.
    public var bytes: Int
    /// Indices in the backup.
    public var indices: Int
    /// Entries in the zip (the catalog included).
    public var files: Int
    /// Every write applied up to this log index is in the backup.
    public var logIndex: UInt64

    /// What a backup holds.
    public init(path: String, bytes: Int, indices: Int, files: Int, logIndex: UInt64) {
        self.path = path
        self.bytes = bytes
        self.indices = indices
        self.files = files
        self.logIndex = logIndex
    }
}

/// Backups (`PUT /snapshot`) and `--restore`.
extension ClusterNode {
    /// Writes a consistent backup zip of every index's durable commit point and its files plus
    /// the catalog to `path` (temp file beside it, fsync, rename; see `NodeBackup`).
    ///
    /// Commits first, so the backup holds every write applied before the call. The commit
    /// points are pinned and their files mapped (`pinCommitPoints`, as for a follower), so neither a later
    /// commit, a merge nor an index deleted meanwhile takes a file away while it is zipped;
    /// segment files are immutable, so nothing is copied and writes go on during the zipping.
    public func writeSnapshot(to path: String) async throws -> SnapshotInfo {
        if let failure { throw NodeError.stopped("\(failure)") }
        if closed { throw NodeError.stopped("the node is closed") }
        if let installing { throw NodeError.notLeader("the node is installing a snapshot of log index \(installing.index); back up another member") }
        try commit()
        let logIndex = raft.appliedIndex
        // Pinned here, right after the commit with nothing applied in between, so every index is
        // at the same point. Not checksummed as for a transfer: the zip has its own CRC-32s.
        let pinned = try stateMachine.pinCommitPoints()
        defer { pinned.release() }
        let sources = pinned.files.map { NodeBackup.Source(name: $0.path, file: $0.file) }
        let indices = pinned.pins.count
        let bytes = try await BlockingWork.run { try NodeBackup.writeZip(sources, to: path) }
        logger.info("wrote a backup", metadata: ["path": "\(path)", "bytes": "\(bytes)", "log_index": "\(logIndex)"])
        return SnapshotInfo(path: path, bytes: bytes, indices: indices, files: sources.count, logIndex: logIndex)
    }

    /// `--restore=FILE`: lays out a node directory under `root` (empty or absent) from a backup
    /// zip, as a new cluster: a new node id and cluster id, and a fresh one-voter Raft log.
    ///
    /// Every entry name is checked before anything is written (no absolute paths, no `..`, only
    /// the names a backup has: zip-slip), every entry's CRC-32 while it is extracted, the
    /// catalog and each index's commit point here, and every segment's checksums when the node
    /// opens its indices. The restored commit points record log indices of the old cluster's
    /// log; the new log starts after a Raft snapshot at the largest of them, so new entries
    /// come after everything the indices hold and replay never skips one.
    ///
    /// - Throws: `NodeRestoreError` (not empty, unsafe entry, not a backup), `StoreError`.
    public static func restore(from zipPath: String, into root: String, fileIO: any FileIO) throws {
        if fileIO.exists(root), !(try fileIO.listDirectory(root)).isEmpty {
            throw NodeRestoreError.notEmpty(root: root)
        }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .read)
        } catch {
            throw NodeRestoreError.invalidBackup(path: zipPath, reason: "cannot read it as a zip (\(error))")
        }
        var entries: [ZIPFoundation.Entry] = []
        var names = Set<String>()
        for entry in archive {
            guard entry.type == .file, NodeBackup.isSafeEntryName(entry.path) else {
                throw NodeRestoreError.unsafeEntry(name: entry.path)
            }
            guard names.insert(entry.path).inserted else {
                throw NodeRestoreError.invalidBackup(path: zipPath, reason: "entry '\(entry.path)' appears twice")
            }
            entries.append(entry)
        }
        guard names.contains(NodeBackup.catalogEntry) else {
            throw NodeRestoreError.invalidBackup(path: zipPath, reason: "it has no \(NodeBackup.catalogEntry)")
        }

        let nodeDirectory = IndexDirectory(fileIO: fileIO, path: root + "/_node")
        try nodeDirectory.create()
        try nodeDirectory.atomicWrite(NodeBackup.restoreMarker, contents: [])
        var directories: Set<String> = [nodeDirectory.path]
        for entry in entries {
            let directory = root + "/" + String(entry.path.prefix { $0 != "/" })
            if directories.insert(directory).inserted { try fileIO.createDirectory(directory) }
            try extract(entry, from: archive, to: root + "/" + entry.path, zipPath: zipPath, fileIO: fileIO)
        }
        for directory in directories { try fileIO.syncDirectory(directory) }
        try fileIO.syncDirectory(root)

        let catalog = try IndexCatalog.load(from: nodeDirectory)
        let indexIDs = Set(catalog.entries.map(\.indexID))
        for directory in directories where directory != nodeDirectory.path {
            let id = String(directory.dropFirst(root.count + 1))
            guard indexIDs.contains(id) else {
                throw NodeRestoreError.invalidBackup(path: zipPath, reason: "directory '\(id)' belongs to no index of the catalog")
            }
        }
        var newestIndex = catalog.appliedIndex
        var manifest: [NodeSnapshotManifest.Index] = []
        for entry in catalog.entries {
            let directory = IndexDirectory(fileIO: fileIO, path: root + "/" + entry.indexID)
            // An index without a commit point is an empty one; it opens empty.
            guard let commit = try IndexWriter.lastCommit(in: directory) else { continue }
            for name in commit.files where !directory.exists(name) {
                throw NodeRestoreError.invalidBackup(path: zipPath, reason: "index '\(entry.name)' lacks \(name), which its commit point names")
            }
            newestIndex = max(newestIndex, commit.lastAppliedLogIndex)
            manifest.append(.init(name: entry.name, indexID: entry.indexID, config: entry.config, generation: commit.generation,
                                  lastAppliedLogIndex: commit.lastAppliedLogIndex))
        }

        let (identity, _) = try NodeIdentity.loadOrCreate(in: nodeDirectory)
        if newestIndex > 0 {
            let log = try DurableRaftLog.open(directory: root + "/_node/raft", fileIO: fileIO)
            let metadata = SnapshotMetadata(index: newestIndex, term: 1, confState: ConfState(voters: [identity.nodeID]))
            let data = NodeSnapshotManifest(clusterID: identity.clusterID, logIndex: newestIndex, indices: manifest).encoded()
            try log.applySnapshot(Snapshot(metadata: metadata, data: data))
            log.save(hardState: HardState(term: 1, vote: 0, commit: newestIndex), entries: [])
            try log.sync()
            try log.close()
        }
        try nodeDirectory.delete(NodeBackup.restoreMarker)
        try nodeDirectory.syncDirectory()
    }

    /// Extracts one entry through `fileIO`, checking its CRC-32, and fsyncs it.
    private static func extract(_ entry: ZIPFoundation.Entry, from archive: Archive, to path: String, zipPath: String, fileIO: any FileIO) throws {
        let file = try fileIO.openForWriting(path, truncate: true)
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, skipCRC32: false) { data in try file.write(Array(data)) }
        } catch let error as StoreError {
            try? file.close()
            throw error
        } catch {
            try? file.close()
            throw NodeRestoreError.invalidBackup(path: zipPath, reason: "entry '\(entry.path)' does not extract (\(error))")
        }
        guard checksum == entry.checksum else {
            try? file.close()
            throw NodeRestoreError.invalidBackup(path: zipPath, reason: "entry '\(entry.path)' fails its CRC-32 check")
        }
        try file.sync()
        try file.close()
    }
}
