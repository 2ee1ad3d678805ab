/// Where each member of the cluster is reached: node id -> advertised `host:port`.
///
/// Peers are matched by id, not address (API.md); the addresses come from the membership
/// changes in the log (a joining node's change carries its address) and are kept in
/// `<index-dir>/_node/peers`, so a restarted node reaches its peers before it has replayed
/// anything.
public struct PeerAddressBook: Sendable, Equatable {
    public private(set) var addresses: [NodeID: String]

    public init(addresses: [NodeID: String] = [:]) {
        self.addresses = addresses
    }

    static let fileName = "peers"

    public subscript(id: NodeID) -> String? {
        addresses[id]
    }

    /// The id of the member advertising `address`, if any.
    public func id(of address: String) -> NodeID? {
        addresses.first(where: { $0.value == address })?.key
    }

    public mutating func set(_ id: NodeID, _ address: String) {
        addresses[id] = address
    }

    public mutating func remove(_ id: NodeID) {
        addresses.removeValue(forKey: id)
    }

    static func load(in directory: IndexDirectory) throws(StoreError) -> PeerAddressBook {
        guard directory.exists(fileName) else { return PeerAddressBook() }
        let file = try directory.openInput(fileName, kind: fileName, segment: "", checksum: true)
        var input = DataInput(UnsafeRawBufferPointer(rebasing: file.file.bytes[file.body]), file: directory.filePath(fileName))
        let count = try input.readVInt(max: input.remaining)
        var addresses: [NodeID: String] = [:]
        for _ in 0..<count {
            let id = try input.readUInt64()
            addresses[id] = try input.readString(max: 1024)
        }
        return PeerAddressBook(addresses: addresses)
    }

    func save(in directory: IndexDirectory) throws(StoreError) {
        var body = DataOutput()
        body.writeVInt(addresses.count)
        for (id, address) in addresses.sorted(by: { $0.key < $1.key }) {
            body.writeUInt64(id)
            body.writeString(address)
        }
        let header = FileHeader(kind: Self.fileName, codecName: "none", codecVersion: 1, segment: "")
        try directory.atomicWrite(Self.fileName, contents: IndexDirectory.fileImage(header: header, body: body.bytes))
    }
}
