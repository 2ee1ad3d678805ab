/// The serving side of a snapshot transfer: the catalog and every index's last commit point,
/// pinned (no commit or merge deletes their files meanwhile) and mapped, with the manifest a
/// follower checks what it streams against. Made by `NodeStateMachine.pinForTransfer()`; the
/// files stay until `release()` (or until the source dies).
public final class SnapshotTransferSource: Sendable {
    public let manifest: SnapshotTransferManifest
    /// The mapped files, in manifest order.
    let files: [ReadOnlyFile]
    private let pins: [CommitPin]

    init(logIndex: UInt64, files: [(path: String, file: ReadOnlyFile)], pins: [CommitPin]) {
        self.files = files.map(\.file)
        self.pins = pins
        manifest = SnapshotTransferManifest(logIndex: logIndex, files: files.map { entry in
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
