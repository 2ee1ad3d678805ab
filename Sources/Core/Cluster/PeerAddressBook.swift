/// Where each member of the cluster is reached: node id -> advertised `host:port`.
///
/// Peers are matched by id, not address (API.md); the addresses come from the membership
/// changes in the log (a joining node's change carries its address) and are kept in
/// `<index-dir>/_node/peers`, so a restarted node reaches its peers before it has replayed
/// anything.
public struct PeerAddressBook: Sendable, Equatable {
    public private(set) var addresses: [NodeID: String]
    /// What each member's registry holds (`kind:name`, aliases included), as it reported when it
    /// joined; a member missing here is not checked.
    public private(set) var components: [NodeID: Set<String>] = [:]

    public init(addresses: [NodeID: String] = [:]) {
        self.addresses = addresses
    }

    /// A membership change's context: the member's address, then its registry's names, one a line.
    public static func context(address: String, components: [String]) -> [UInt8] {
        Array(([address] + components).joined(separator: "\n").utf8)
    }

    /// The address and components of a membership change's context (nil if it is not UTF-8 or
    /// names no address).
    static func parseContext(_ bytes: [UInt8]) -> (address: String, components: [String])? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        guard let address = lines.first, !address.isEmpty else { return nil }
        return (address, Array(lines.dropFirst()))
    }

    public mutating func setComponents(_ id: NodeID, _ names: [String]) {
        components[id] = Set(names)
    }

    /// The members that lack any of `uses` (`kind:name`s), with what they lack.
    public func lacking(_ uses: [String], among members: [NodeID]) -> [(address: String, missing: [String])] {
        members.compactMap { id in
            guard let have = components[id] else { return nil }
            let missing = uses.filter { !have.contains($0) }
            return missing.isEmpty ? nil : (addresses[id] ?? "node \(id)", missing)
        }
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
        components.removeValue(forKey: id)
    }

    static func load(in directory: IndexDirectory) throws(StoreError) -> PeerAddressBook {
        guard directory.exists(fileName) else { return PeerAddressBook() }
        let file = try directory.openInput(fileName, kind: fileName, segment: "", checksum: true)
        // The input below points into the mapping `file` owns: keep it alive while it is read.
        defer { withExtendedLifetime(file) {} }
        var input = DataInput(UnsafeRawBufferPointer(rebasing: file.file.bytes[file.body]), file: directory.filePath(fileName))
        return try decode(from: &input)
    }

    func save(in directory: IndexDirectory) throws(StoreError) {
        var body = DataOutput()
        encode(into: &body)
        let header = FileHeader(kind: Self.fileName, codecName: "none", codecVersion: 1, segment: "")
        try directory.atomicWrite(Self.fileName, contents: IndexDirectory.fileImage(header: header, body: body.bytes))
    }

    /// The book's bytes: in `_node/peers`, and in a Raft snapshot (which replaces the
    /// membership changes it compacts, so a member that installs it learns the addresses).
    func encode(into body: inout DataOutput) {
        body.writeVInt(addresses.count)
        for (id, address) in addresses.sorted(by: { $0.key < $1.key }) {
            body.writeUInt64(id)
            body.writeString(address)
        }
        body.writeVInt(components.count)
        for (id, names) in components.sorted(by: { $0.key < $1.key }) {
            body.writeUInt64(id)
            body.writeVInt(names.count)
            for name in names.sorted() { body.writeString(name) }
        }
    }

    static func decode(from input: inout DataInput) throws(StoreError) -> PeerAddressBook {
        let count = try input.readVInt(max: input.remaining)
        var book = PeerAddressBook()
        for _ in 0..<count {
            let id = try input.readUInt64()
            book.addresses[id] = try input.readString(max: 1024)
        }
        let withComponents = try input.readVInt(max: input.remaining)
        for _ in 0..<withComponents {
            let id = try input.readUInt64()
            let names = try input.readVInt(max: input.remaining)
            var set = Set<String>()
            for _ in 0..<names { set.insert(try input.readString(max: 1024)) }
            book.components[id] = set
        }
        return book
    }

    /// Only the entries of `members` (a snapshot's membership: the others were removed).
    func restricted(to members: [NodeID]) -> PeerAddressBook {
        let keep = Set(members)
        var book = PeerAddressBook(addresses: addresses.filter { keep.contains($0.key) })
        book.components = components.filter { keep.contains($0.key) }
        return book
    }
}
