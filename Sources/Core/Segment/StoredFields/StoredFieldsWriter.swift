/// Writes stored values into the `.sto` file: documents in chunks of about `chunkSize`
/// uncompressed bytes, each chunk through the codec, and an index of (first doc, offset) per
/// chunk at the end, which the reader loads.
///
/// A chunk's payload: `vint docCount`, `vint length` per document, then the documents. A
/// document: `vint fieldCount`, then per field `vint fieldNumber, vint length, bytes` (the
/// value's original JSON, exactly as sent).
struct StoredFieldsWriter {
    static let kind = "stored-fields"
    static let chunkSize = 16 * 1024

    private var compression: BlockCompression
    private var pending = DataOutput(capacity: chunkSize * 2)
    private var lengths: [Int] = []
    private var chunkFirstDocs: [Int] = []
    private var chunkOffsets: [Int] = []
    private var docCount = 0
    private var chunk = DataOutput(capacity: chunkSize * 2)

    init(codec: any Codec) { compression = BlockCompression(codec: codec) }

    /// Adds the next document's stored payload (see the type's doc).
    mutating func add(_ payload: UnsafeRawBufferPointer, output: IndexOutput) throws {
        pending.writeBytes(payload)
        lengths.append(payload.count)
        docCount += 1
        if pending.count >= Self.chunkSize { try flush(output) }
    }

    private mutating func flush(_ output: IndexOutput) throws {
        guard !lengths.isEmpty else { return }
        chunkFirstDocs.append(docCount - lengths.count)
        chunkOffsets.append(output.position)
        chunk.removeAll()
        chunk.writeVInt(lengths.count)
        for l in lengths { chunk.writeVInt(l) }
        chunk.writeBytes(pending.bytes)
        var framed = DataOutput(capacity: chunk.count + 16)
        try compression.append(chunk.bytes, to: &framed)
        try output.write(framed)
        pending.removeAll()
        lengths.removeAll(keepingCapacity: true)
    }

    /// Writes the last chunk and the chunk index.
    mutating func finish(output: IndexOutput) throws {
        try flush(output)
        var index = DataOutput()
        let start = output.position
        index.writeVInt(docCount)
        index.writeVInt(chunkFirstDocs.count)
        var lastDoc = 0, lastOffset = 0
        for (d, o) in zip(chunkFirstDocs, chunkOffsets) {
            index.writeVInt(d - lastDoc)
            index.writeVInt(o - lastOffset)
            lastDoc = d
            lastOffset = o
        }
        index.writeUInt64(UInt64(start))
        try output.write(index)
    }
}

/// Encodes one document's stored fields.
public struct StoredDocumentEncoder: Sendable {
    private var out = DataOutput(capacity: 256)
    private var fields = 0
    private var body = DataOutput(capacity: 256)

    public init() {}

    public mutating func reset() {
        body.removeAll()
        fields = 0
    }

    public mutating func add(field: Int, value: UnsafeRawBufferPointer) {
        body.writeVInt(field)
        body.writeVInt(value.count)
        body.writeBytes(value)
        fields += 1
    }

    public mutating func add(field: Int, value: [UInt8]) {
        value.withUnsafeBytes { add(field: field, value: $0) }
    }

    /// The encoded document; valid until the next mutation.
    public mutating func encoded() -> [UInt8] {
        out.removeAll()
        out.writeVInt(fields)
        out.writeBytes(body.bytes)
        return out.bytes
    }
}
