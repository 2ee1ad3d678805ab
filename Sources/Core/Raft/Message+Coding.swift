/// Why bytes from a peer are not a valid batch of Raft messages.
public enum MessageCodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The batch was written by a protocol version this node does not speak.
    case unsupportedVersion(UInt8)
    /// The bytes end inside `field`, or a length or count runs past them.
    case truncated(field: String)
    /// `field` holds a value no correct peer sends.
    case invalid(field: String, reason: String)
    /// Bytes are left over after the last message.
    case trailingBytes(count: Int)

    public var description: String {
        switch self {
        case .unsupportedVersion(let v): "unsupported Raft message encoding version \(v)"
        case .truncated(let field): "Raft message truncated in \(field)"
        case .invalid(let field, let reason): "invalid Raft message \(field): \(reason)"
        case .trailingBytes(let count): "\(count) bytes after the last Raft message"
        }
    }
}

/// The peer protocol's encoding of Raft messages: compact (varints, optional parts behind a
/// flag byte, so a heartbeat is about a dozen bytes) and decoded defensively. The decoder
/// rejects anything that could make `RaftNode` trap or overflow, so a buggy or hostile peer
/// costs a dropped batch, never the process:
///
/// - only message types that travel between nodes (never `hup`, `beat`, `unreachable`);
/// - `to` and `from` nonzero and different;
/// - every term, index, commit, hint, offset and size (not node ids, which are random 64-bit
///   numbers) at most `maxWireValue` (2^62), so the
///   `+ 1`s and sums the algorithm does on them cannot overflow;
/// - vote requests and responses carry a term (`RaftNode.send` requires one for the answer),
///   leader messages too, and forwarded proposals and ReadIndex requests none;
/// - entries only on appends and proposals; an append's entries have consecutive indices from
///   `index + 1` and terms that never decrease, from `logTerm` up to the message's term (so a
///   follower's conflict always lies past its commit index);
/// - a snapshot chunk exactly on `.snapshot`, with `offset + data.count <= totalSize`, a
///   nonzero snapshot index and a membership of nonzero ids with at least one voter.
///
/// What depends on the receiver's state (is `to` this node, is `from` a member) is the node's
/// business, not the decoder's.
extension Message {
    /// The encoding version, the first byte of every batch.
    static let wireVersion: UInt8 = 1
    /// The largest term, index or size accepted from a peer: far beyond any real log, and far
    /// enough from `UInt64.max` that arithmetic on it never overflows.
    public static let maxWireValue: UInt64 = 1 << 62

    private enum Flag {
        static let reject: UInt8 = 1
        static let entries: UInt8 = 2
        static let context: UInt8 = 4
        static let chunk: UInt8 = 8
        static let all: UInt8 = 15
    }

    /// Encodes a batch of messages (in order) as one byte string.
    public static func encodeBatch(_ messages: [Message]) -> [UInt8] {
        var writer = ByteWriter()
        writer.output.reserveCapacity(messages.reduce(8) { $0 + $1.byteSize })
        writer.u8(wireVersion)
        writer.varint(UInt64(messages.count))
        for message in messages { message.encode(into: &writer) }
        return writer.output
    }

    /// Decodes and validates what `encodeBatch` wrote; throws on the first problem, so a batch
    /// is taken whole or not at all.
    public static func decodeBatch(_ bytes: [UInt8]) throws(MessageCodingError) -> [Message] {
        var reader = ByteReader(bytes)
        guard let version = reader.u8() else { throw .truncated(field: "version") }
        guard version == wireVersion else { throw .unsupportedVersion(version) }
        guard let count = reader.varint() else { throw .truncated(field: "message count") }
        // Every message takes at least 23 bytes (type, flags, two ids, five varints).
        guard count <= UInt64(reader.remaining / 23) else { throw .truncated(field: "messages") }
        var messages: [Message] = []
        messages.reserveCapacity(Int(count))
        for _ in 0..<count {
            let message = try decode(from: &reader)
            try message.validateForWire()
            messages.append(message)
        }
        guard reader.isAtEnd else { throw .trailingBytes(count: reader.remaining) }
        return messages
    }

    /// One message as a batch of one.
    public func encoded() -> [UInt8] { Self.encodeBatch([self]) }

    /// Decodes a batch that must hold exactly one message.
    public init(decoding bytes: [UInt8]) throws(MessageCodingError) {
        let messages = try Self.decodeBatch(bytes)
        guard messages.count == 1, let message = messages.first else {
            throw .invalid(field: "batch", reason: "\(messages.count) messages where one was expected")
        }
        self = message
    }

