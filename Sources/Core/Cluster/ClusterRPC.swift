/// The payloads of the calls nodes make to each other over the peer transport (besides Raft's
/// own messages): forwarded writes, joins and leaves. Binary like the log's commands, and
/// decoded defensively: a peer's bytes are outside input.
public enum ClusterRPC {
    /// A follower's writes, for the leader to propose.
    public static func encodeForward(_ commands: [NodeCommand]) -> [UInt8] {
        var out = DataOutput()
        out.writeVInt(commands.count)
        for command in commands { out.writeLengthPrefixed(command.encoded()) }
        return out.bytes
    }

    public static func decodeForward(_ bytes: [UInt8]) throws(StoreError) -> [NodeCommand] {
        try decode(bytes, what: "forwarded writes") { input throws(StoreError) in
            let count = try input.readVInt(max: input.remaining)
            var commands: [NodeCommand] = []
            for i in 0..<count {
                let encoded = try input.readLengthPrefixed(max: input.remaining)
                commands.append(try NodeCommand.decode(encoded, source: "forwarded command \(i)"))
            }
            return commands
        }
    }

    /// The leader's acknowledgements of forwarded writes.
    public static func encodeAcknowledgements(_ acks: [ClusterNode.Acknowledgement]) -> [UInt8] {
        var out = DataOutput()
        out.writeVInt(acks.count)
        for ack in acks {
            out.writeUInt64(ack.logIndex)
            switch ack.outcome {
            case .applied: out.writeByte(0)
            case .alreadyApplied: out.writeByte(1)
            case .deleted(let count): out.writeByte(2); out.writeVInt(count)
            case .rejected(let reason): out.writeByte(3); out.writeString(reason)
            }
        }
        return out.bytes
    }

    public static func decodeAcknowledgements(_ bytes: [UInt8]) throws(StoreError) -> [ClusterNode.Acknowledgement] {
        try decode(bytes, what: "acknowledgements") { input throws(StoreError) in
            let count = try input.readVInt(max: input.remaining)
            var acks: [ClusterNode.Acknowledgement] = []
            for _ in 0..<count {
                let index = try input.readUInt64()
                let outcome: NodeStateMachine.Outcome
                switch try input.readByte() {
                case 0: outcome = .applied
                case 1: outcome = .alreadyApplied
                case 2: outcome = .deleted(try input.readVInt(max: Int.max))
                case 3: outcome = .rejected(try input.readString())
                case let tag: throw input.corrupt("unknown outcome tag \(tag)")
                }
                acks.append(ClusterNode.Acknowledgement(logIndex: index, outcome: outcome))
            }
            return acks
        }
    }

    /// A node asking to join: its id (never reused), the address its peers reach it at, and
    /// what its registry holds (so the leader can refuse configs it could not apply).
    public struct JoinRequest: Sendable, Equatable {
        public var nodeID: NodeID
        public var address: String
        public var components: [String]

        public init(nodeID: NodeID, address: String, components: [String]) {
            self.nodeID = nodeID
            self.address = address
            self.components = components
        }

        public func encoded() -> [UInt8] {
            var out = DataOutput()
            out.writeUInt64(nodeID)
            out.writeString(address)
            out.writeVInt(components.count)
            for name in components { out.writeString(name) }
            return out.bytes
        }

        public static func decode(_ bytes: [UInt8]) throws(StoreError) -> JoinRequest {
            try ClusterRPC.decode(bytes, what: "join request") { input throws(StoreError) in
                let id = try input.readUInt64()
                guard id != 0 else { throw input.corrupt("node id 0") }
                let address = try input.readString(max: 1024)
                let count = try input.readVInt(max: input.remaining)
                var components: [String] = []
                for _ in 0..<count { components.append(try input.readString(max: 1024)) }
                return JoinRequest(nodeID: id, address: address, components: components)
            }
        }
    }

    /// What a node says of itself when a member is asked to add it (`PUT /cluster/<node>`):
    /// who it is, what it holds, and whether it is waiting to be added or belongs to a cluster.
    public struct IdentityReply: Sendable, Equatable {
        public var node: JoinRequest
        /// The cluster the node belongs to (meaningless while `waiting`).
        public var clusterID: UInt64
        /// Started with `--seed-addr` and no state, and not added yet.
        public var waiting: Bool

        public init(node: JoinRequest, clusterID: UInt64, waiting: Bool) {
            self.node = node
            self.clusterID = clusterID
            self.waiting = waiting
        }

        public func encoded() -> [UInt8] {
            var out = DataOutput()
            out.writeUInt64(clusterID)
            out.writeByte(waiting ? 1 : 0)
            return out.bytes + node.encoded()
        }

        public static func decode(_ bytes: [UInt8]) throws(StoreError) -> IdentityReply {
            let (cluster, waiting) = try ClusterRPC.decode(Array(bytes.prefix(9)), what: "identity") { input throws(StoreError) in
                (try input.readUInt64(), try input.readByte() == 1)
            }
            return IdentityReply(node: try JoinRequest.decode(Array(bytes.dropFirst(9))), clusterID: cluster, waiting: waiting)
        }
    }

    /// What a joining node learns: the cluster it is now a learner of, and its members.
    public struct JoinResponse: Sendable, Equatable {
        public var clusterID: UInt64
        public var leaderID: NodeID
        public var members: [NodeID: String]

        public init(clusterID: UInt64, leaderID: NodeID, members: [NodeID: String]) {
            self.clusterID = clusterID
            self.leaderID = leaderID
            self.members = members
        }

        public func encoded() -> [UInt8] {
            var out = DataOutput()
            out.writeUInt64(clusterID)
            out.writeUInt64(leaderID)
            out.writeVInt(members.count)
            for (id, address) in members.sorted(by: { $0.key < $1.key }) {
                out.writeUInt64(id)
                out.writeString(address)
            }
            return out.bytes
        }

        public static func decode(_ bytes: [UInt8]) throws(StoreError) -> JoinResponse {
            try ClusterRPC.decode(bytes, what: "join response") { input throws(StoreError) in
                let cluster = try input.readUInt64()
                let leader = try input.readUInt64()
                let count = try input.readVInt(max: input.remaining)
                var members: [NodeID: String] = [:]
                for _ in 0..<count {
                    let id = try input.readUInt64()
                    members[id] = try input.readString(max: 1024)
                }
                return JoinResponse(clusterID: cluster, leaderID: leader, members: members)
            }
        }
    }

    static func decode<T>(_ bytes: [UInt8], what: String, _ body: (inout DataInput) throws(StoreError) -> T) throws(StoreError) -> T {
        let result: Result<T, StoreError> = bytes.withUnsafeBytes { raw in
            var input = DataInput(raw, file: what)
            do throws(StoreError) {
                let value = try body(&input)
                guard input.isAtEnd else { throw input.corrupt("\(input.remaining) bytes after the \(what)") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
