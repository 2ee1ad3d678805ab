/// One piece of a snapshot in flight from the leader: the follower appends chunks in order and
/// installs the snapshot when it holds `totalSize` bytes.
public struct SnapshotChunk: Sendable, Equatable {
    /// Which snapshot: chunks of an older one are never mixed into a newer one.
    public var metadata: SnapshotMetadata
    /// Where `data` starts in the snapshot, and the snapshot's whole size.
    public var offset: Int
    public var totalSize: Int
    public var data: [UInt8]

    public init(metadata: SnapshotMetadata, offset: Int, totalSize: Int, data: [UInt8]) {
        self.metadata = metadata
        self.offset = offset
        self.totalSize = totalSize
        self.data = data
    }

    public var isLast: Bool { offset + data.count >= totalSize }
}