    // MARK: Layout

    func encode(into w: inout ByteWriter) {
        var flags: UInt8 = 0
        if reject { flags |= Flag.reject }
        if !entries.isEmpty { flags |= Flag.entries }
        if !context.isEmpty { flags |= Flag.context }
        if chunk != nil { flags |= Flag.chunk }
        w.u8(type.rawValue)
        w.u8(flags)
        // Node ids are random 64-bit numbers: fixed width is shorter than a varint for them.
        w.u64(to)
        w.u64(from)
        w.varint(term)
        w.varint(logTerm)
        w.varint(index)
        w.varint(commit)
        w.varint(rejectHint)
        if !entries.isEmpty {
            w.varint(UInt64(entries.count))
            for entry in entries {
                w.varint(entry.term)
                w.varint(entry.index)
                w.u8(entry.type.rawValue)
                w.varBytes(entry.data)
            }
        }
        if !context.isEmpty { w.varBytes(context) }
        if let chunk {
            w.varint(chunk.metadata.index)
            w.varint(chunk.metadata.term)
            for ids in [chunk.metadata.confState.voters, chunk.metadata.confState.learners,
                        chunk.metadata.confState.removed] {
                w.varint(UInt64(ids.count))
                for id in ids { w.u64(id) }
            }
            // Offsets and sizes are never negative in a chunk a leader makes.
            w.varint(UInt64(clamping: chunk.offset))
            w.varint(UInt64(clamping: chunk.totalSize))
            w.varBytes(chunk.data)
        }
    }

    static func decode(from r: inout ByteReader) throws(MessageCodingError) -> Message {
        guard let rawType = r.u8() else { throw .truncated(field: "type") }
        guard let type = MessageType(rawValue: rawType) else {
            throw .invalid(field: "type", reason: "unknown message type \(rawType)")
        }
        guard let flags = r.u8() else { throw .truncated(field: "flags") }
        guard flags & ~Flag.all == 0 else { throw .invalid(field: "flags", reason: "unknown flags \(flags)") }
        var m = Message(type: type)
        m.reject = flags & Flag.reject != 0
        guard let to = r.u64(), let from = r.u64() else { throw .truncated(field: "to/from") }
        m.to = to
        m.from = from
        m.term = try value(&r, "term")
        m.logTerm = try value(&r, "logTerm")
        m.index = try value(&r, "index")
        m.commit = try value(&r, "commit")
        m.rejectHint = try value(&r, "rejectHint")
        if flags & Flag.entries != 0 {
            guard let count = r.varint() else { throw .truncated(field: "entry count") }
            // Every entry takes at least 4 bytes (term, index, type, data length).
            guard count > 0, count <= UInt64(r.remaining / 4) else {
                throw .invalid(field: "entry count", reason: "\(count) entries in \(r.remaining) bytes")
            }
            m.entries.reserveCapacity(Int(count))
            for _ in 0..<count {
                let term = try value(&r, "entry term")
                let index = try value(&r, "entry index")
                guard let rawEntryType = r.u8() else { throw .truncated(field: "entry type") }
                guard let entryType = EntryType(rawValue: rawEntryType) else {
                    throw .invalid(field: "entry type", reason: "unknown entry type \(rawEntryType)")
                }
                guard let data = r.varBytes() else { throw .truncated(field: "entry data") }
                m.entries.append(Entry(term: term, index: index, type: entryType, data: data))
            }
        }
        if flags & Flag.context != 0 {
            guard let context = r.varBytes() else { throw .truncated(field: "context") }
            m.context = context
        }
        if flags & Flag.chunk != 0 {
            m.chunk = try decodeChunk(&r)
        }
        return m
    }

    private static func decodeChunk(_ r: inout ByteReader) throws(MessageCodingError) -> SnapshotChunk {
        let index = try value(&r, "snapshot index")
        let term = try value(&r, "snapshot term")
        let voters = try ids(&r, "snapshot voters")
        let learners = try ids(&r, "snapshot learners")
        let removed = try ids(&r, "snapshot removed ids")
        let offset = try value(&r, "snapshot offset")
        let totalSize = try value(&r, "snapshot size")
        guard let data = r.varBytes() else { throw .truncated(field: "snapshot data") }
        let metadata = SnapshotMetadata(index: index, term: term,
                                        confState: ConfState(voters: voters, learners: learners, removed: removed))
        // Both are at most maxWireValue (2^62), so they fit an Int on the 64-bit platforms we run on.
        return SnapshotChunk(metadata: metadata, offset: Int(offset), totalSize: Int(totalSize), data: data)
    }

