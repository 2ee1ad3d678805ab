/// Who a node is: its id (random, stable across restarts, never reused: a wiped node comes back
/// under a new one) and the id of the cluster it belongs to. Kept in `<index-dir>/_node/identity`.
public struct NodeIdentity: Sendable, Equatable {
    public var nodeID: NodeID
    public var clusterID: UInt64

    public init(nodeID: NodeID, clusterID: UInt64) {
        self.nodeID = nodeID
        self.clusterID = clusterID
    }

    static let fileName = "identity"

    /// The identity in `directory`, or a new one (written durably) when there is none.
    static func loadOrCreate(in directory: IndexDirectory) throws(StoreError) -> (identity: NodeIdentity, created: Bool) {
        if directory.exists(fileName) {
            let file = try directory.openInput(fileName, kind: fileName, segment: "", checksum: true)
            // The input below points into the mapping `file` owns: keep it alive while it is read.
            defer { withExtendedLifetime(file) {} }
            var input = DataInput(UnsafeRawBufferPointer(rebasing: file.file.bytes[file.body]), file: directory.filePath(fileName))
            let identity = NodeIdentity(nodeID: try input.readUInt64(), clusterID: try input.readUInt64())
            guard identity.nodeID != 0 else { throw input.corrupt("node id 0 is reserved") }
            return (identity, false)
        }
        var generator = SystemRandomNumberGenerator()
        var nodeID: NodeID = 0
        while nodeID == 0 { nodeID = generator.next() }
        let identity = NodeIdentity(nodeID: nodeID, clusterID: generator.next())
        try identity.save(in: directory)
        return (identity, true)
    }

    /// Writes the identity durably (a joining node records the cluster it joined).
    func save(in directory: IndexDirectory) throws(StoreError) {
        var body = DataOutput()
        body.writeUInt64(nodeID)
        body.writeUInt64(clusterID)
        let header = FileHeader(kind: Self.fileName, codecName: "none", codecVersion: 1, segment: "")
        try directory.atomicWrite(Self.fileName, contents: IndexDirectory.fileImage(header: header, body: body.bytes))
    }
}
