/// A node's identity in a Raft group. Ids are stable for the node's lifetime, never reused
/// after a node is removed, and are not addresses (the transport maps ids to addresses), so a
/// node that moves keeps its id and a stale message from a removed node can never be mistaken
/// for a new member's. Zero means "none" (no vote, no known leader).
public typealias NodeID = UInt64

/// What an entry's payload means to the node layer.
public enum EntryType: UInt8, Sendable, Equatable {
    /// Opaque application data (a command), or empty (the no-op a new leader appends).
    case normal = 0
    /// An encoded `ConfChange`; the membership changes as soon as it is appended.
    case confChange = 1
}

/// One Raft log entry: its position (`index`), the term of the leader that created it, and an
/// opaque payload that Raft never interprets (except conf changes).
public struct Entry: Sendable, Equatable {
    /// The term of the leader that appended it: with `index`, what identifies an entry.
    public var term: UInt64
    /// Its position in the log, from 1.
    public var index: UInt64
    public var type: EntryType
    /// The payload, opaque to Raft.
    public var data: [UInt8]

    public init(term: UInt64, index: UInt64, type: EntryType = .normal, data: [UInt8] = []) {
        self.term = term
        self.index = index
        self.type = type
        self.data = data
    }

    /// The approximate encoded size, used for message size limits and flow control.
    public var byteSize: Int { data.count + 24 }
}

extension Array where Element == Entry {
    /// The total `byteSize` of the entries.
    var byteSize: Int { reduce(0) { $0 + $1.byteSize } }
}