    /// A varint no larger than `maxWireValue`.
    private static func value(_ r: inout ByteReader, _ field: String) throws(MessageCodingError) -> UInt64 {
        guard let v = r.varint() else { throw .truncated(field: field) }
        guard v <= maxWireValue else { throw .invalid(field: field, reason: "\(v) is out of range") }
        return v
    }

    /// A count-prefixed list of nonzero node ids.
    private static func ids(_ r: inout ByteReader, _ field: String) throws(MessageCodingError) -> [NodeID] {
        guard let count = r.varint() else { throw .truncated(field: field) }
        guard count <= UInt64(r.remaining / 8) else { throw .truncated(field: field) }
        var ids: [NodeID] = []
        ids.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let id = r.u64() else { throw .truncated(field: field) }
            guard id != 0 else { throw .invalid(field: field, reason: "node id 0") }
            ids.append(id)
        }
        return ids
    }

    // MARK: Validation

    /// Checks what `RaftNode.step` relies on without looking at its own state (see the type's
    /// documentation). Also run by the decoder on every message.
    public func validateForWire() throws(MessageCodingError) {
        if isLocal { throw .invalid(field: "type", reason: "\(type) never crosses the network") }
        guard to != 0 else { throw .invalid(field: "to", reason: "no recipient") }
        guard from != 0 else { throw .invalid(field: "from", reason: "no sender") }
        guard to != from else { throw .invalid(field: "to", reason: "sender and recipient are both \(to)") }
        for (field, v) in [("term", term), ("logTerm", logTerm), ("index", index), ("commit", commit),
                           ("rejectHint", rejectHint)] where v > Self.maxWireValue {
            throw .invalid(field: field, reason: "\(v) is out of range")
        }
        switch type {
        case .vote, .voteResponse, .preVote, .preVoteResponse, .append, .heartbeat, .snapshot, .timeoutNow:
            guard term != 0 else { throw .invalid(field: "term", reason: "a \(type) message needs a term") }
        case .propose, .readIndex:
            guard term == 0 else { throw .invalid(field: "term", reason: "a forwarded \(type) carries no term") }
        default:
            break
        }
        switch type {
        case .append:
            try validateAppendEntries()
        case .propose:
            break
        default:
            guard entries.isEmpty else { throw .invalid(field: "entries", reason: "a \(type) message carries none") }
        }
        if type == .snapshot {
            guard let chunk else { throw .invalid(field: "chunk", reason: "a snapshot message without a chunk") }
            try Self.validate(chunk)
        } else if chunk != nil {
            throw .invalid(field: "chunk", reason: "a \(type) message carries none")
        }
    }

    private func validateAppendEntries() throws(MessageCodingError) {
        var previousTerm = logTerm
        guard logTerm <= term else { throw .invalid(field: "logTerm", reason: "\(logTerm) is past the term \(term)") }
        for (i, entry) in entries.enumerated() {
            guard entry.index == index + 1 + UInt64(i), entry.index <= Self.maxWireValue else {
                throw .invalid(field: "entries", reason: "entry \(i) has index \(entry.index), expected \(index + 1 + UInt64(i))")
            }
            guard entry.term >= previousTerm, entry.term <= term else {
                throw .invalid(field: "entries", reason: "entry \(entry.index) has term \(entry.term) outside \(previousTerm)...\(term)")
            }
            previousTerm = entry.term
        }
    }

    private static func validate(_ chunk: SnapshotChunk) throws(MessageCodingError) {
        let limit = Int(maxWireValue)
        guard chunk.offset >= 0, chunk.totalSize >= 0, chunk.offset <= limit, chunk.totalSize <= limit,
              chunk.data.count <= chunk.totalSize - chunk.offset else {
            throw .invalid(field: "chunk", reason: "\(chunk.data.count) bytes at \(chunk.offset) of \(chunk.totalSize)")
        }
        let metadata = chunk.metadata
        guard metadata.index != 0, metadata.index <= maxWireValue, metadata.term <= maxWireValue else {
            throw .invalid(field: "chunk", reason: "snapshot index \(metadata.index), term \(metadata.term)")
        }
        guard !metadata.confState.voters.isEmpty else {
            throw .invalid(field: "chunk", reason: "a snapshot membership without voters")
        }
        for id in metadata.confState.voters + metadata.confState.learners + metadata.confState.removed
        where id == 0 {
            throw .invalid(field: "chunk", reason: "node id \(id) in the snapshot membership")
        }
    }
}
