/// A single-server membership change, carried as the payload of a `.confChange` entry.
///
/// One server at a time keeps every old majority and new majority overlapping, so no joint
/// consensus is needed (Raft dissertation, section 4.1). A change takes effect on each node as
/// soon as the node appends it, not when it commits; the leader allows a new one only once the
/// previous one has committed.
public struct ConfChange: Sendable, Equatable {
    public enum ChangeType: UInt8, Sendable, Equatable {
        /// Adds a non-voting member that receives the log (how a node joins).
        case addLearner = 0
        /// Promotes a learner to voter (or adds a voter directly).
        case addVoter = 1
        /// Removes a voter or learner; its id is never used again.
        case removeNode = 2
    }

    public var type: ChangeType
    public var nodeID: NodeID
    /// Opaque data for the node layer (the joining node's address, say).
    public var context: [UInt8]

    public init(type: ChangeType, nodeID: NodeID, context: [UInt8] = []) {
        self.type = type
        self.nodeID = nodeID
        self.context = context
    }

    /// The entry payload.
    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.u8(type.rawValue)
        writer.u64(nodeID)
        writer.bytes(context)
        return writer.output
    }

    /// Decodes an entry payload; nil if it is not a valid conf change.
    public static func decode(_ bytes: [UInt8]) -> ConfChange? {
        var reader = ByteReader(bytes)
        guard let raw = reader.u8(), let type = ChangeType(rawValue: raw), let id = reader.u64(),
              let context = reader.bytes(), reader.isAtEnd else { return nil }
        return ConfChange(type: type, nodeID: id, context: context)
    }
}
