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
    /// Body: the `host:port` of a node to add (UTF-8); the leader asks the node who it is
    /// (`identity`), adds it if it waits to be added, and tells it (`join.accept`); answer:
    /// JSON, once it is a learner (or at once if it is a member already).
    public static let join = "join"
    /// Body empty; answer: a `ClusterRPC.IdentityReply`.
    public static let identity = "identity"
    /// Body: a `ClusterRPC.JoinResponse` from the leader that added this waiting node.
    public static let joinAccept = "join.accept"
    /// Body: the leaving node's `host:port` (UTF-8); answer: JSON, once the change is committed.
    public static let leave = "leave"
    /// Body empty; writes the backup zip and answers `{"bytes": N}` (UTF-8 JSON), its size.
    public static let snapshotCreate = "snapshot.create"
    /// Body: a `SnapshotReadRequest`; answer: the zip's bytes at that range (fewer only at the end).
    public static let snapshotRead = "snapshot.read"
    /// Body: the log index the follower's Raft snapshot covers and its cluster id (u64 LE
    /// each); a node of that cluster pins its catalog and commit points (which must hold at
    /// least that much) and answers a
    /// `TransferBeginReply`: a session and the `SnapshotTransferManifest`.
    public static let transferBegin = "transfer.begin"
    /// Body: a `TransferReadRequest`; answer: the file's bytes at that range (fewer only at its end).
    public static let transferRead = "transfer.read"
    /// Body: the session (u64 LE); releases the pins (sessions idle for two minutes expire).
    public static let transferEnd = "transfer.end"
}

/// The answer to `transfer.begin`: `[u64 LE session][manifest]`.
public struct TransferBeginReply: Sendable, Equatable {
    public var session: UInt64
    public var manifest: SnapshotTransferManifest

    public init(session: UInt64, manifest: SnapshotTransferManifest) {
        self.session = session
        self.manifest = manifest
    }

    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.u64(session)
        return writer.output + manifest.encoded()
    }

    public static func decode(_ body: [UInt8]) throws -> TransferBeginReply {
        var reader = ByteReader(body)
        guard let session = reader.u64() else {
            throw StoreError.corrupt(path: "transfer.begin answer", offset: nil, reason: "shorter than its session")
        }
        return TransferBeginReply(session: session, manifest: try SnapshotTransferManifest.decode(Array(body.dropFirst(8))))
    }
}

/// A range of one file of a transfer session: `[u64 session][u32 file][u64 offset][u32 length]`
/// (little endian), the length at most `SnapshotReadRequest.maxLength`.
public struct TransferReadRequest: Sendable, Equatable {
    public var session: UInt64
    public var file: Int
    public var offset: UInt64
    public var length: Int

    public init(session: UInt64, file: Int, offset: UInt64, length: Int) {
        self.session = session
        self.file = file
        self.offset = offset
        self.length = length
    }

    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.u64(session)
        writer.u32(UInt32(clamping: file))
        writer.u64(offset)
        writer.u32(UInt32(clamping: length))
        return writer.output
    }

    /// nil unless the body is exactly 24 bytes with a length of 1...maxLength.
    public init?(decoding body: [UInt8]) {
        var reader = ByteReader(body)
        guard let session = reader.u64(), let file = reader.u32(), let offset = reader.u64(), let length = reader.u32(),
              reader.isAtEnd, length > 0, Int(length) <= SnapshotReadRequest.maxLength else { return nil }
        self.init(session: session, file: Int(file), offset: offset, length: Int(length))
    }
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
