/// The binary form of commands in the Raft log: compact (no JSON in the log; a bulk of short
/// documents is mostly their text), versioned by a leading byte, and decoded defensively: a
/// damaged entry is a `StoreError.corrupt`, never a crash.
extension NodeCommand {
    static let formatVersion: UInt8 = 1
    /// The decoder accepts any string the encoder writes: an entry that was committed must
    /// decode on every replica, or it would stop them all.
    static let maxString = Int(Int32.max)

    private enum Tag: UInt8 {
        case createIndex = 1, deleteIndex, putDocuments, patchDocument, deleteDocuments, deleteByQuery, optimize
    }

    private enum ValueTag: UInt8 {
        case text = 1, int, double, datetime, bool, keywords
    }

    /// The command's log-entry bytes.
    public func encoded() -> [UInt8] {
        var out = DataOutput()
        out.writeByte(Self.formatVersion)
        switch self {
        case .createIndex(let name, let indexID, let config):
            out.writeByte(Tag.createIndex.rawValue)
            out.writeString(name)
            out.writeString(indexID)
            out.writeString(config)
        case .deleteIndex(let name):
            out.writeByte(Tag.deleteIndex.rawValue)
            out.writeString(name)
        case .putDocuments(let index, let documents):
            out.writeByte(Tag.putDocuments.rawValue)
            out.writeString(index)
            out.writeVInt(documents.count)
            for document in documents { Self.encode(document, to: &out) }
        case .patchDocument(let index, let id, let fields):
            out.writeByte(Tag.patchDocument.rawValue)
            out.writeString(index)
            Self.encode(IdentifiedDocument(id: id, document: fields), to: &out)
        case .deleteDocuments(let index, let ids):
            out.writeByte(Tag.deleteDocuments.rawValue)
            out.writeString(index)
            out.writeVInt(ids.count)
            for id in ids { out.writeString(id) }
        case .deleteByQuery(let index, let query, let searchField):
            out.writeByte(Tag.deleteByQuery.rawValue)
            out.writeString(index)
            out.writeString(query)
            out.writeByte(searchField == nil ? 0 : 1)
            if let searchField { out.writeString(searchField) }
        case .optimize(let index, let maxSegments):
            out.writeByte(Tag.optimize.rawValue)
            out.writeString(index)
            out.writeVInt(maxSegments)
        }
        return out.bytes
    }

    static func encode(_ document: IdentifiedDocument, to out: inout DataOutput) {
        out.writeString(document.id)
        out.writeVInt(document.document.fields.count)
        for field in document.document.fields {
            out.writeString(field.name)
            out.writeVInt(field.values.count)
            for value in field.values {
                switch value {
                case .text(let s):
                    out.writeByte(ValueTag.text.rawValue)
                    out.writeString(s)
                case .int(let i):
                    out.writeByte(ValueTag.int.rawValue)
                    out.writeZInt(i)
                case .double(let d):
                    out.writeByte(ValueTag.double.rawValue)
                    out.writeUInt64(d.bitPattern)
                case .datetime(let t):
                    out.writeByte(ValueTag.datetime.rawValue)
                    out.writeZInt(t)
                case .bool(let b):
                    out.writeByte(ValueTag.bool.rawValue)
                    out.writeByte(b ? 1 : 0)
                case .keywords(let words):
                    out.writeByte(ValueTag.keywords.rawValue)
                    out.writeVInt(words.count)
                    for word in words { out.writeString(word) }
                }
            }
            if let stored = field.storedJSON {
                out.writeByte(1)
                out.writeLengthPrefixed(stored)
            } else {
                out.writeByte(0)
            }
        }
    }

    /// Decodes a log entry's bytes.
    ///
    /// - Parameter source: names the entry in errors (e.g. "raft entry 42").
    public static func decode(_ bytes: [UInt8], source: String) throws(StoreError) -> NodeCommand {
        let result: Result<NodeCommand, StoreError> = bytes.withUnsafeBytes { raw in
            Result { () throws(StoreError) -> NodeCommand in
                var input = DataInput(raw, file: source)
                let command = try decode(&input)
                guard input.isAtEnd else { throw input.corrupt("\(input.remaining) bytes after the command") }
                return command
            }
        }
        return try result.get()
    }

