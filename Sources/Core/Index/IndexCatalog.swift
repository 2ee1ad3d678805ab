/// The named indices of a node: each name's directory id and the config text it was created
/// with, and the last log index whose change the catalog reflects.
///
/// It is part of the replicated state (create and delete go through the log), so it is written
/// durably and atomically on every change and read at start, before the log is replayed: a
/// catalog change at or below `appliedIndex` is already in it.
public struct IndexCatalog: Sendable, Equatable {
    /// One index.
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// The index's directory name under the node's index root: taken from the create
        /// command, so deleting and recreating an index never mixes files.
        public var indexID: String
        /// The config as it was sent (YAML or JSON); parsed again when the index is opened.
        public var config: String

        public init(name: String, indexID: String, config: String) {
            self.name = name
            self.indexID = indexID
            self.config = config
        }
    }

    /// The indices, sorted by name.
    public private(set) var entries: [Entry] = []
    /// Every catalog change at or below this log index is in the catalog (it is the last
    /// change's index, or the index of the node's last commit of all indices, if later).
    public var appliedIndex: UInt64 = 0

    public init(entries: [Entry] = [], appliedIndex: UInt64 = 0) {
        self.entries = entries.sorted { $0.name < $1.name }
        self.appliedIndex = appliedIndex
    }

    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    mutating func insert(_ entry: Entry) {
        entries.removeAll { $0.name == entry.name }
        entries.append(entry)
        entries.sort { $0.name < $1.name }
    }

    mutating func remove(named name: String) {
        entries.removeAll { $0.name == name }
    }

    static let fileName = "catalog"
    static let kind = "catalog"

    /// Reads the catalog of `directory`, or an empty one if there is none yet.
    static func load(from directory: IndexDirectory) throws(StoreError) -> IndexCatalog {
        guard directory.exists(fileName) else { return IndexCatalog() }
        let file = try directory.openInput(fileName, kind: kind, segment: "", checksum: true)
        // The input below points into the mapping `file` owns: keep it alive while it is read.
        defer { withExtendedLifetime(file) {} }
        var input = DataInput(UnsafeRawBufferPointer(rebasing: file.file.bytes[file.body]), file: directory.filePath(fileName))
        let applied = try input.readVInt()
        let count = try input.readVInt(max: input.remaining)
        var entries: [Entry] = []
        for _ in 0..<count {
            entries.append(Entry(name: try input.readString(), indexID: try input.readString(),
                                 config: try input.readString(max: Int(Int32.max))))
        }
        guard input.isAtEnd else { throw input.corrupt("\(input.remaining) bytes after the catalog") }
        return IndexCatalog(entries: entries, appliedIndex: applied)
    }

    /// Writes the catalog atomically and durably (temp file, fsync, rename, directory fsync).
    func save(to directory: IndexDirectory) throws(StoreError) {
        try directory.atomicWrite(Self.fileName, contents: fileImage())
    }

    /// The catalog file's bytes (header, body, checksum footer), as `save` writes them.
    func fileImage() -> [UInt8] {
        var body = DataOutput()
        body.writeVInt(appliedIndex)
        body.writeVInt(entries.count)
        for entry in entries {
            body.writeString(entry.name)
            body.writeString(entry.indexID)
            body.writeString(entry.config)
        }
        let header = FileHeader(kind: Self.kind, codecName: "none", codecVersion: 1, segment: "")
        return IndexDirectory.fileImage(header: header, body: body.bytes)
    }
}
