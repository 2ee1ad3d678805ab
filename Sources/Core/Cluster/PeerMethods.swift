/// The calls the admin commands (and nodes) make on a node's peer port, so the caller and the
/// node's `PeerHandler` agree on names and bodies.
public enum PeerMethod {
    /// Body: `ClusterRPC.encodeForward` of a follower's commands; answer: their acknowledgements
    /// (`ClusterRPC.encodeAcknowledgements`) once applied on the leader.
    public static let forward = "forward"
    /// Body: a `ClusterRPC.JoinRequest` from a node started with `--seed-addr`; answer: a
    /// `ClusterRPC.JoinResponse` once it is a learner.
    public static let joinRequest = "join.request"
    /// Body empty; answer: the leader's commit index confirmed by a quorum (8 bytes, little
    /// endian), for a follower's linearizable read.
    public static let readIndex = "read.index"
    /// Body empty; answer: the status JSON object (UTF-8), PySyncObj key names (API.md).
    public static let status = "status"
    /// Body: the joining node's `host:port` (UTF-8); answer: JSON, once the change is committed.
    public static let join = "join"
    /// Body: the leaving node's `host:port` (UTF-8); answer: JSON, once the change is committed.
    public static let leave = "leave"
    /// Body empty; writes the backup zip and answers `{"bytes": N}` (UTF-8 JSON), its size.
    public static let snapshotCreate = "snapshot.create"
    /// Body: a `SnapshotReadRequest`; answer: the zip's bytes at that range (fewer only at the end).
    public static let snapshotRead = "snapshot.read"
}

/// A range of the backup zip `snapshot.create` wrote: `[u64 LE offset][u32 LE length]`, the
/// length at most `maxLength` so that one answer stays far below the frame limit.
public struct SnapshotReadRequest: Sendable, Equatable {
    public static let maxLength = 4 << 20
    public var offset: UInt64
    public var length: Int

    public init(offset: UInt64, length: Int) {
        self.offset = offset
        self.length = length
    }

    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.u64(offset)
        writer.u32(UInt32(clamping: length))
        return writer.output
    }

    /// nil unless the body is exactly 12 bytes with a length of 1...maxLength.
    public init?(decoding body: [UInt8]) {
        var reader = ByteReader(body)
        guard let offset = reader.u64(), let length = reader.u32(), reader.isAtEnd,
              length > 0, Int(length) <= Self.maxLength else { return nil }
        self.offset = offset
        self.length = Int(length)
    }
}
