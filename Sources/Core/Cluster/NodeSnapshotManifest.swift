/// What a Raft snapshot of a node is (DESIGN.md, "Snapshots"): not a copy of the indices but
/// the list of their durable commit points, plus the catalog and the cluster id. The commit
/// points hold every entry up to `logIndex`, which is why the log before it may be dropped.
/// A follower that is sent the snapshot fetches the named commit points' files.
struct NodeSnapshotManifest: Sendable, Equatable {
    struct Index: Sendable, Equatable {
        var name: String
        var indexID: String
        var config: String
        var generation: Int
        var lastAppliedLogIndex: UInt64
    }

    /// 2 added the address book.
    static let formatVersion: UInt8 = 2

    var clusterID: UInt64
    var logIndex: UInt64
    var indices: [Index]
    /// Where the members are reached and what they hold, as of `logIndex`: the membership
    /// changes that said so are compacted away, and a member installing the snapshot needs it.
    var peers: PeerAddressBook?

    init(clusterID: UInt64, logIndex: UInt64, indices: [Index], peers: PeerAddressBook? = nil) {
        self.clusterID = clusterID
        self.logIndex = logIndex
        self.indices = indices
        self.peers = peers
    }

    /// The manifest of the node's indices as their last commits have them.
    init(clusterID: UInt64, logIndex: UInt64, stateMachine: NodeStateMachine, peers: PeerAddressBook? = nil) {
        var indices: [Index] = []
        for entry in stateMachine.catalog.entries {
            guard let open = stateMachine.index(named: entry.name) else { continue }
            let commit = open.writer.lastCommit
            indices.append(Index(name: entry.name, indexID: entry.indexID, config: entry.config, generation: commit.generation,
                                 lastAppliedLogIndex: commit.lastAppliedLogIndex))
        }
        self.init(clusterID: clusterID, logIndex: logIndex, indices: indices, peers: peers)
    }

    func encoded() -> [UInt8] {
        var out = DataOutput()
        out.writeByte(Self.formatVersion)
        out.writeUInt64(clusterID)
        out.writeVInt(logIndex)
        out.writeVInt(indices.count)
        for index in indices {
            out.writeString(index.name)
            out.writeString(index.indexID)
            out.writeString(index.config)
            out.writeVInt(index.generation)
            out.writeVInt(index.lastAppliedLogIndex)
        }
        out.writeByte(peers == nil ? 0 : 1)
        peers?.encode(into: &out)
        return out.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> NodeSnapshotManifest {
        try bytes.withUnsafeBytes { raw in
            var input = DataInput(raw, file: "raft snapshot manifest")
            let version = try input.readByte()
            guard version == 1 || version == formatVersion else { throw input.corrupt("manifest format \(version), expected \(formatVersion)") }
            var manifest = NodeSnapshotManifest(clusterID: try input.readUInt64(), logIndex: try input.readVInt(), indices: [])
            let count = try input.readVInt(max: input.remaining)
            for _ in 0..<count {
                manifest.indices.append(Index(name: try input.readString(), indexID: try input.readString(),
                                              config: try input.readString(max: Int(Int32.max)),
                                              generation: try input.readVInt(max: Int(Int32.max)), lastAppliedLogIndex: try input.readVInt()))
            }
            if version >= 2, try input.readByte() == 1 { manifest.peers = try PeerAddressBook.decode(from: &input) }
            return manifest
        }
    }
}
