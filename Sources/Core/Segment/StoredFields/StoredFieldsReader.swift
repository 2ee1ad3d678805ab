/// A stored field value as it comes back from a segment.
public struct StoredField: Sendable, Equatable {
    /// The field's name.
    public var name: String
    /// The value's original JSON bytes, exactly as the client sent them.
    public var value: [UInt8]

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }
}

/// Random access to the stored fields of a segment's documents: binary search of the chunk
/// index (on the heap, one entry per chunk), then one chunk decoded.
///
/// A class: loading a page's hits reads it once per hit, and a copy of a struct of arrays, a
/// file and a codec retained and released each of them.
public final class StoredFieldsReader: Sendable {
    let file: VerifiedFile
    let codec: any Codec
    let firstDocs: [Int]
    let offsets: [Int]
    public let docCount: Int
    let fieldNames: [Int: String]

    init(file: VerifiedFile, codec: any Codec, fieldNames: [Int: String]) throws(SegmentError) {
        self.file = file
        self.codec = codec
        self.fieldNames = fieldNames
        var input = file.input(at: file.body.upperBound - 8)
        var firstDocs: [Int] = [], offsets: [Int] = []
        var docCount = 0
        do {
            let start = Int(truncatingIfNeeded: try input.readUInt64())
            guard start >= file.body.lowerBound && start < file.body.upperBound - 8 else { throw input.corrupt("chunk index offset \(start)") }
            try input.seek(start)
            docCount = try input.readVInt(max: Int(Int32.max))
            let chunks = try input.readVInt(max: docCount)
            var d = 0, o = 0
            for _ in 0..<chunks {
                d += try input.readVInt(max: docCount)
                o += try input.readVInt(max: file.body.upperBound)
                guard o >= file.body.lowerBound && o < start else { throw input.corrupt("chunk offset \(o)") }
                firstDocs.append(d)
                offsets.append(o)
            }
        } catch {
            throw SegmentError.wrap(error, file: file.file.path)
        }
        self.firstDocs = firstDocs
        self.offsets = offsets
        self.docCount = docCount
    }

    /// The stored fields of `doc`, in the order they were added.
    public func document(_ doc: Int32) throws(SegmentError) -> [StoredField] {
        let d = Int(doc)
        guard d >= 0 && d < docCount, !firstDocs.isEmpty else { return [] }
        var lo = 0, hi = firstDocs.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if firstDocs[mid] <= d { lo = mid } else { hi = mid - 1 }
        }
        var input = file.input(at: offsets[lo])
        var chunk: [UInt8] = []
        try BlockCompression.read(&input, codec: codec, into: &chunk, maxSize: 1 << 30)
        let path = file.file.path
        let names = fieldNames
        let result: Result<[StoredField], StoreError> = chunk.withUnsafeBytes { raw in
            Result { () throws(StoreError) -> [StoredField] in
                var c = DataInput(raw, file: path)
                let n = try c.readVInt(max: 1 << 24)
                let index = d - firstDocs[lo]
                guard index < n else { throw c.corrupt("document \(d) not in its chunk") }
                var skip = 0
                var length = 0
                for i in 0..<n {
                    let l = try c.readVInt(max: 1 << 30)
                    if i < index { skip += l } else if i == index { length = l }
                }
                try c.seek(c.position + skip)
                var doc = DataInput(try c.readSlice(length), file: path)
                let fields = try doc.readVInt(max: 1 << 16)
                var out: [StoredField] = []
                out.reserveCapacity(fields)
                for _ in 0..<fields {
                    let number = try doc.readVInt(max: 1 << 16)
                    let value = try doc.readLengthPrefixed()
                    out.append(StoredField(name: names[number] ?? "#\(number)", value: value))
                }
                return out
            }
        }
        do { return try result.get() } catch { throw SegmentError.wrap(error, file: path) }
    }

    /// The raw encoded payload of `doc` (for merges, which copy it as is).
    func rawDocument(_ doc: Int32, chunkCache: inout (index: Int, bytes: [UInt8], starts: [Int])) throws(SegmentError) -> ArraySlice<UInt8> {
        let d = Int(doc)
        guard d >= 0 && d < docCount, !firstDocs.isEmpty else { throw SegmentError.corrupt(file: file.file.path, reason: "no stored document \(d)") }
        var lo = 0, hi = firstDocs.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if firstDocs[mid] <= d { lo = mid } else { hi = mid - 1 }
        }
        if chunkCache.index != lo {
            var input = file.input(at: offsets[lo])
            try BlockCompression.read(&input, codec: codec, into: &chunkCache.bytes, maxSize: 1 << 30)
            let path = file.file.path
            let r: Result<[Int], StoreError> = chunkCache.bytes.withUnsafeBytes { raw in
                Result { () throws(StoreError) -> [Int] in
                    var c = DataInput(raw, file: path)
                    let n = try c.readVInt(max: 1 << 24)
                    var lengths: [Int] = []
                    for _ in 0..<n { lengths.append(try c.readVInt(max: 1 << 30)) }
                    var starts = [c.position]
                    for l in lengths { starts.append(starts[starts.count - 1] + l) }
                    guard starts[starts.count - 1] <= raw.count else { throw c.corrupt("chunk shorter than its documents") }
                    return starts
                }
            }
            do { chunkCache.starts = try r.get() } catch { throw SegmentError.wrap(error, file: path) }
            chunkCache.index = lo
        }
        let i = d - firstDocs[lo]
        guard i + 1 < chunkCache.starts.count else { throw SegmentError.corrupt(file: file.file.path, reason: "document \(d) not in its chunk") }
        return chunkCache.bytes[chunkCache.starts[i]..<chunkCache.starts[i + 1]]
    }
}
