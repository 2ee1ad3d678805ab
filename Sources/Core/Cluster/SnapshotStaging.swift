import Synchronization

/// The receiving side of a snapshot transfer: the streamed files land in `<root>/_node/staging`
/// (laid out as in a node directory), each checked against the manifest's size and XXH64 and
/// fsynced as it completes; `finish()` then marks the staging complete, and only a complete
/// staging is ever swapped in (`NodeStateMachine.install`). A crash before `finish()` leaves
/// an incomplete staging that the next open discards; a crash during the swap leaves a
/// complete one that the next open finishes swapping in (`swapIn` is idempotent).
public final class SnapshotStaging: Sendable {
    static let directoryName = "staging"
    /// Present (holding the manifest) once every file is in and durable.
    static let completeMarker = "complete"
    /// Present once the swap removed the old index directories, so a resumed swap does not
    /// remove files it already moved in.
    static let clearedMarker = "cleared"

    public let manifest: SnapshotTransferManifest
    let root: String
    let fileIO: any FileIO
    private let state: Mutex<State>

    private struct State {
        var fileIndex = 0
        var offset: UInt64 = 0
        var checksum = Checksum()
        var writer: (any WritableFile)?
        var finished = false
    }

    static func path(root: String) -> String { root + "/_node/" + directoryName }

    /// Starts a staging for `manifest`, throwing away any earlier one (of an interrupted
    /// transfer: a complete one would have been swapped in when the node opened).
    public init(root: String, fileIO: any FileIO, manifest: SnapshotTransferManifest) throws(StoreError) {
        self.root = root
        self.fileIO = fileIO
        self.manifest = manifest
        let staging = Self.path(root: root)
        if fileIO.exists(staging) { try fileIO.removeTree(staging) }
        try fileIO.createDirectory(staging + "/_node")
        for id in manifest.indexIDs { try fileIO.createDirectory(staging + "/" + id) }
        try fileIO.syncDirectory(root + "/_node")
        state = Mutex(State())
        try state.withLock { s throws(StoreError) in try advance(&s) }
    }

    /// The file and offset the next bytes belong to; nil once every file is in.
    public var next: (file: Int, offset: UInt64)? {
        state.withLock { s in s.fileIndex < manifest.files.count ? (s.fileIndex, s.offset) : nil }
    }

    /// Appends the bytes of `manifest.files[file]` at `offset` (which must be `next`).
    ///
    /// - Throws: `StoreError.corrupt` for bytes out of order, more than the file's size, or a
    ///   file whose checksum differs from the manifest's once complete (the transfer must
    ///   start over); I/O errors.
    public func append(fileAt file: Int, offset: UInt64, _ bytes: [UInt8]) throws(StoreError) {
        try state.withLock { s throws(StoreError) in
            guard !s.finished, file == s.fileIndex, offset == s.offset, let writer = s.writer else {
                throw .corrupt(path: Self.path(root: root), offset: nil,
                               reason: "bytes for file #\(file) at \(offset), expected file #\(s.fileIndex) at \(s.offset)")
            }
            let expected = manifest.files[file]
            guard UInt64(bytes.count) <= expected.size - s.offset else {
                throw .corrupt(path: writer.path, offset: nil, reason: "more than the manifest's \(expected.size) bytes")
            }
            try writer.write(bytes)
            s.checksum.update(bytes)
            s.offset += UInt64(bytes.count)
            try advance(&s)
        }
    }

    /// Closes each file that is complete (checked and fsynced) and opens the next, so that
    /// empty files need no bytes at all.
    private func advance(_ s: inout State) throws(StoreError) {
        while s.fileIndex < manifest.files.count {
            let file = manifest.files[s.fileIndex]
            if s.writer == nil {
                s.writer = try fileIO.openForWriting(Self.path(root: root) + "/" + file.path, truncate: true)
                s.checksum = Checksum()
                s.offset = 0
            }
            guard s.offset == file.size, let writer = s.writer else { return }
            let checksum = s.checksum.finalize()
            guard checksum == file.checksum else {
                try? writer.close()
                throw .corrupt(path: writer.path, offset: nil, reason: "checksum \(checksum) differs from the manifest's \(file.checksum)")
            }
            try writer.sync()
            try writer.close()
            s.writer = nil
            s.fileIndex += 1
        }
    }

