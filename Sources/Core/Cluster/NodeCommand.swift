/// A change to a node's state: what a write becomes before it enters the Raft log.
///
/// Every node applies the same commands in the same order, so a command carries everything
/// its effect depends on (the id of a new index's directory, the documents already checked
/// against the config) and nothing that differs between nodes.
public enum NodeCommand: Sendable, Equatable {
    /// Creates index `name` in directory `indexID` from its config's text (as sent: YAML or JSON).
    case createIndex(name: String, indexID: String, config: String)
    /// Deletes an index and its files.
    case deleteIndex(name: String)
    /// Puts (inserts or replaces by id) documents.
    case putDocuments(index: String, documents: [IdentifiedDocument])
    /// Merges `fields` into the stored document `id` (every field of the schema is stored).
    case patchDocument(index: String, id: String, fields: Document)
    /// Deletes documents by id (absent ids are no-ops).
    case deleteDocuments(index: String, ids: [String])
    /// Deletes every document the query matches, evaluated at apply time on each node.
    case deleteByQuery(index: String, query: String, searchField: String?)
    /// Schedules a merge down to `maxSegments` segments; never blocks the apply loop.
    case optimize(index: String, maxSegments: Int)

    /// The index the command is about.
    public var index: String {
        switch self {
        case .createIndex(let name, _, _), .deleteIndex(let name): name
        case .putDocuments(let index, _), .patchDocument(let index, _, _), .deleteDocuments(let index, _),
             .deleteByQuery(let index, _, _), .optimize(let index, _): index
        }
    }

    /// The largest entry a bulk put is split into (DESIGN.md: about 1 MiB), so one request never
    /// becomes a log entry that stalls replication or a follower's memory.
    public static let maxEntryBytes = 1 << 20

    /// The commands of a bulk put, each encoding to at most about `maxBytes` (a single larger
    /// document goes alone). Document order is kept across the commands.
    public static func putBatches(index: String, documents: [IdentifiedDocument], maxBytes: Int = maxEntryBytes) -> [NodeCommand] {
        var batches: [NodeCommand] = []
        var current: [IdentifiedDocument] = []
        var size = 0
        for document in documents {
            let documentSize = document.encodedSize
            if !current.isEmpty && size + documentSize > maxBytes {
                batches.append(.putDocuments(index: index, documents: current))
                current = []
                size = 0
            }
            current.append(document)
            size += documentSize
        }
        if !current.isEmpty {
            batches.append(.putDocuments(index: index, documents: current))
        }
        return batches
    }
}

/// A document with its id, as a put carries it.
public struct IdentifiedDocument: Sendable, Equatable {
    public var id: String
    public var document: Document

    public init(id: String, document: Document) {
        self.id = id
        self.document = document
    }

    /// The bytes this document takes in an encoded command.
    var encodedSize: Int {
        var out = DataOutput()
        NodeCommand.encode(self, to: &out)
        return out.count
    }
}