    private static func decode(_ input: inout DataInput) throws(StoreError) -> NodeCommand {
        let version = try input.readByte()
        guard version == formatVersion else { throw input.corrupt("command format version \(version), expected \(formatVersion)") }
        let rawTag = try input.readByte()
        guard let tag = Tag(rawValue: rawTag) else { throw input.corrupt("unknown command tag \(rawTag)") }
        let maxCount = input.remaining  // every item takes at least one byte
        switch tag {
        case .createIndex:
            return .createIndex(name: try input.readString(max: Self.maxString), indexID: try input.readString(max: Self.maxString), config: try input.readString(max: Self.maxString))
        case .deleteIndex:
            return .deleteIndex(name: try input.readString(max: Self.maxString))
        case .putDocuments:
            let index = try input.readString(max: Self.maxString)
            let count = try input.readVInt(max: maxCount)
            var documents: [IdentifiedDocument] = []
            documents.reserveCapacity(count)
            for _ in 0..<count { documents.append(try decodeDocument(&input)) }
            return .putDocuments(index: index, documents: documents)
        case .patchDocument:
            let index = try input.readString(max: Self.maxString)
            let document = try decodeDocument(&input)
            return .patchDocument(index: index, id: document.id, fields: document.document)
        case .deleteDocuments:
            let index = try input.readString(max: Self.maxString)
            let count = try input.readVInt(max: maxCount)
            var ids: [String] = []
            ids.reserveCapacity(count)
            for _ in 0..<count { ids.append(try input.readString(max: Self.maxString)) }
            return .deleteDocuments(index: index, ids: ids)
        case .deleteByQuery:
            let index = try input.readString(max: Self.maxString)
            let query = try input.readString(max: Self.maxString)
            let hasField = try input.readByte()
            return .deleteByQuery(index: index, query: query, searchField: hasField == 1 ? try input.readString(max: Self.maxString) : nil)
        case .optimize:
            return .optimize(index: try input.readString(max: Self.maxString), maxSegments: try input.readVInt(max: Int(Int32.max)))
        }
    }

    private static func decodeDocument(_ input: inout DataInput) throws(StoreError) -> IdentifiedDocument {
        let id = try input.readString(max: Self.maxString)
        let fieldCount = try input.readVInt(max: input.remaining)
        var document = Document()
        document.fields.reserveCapacity(fieldCount)
        for _ in 0..<fieldCount {
            let name = try input.readString(max: Self.maxString)
            let valueCount = try input.readVInt(max: input.remaining)
            var values: [Document.Value] = []
            values.reserveCapacity(valueCount)
            for _ in 0..<valueCount {
                let rawTag = try input.readByte()
                guard let tag = ValueTag(rawValue: rawTag) else { throw input.corrupt("unknown value tag \(rawTag)") }
                switch tag {
                case .text: values.append(.text(try input.readString(max: Self.maxString)))
                case .int: values.append(.int(try input.readZInt()))
                case .double: values.append(.double(Double(bitPattern: try input.readUInt64())))
                case .datetime: values.append(.datetime(try input.readZInt()))
                case .bool: values.append(.bool(try input.readByte() != 0))
                case .keywords:
                    let count = try input.readVInt(max: input.remaining)
                    var words: [String] = []
                    for _ in 0..<count { words.append(try input.readString(max: Self.maxString)) }
                    values.append(.keywords(words))
                }
            }
            let hasStored = try input.readByte()
            let stored = hasStored == 1 ? try input.readLengthPrefixed() : nil
            document.fields.append(Document.Field(name: name, values: values, storedJSON: stored))
        }
        return IdentifiedDocument(id: id, document: document)
    }
}
