/// The serving side of a snapshot transfer: the catalog and every index's last commit point,
/// pinned (no commit or merge deletes their files meanwhile) and mapped, with the manifest a
/// follower checks what it streams against. Made by `NodeStateMachine.pinForTransfer()`; the
/// files stay until `release()` (or until the source dies).
public final class SnapshotTransferSource: Sendable {
    public let manifest: SnapshotTransferManifest
    /// The mapped files, in manifest order.
    private let files: [ReadOnlyFile]
    private let pins: [CommitPin]

    /// Checksums every file (a pass over all of them: call it off the node's actor).
    public init(_ pinned: PinnedCommitPoints) {
        files = pinned.files.map(\.file)
        pins = pinned.pins
        manifest = SnapshotTransferManifest(logIndex: pinned.logIndex, files: pinned.files.map { entry in
            SnapshotTransferManifest.File(path: entry.path, size: UInt64(entry.file.count), checksum: Checksum.hash(entry.file.bytes))
        })
    }

    /// The bytes of `manifest.files[index]` at `offset..<offset+length` (fewer only at its end).
    ///
    /// - Throws: `StoreError.corrupt` for a file index or an offset outside the manifest (a
    ///   confused or hostile peer, answered with an error rather than a trap).
    public func read(fileAt index: Int, offset: UInt64, length: Int) throws(StoreError) -> [UInt8] {
        guard files.indices.contains(index) else {
            throw .corrupt(path: "snapshot transfer", offset: nil, reason: "no file #\(index) (the manifest has \(files.count))")
        }
        let bytes = files[index].bytes
        guard offset <= UInt64(bytes.count), length >= 0 else {
            throw .corrupt(path: manifest.files[index].path, offset: nil, reason: "offset \(offset) past its \(bytes.count) bytes")
        }
        let start = Int(offset)
        let end = start + min(length, bytes.count - start)
        return Array(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
    }

    /// Lets the pinned files go (they are deleted if nothing else uses them).
    public func release() {
        for pin in pins { pin.release() }
    }
}

/// The catalog and every index's last commit point, pinned and mapped at one moment
/// (`NodeStateMachine.pinCommitPoints()`), not yet checksummed: pinning is quick and must
/// happen where nothing is applied or committed meanwhile, hashing is slow and need not.
public struct PinnedCommitPoints: Sendable {
    /// Every piece holds everything up to here.
    public let logIndex: UInt64
    let files: [(path: String, file: ReadOnlyFile)]
    let pins: [CommitPin]

    /// Lets the files go without making a source (an error on the way).
    public func release() {
        for pin in pins { pin.release() }
    }
}