    /// Makes the staging complete: every file was checked and fsynced as it completed; this
    /// syncs the directories and writes the marker that makes the staging eligible for a swap.
    public func finish() throws(StoreError) {
        try state.withLock { s throws(StoreError) in
            guard s.fileIndex == manifest.files.count else {
                throw .corrupt(path: Self.path(root: root), offset: nil, reason: "finished with \(manifest.files.count - s.fileIndex) files missing")
            }
            let staging = Self.path(root: root)
            try fileIO.syncDirectory(staging + "/_node")
            for id in manifest.indexIDs { try fileIO.syncDirectory(staging + "/" + id) }
            try IndexDirectory(fileIO: fileIO, path: staging).atomicWrite(Self.completeMarker, contents: manifest.encoded())
            s.finished = true
        }
    }

    /// Drops the staging (a transfer that failed; the next one starts afresh).
    public func discard() {
        state.withLock { s in
            try? s.writer?.close()
            s.writer = nil
        }
        try? fileIO.removeTree(Self.path(root: root))
    }

    // MARK: Swapping in

    /// Whether `root` holds a complete staging (its manifest), which must be swapped in before
    /// the node's indices are opened; an incomplete one is removed here.
    static func pendingSwap(root: String, fileIO: any FileIO) throws(StoreError) -> SnapshotTransferManifest? {
        let staging = path(root: root)
        guard fileIO.exists(staging) else { return nil }
        let marker = staging + "/" + completeMarker
        guard fileIO.exists(marker) else {
            try fileIO.removeTree(staging)
            try fileIO.syncDirectory(root + "/_node")
            return nil
        }
        let file = try fileIO.readFile(marker)
        return try SnapshotTransferManifest.decode(file.copyBytes())
    }

    /// Replaces the node's indices and catalog under `root` with a complete staging. The
    /// indices must be closed. Every step can be repeated after a crash:
    ///
    /// 1. remove the directories of the indices the current catalog names and of the staged
    ///    ones (unless `cleared` says this was done), then mark `cleared`;
    /// 2. move each staged file into its index directory;
    /// 3. rename the staged catalog over `_node/catalog` (the point of no return: from here the
    ///    node's state is the snapshot's);
    /// 4. remove the staging.
    static func swapIn(root: String, fileIO: any FileIO, manifest: SnapshotTransferManifest) throws(StoreError) {
        let staging = path(root: root)
        let nodeDirectory = IndexDirectory(fileIO: fileIO, path: root + "/_node")
        let stagingDirectory = IndexDirectory(fileIO: fileIO, path: staging)
        let ids = manifest.indexIDs
        if !stagingDirectory.exists(clearedMarker) {
            var doomed = Set(ids)
            if nodeDirectory.exists(IndexCatalog.fileName) {
                for entry in try IndexCatalog.load(from: nodeDirectory).entries { doomed.insert(entry.indexID) }
            }
            for id in doomed.sorted() where fileIO.exists(root + "/" + id) { try fileIO.removeTree(root + "/" + id) }
            try fileIO.syncDirectory(root)
            try stagingDirectory.atomicWrite(clearedMarker, contents: [])
        }
        for id in ids where fileIO.exists(staging + "/" + id) {
            let target = root + "/" + id
            try fileIO.createDirectory(target)
            for name in try fileIO.listDirectory(staging + "/" + id) {
                try fileIO.rename(staging + "/" + id + "/" + name, to: target + "/" + name)
            }
            try fileIO.syncDirectory(target)
            try fileIO.syncDirectory(staging + "/" + id)
            try fileIO.removeTree(staging + "/" + id)
        }
        try fileIO.syncDirectory(root)
        let stagedCatalog = staging + "/" + SnapshotTransferManifest.catalogPath
        if fileIO.exists(stagedCatalog) {
            try fileIO.rename(stagedCatalog, to: nodeDirectory.filePath(IndexCatalog.fileName))
            try nodeDirectory.syncDirectory()
        }
        // The complete marker goes first: a staging without it is only ever discarded, whereas
        // one that kept it but lost `cleared` would be swapped in again over the new indices.
        try stagingDirectory.delete(completeMarker)
        try stagingDirectory.syncDirectory()
        try fileIO.removeTree(staging)
        try nodeDirectory.syncDirectory()
    }
}
