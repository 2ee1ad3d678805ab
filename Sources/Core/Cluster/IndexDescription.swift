/// One index as `GET /indices/<INDEX>` shows it (API.md): what searchers see (the last
/// refresh), the last commit's generation and time, and the files of its directory.
public struct IndexDescription: Sendable {
    /// The index's name.
    public var name: String
    /// Live documents.
    public var docCount: Int
    /// Documents including deleted ones not yet merged away.
    public var docCountAll: Int
    /// Unix seconds of the last commit (0 if unknown).
    public var lastModified: Double
    /// The last commit's generation.
    public var latestGeneration: Int
    /// The index's directory.
    public var folder: String
    /// The file names in it.
    public var files: [String]
    /// The segments searchers see, in order.
    public var segments: [SegmentDescription]

    /// A description from its parts (the node builds it: `ClusterNode.describe(index:)`).
    public init(name: String, docCount: Int, docCountAll: Int, lastModified: Double, latestGeneration: Int, folder: String,
                files: [String], segments: [SegmentDescription]) {
        self.name = name
        self.docCount = docCount
        self.docCountAll = docCountAll
        self.lastModified = lastModified
        self.latestGeneration = latestGeneration
        self.folder = folder
        self.files = files
        self.segments = segments
    }

    /// The API.md object, without the outer `"index"` key.
    public func json() -> JSONValue {
        .object([
            ("name", .string(name)),
            ("doc_count", .number(String(docCount))),
            ("doc_count_all", .number(String(docCountAll))),
            ("last_modified", .number(Self.number(lastModified))),
            ("latest_generation", .number(String(latestGeneration))),
            ("storage", .object([
                ("folder", .string(folder)),
                ("files", .array(files.map { .string($0) })),
                ("supports_mmap", .bool(true)),
                ("readonly", .bool(false)),
            ])),
            ("segments", .array(segments.map { $0.json() })),
        ])
    }

    /// A finite double as JSON number text (Swift prints `inf`/`nan`, which JSON lacks).
    static func number(_ value: Double) -> String {
        value.isFinite ? String(value) : "0"
    }
}

/// One segment of an index description.
public struct SegmentDescription: Sendable {
    /// The segment's name (the prefix of its files).
    public var id: String
    /// Live documents.
    public var docCount: Int
    /// Deleted documents still in the segment.
    public var deleted: Int
    /// Bytes of the segment's files.
    public var bytes: Int

    /// A segment's numbers.
    public init(id: String, docCount: Int, deleted: Int, bytes: Int) {
        self.id = id
        self.docCount = docCount
        self.deleted = deleted
        self.bytes = bytes
    }

    /// `{"id", "doc_count", "deleted", "bytes"}`.
    public func json() -> JSONValue {
        .object([
            ("id", .string(id)),
            ("doc_count", .number(String(docCount))),
            ("deleted", .number(String(deleted))),
            ("bytes", .number(String(bytes))),
        ])
    }
}
