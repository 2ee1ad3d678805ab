import Synchronization

/// Decompressed stored-field chunks shared by the searches of one index, so loading the page's
/// fields does not decompress a 16 KiB chunk per hit (tantivy keeps the same kind of cache in
/// its doc store reader). Keyed by segment name and chunk: segments are immutable and their
/// names never reused, so an entry can never be stale; it only outlives its segment until
/// evicted.
///
/// Thread-safe (a `Mutex`); the lock is held only to look up and insert, never to decompress.
public final class StoredFieldsCache: Sendable {
    struct Chunk: Sendable {
        var bytes: [UInt8]
        var starts: [Int]
    }

    struct Key: Hashable {
        var segment: String
        var chunk: Int
    }

    struct State {
        var chunks: [Key: Chunk] = [:]
        /// Insertion order, for FIFO eviction.
        var order: [Key] = []
        var head = 0
    }

    /// Chunks kept (about 16 KiB each).
    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 1)
    }

    /// The stored fields of `doc` in `reader`, through the cache.
    func document(_ doc: Int32, in reader: SegmentReader) throws(SegmentError) -> [StoredField] {
        let stored = reader.stored
        let d = Int(doc)
        guard d >= 0 && d < stored.docCount, !stored.firstDocs.isEmpty else { return [] }
        var lo = 0, hi = stored.firstDocs.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if stored.firstDocs[mid] <= d { lo = mid } else { hi = mid - 1 }
        }
        let key = Key(segment: reader.name, chunk: lo)
        var entry: (index: Int, bytes: [UInt8], starts: [Int]) = (-1, [], [])
        if let cached = state.withLock({ $0.chunks[key] }) { entry = (lo, cached.bytes, cached.starts) }
        let wasCached = entry.index == lo
        let raw = try stored.rawDocument(doc, chunkCache: &entry)
        if !wasCached { insert(key, Chunk(bytes: entry.bytes, starts: entry.starts)) }
        let path = stored.file.file.path
        let names = stored.fieldNames
        let result: Result<[StoredField], StoreError> = raw.withUnsafeBytes { buffer in
            Result { () throws(StoreError) -> [StoredField] in
                var input = DataInput(buffer, file: path)
                let count = try input.readVInt(max: 1 << 16)
                var fields: [StoredField] = []
                fields.reserveCapacity(count)
                for _ in 0..<count {
                    let number = try input.readVInt(max: 1 << 16)
                    fields.append(StoredField(name: names[number] ?? "#\(number)", value: try input.readLengthPrefixed()))
                }
                return fields
            }
        }
        do { return try result.get() } catch { throw SegmentError.wrap(error, file: path) }
    }

    private func insert(_ key: Key, _ chunk: Chunk) {
        state.withLock { s in
            guard s.chunks[key] == nil else { return }
            if s.chunks.count >= capacity, s.head < s.order.count {
                s.chunks[s.order[s.head]] = nil
                s.head += 1
                if s.head > capacity {
                    s.order.removeFirst(s.head)
                    s.head = 0
                }
            }
            s.chunks[key] = chunk
            s.order.append(key)
        }
    }
}
