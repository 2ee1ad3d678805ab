import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lexicographic comparison of byte strings (unsigned bytes, shorter prefix first): the order
/// of every term dictionary.
@inline(__always)
func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let c = memcmp(pa, pb, n)
        if c != 0 { return Int(c) }
    }
    return a.count - b.count
}

@inline(__always)
func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
    a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in compareBytes(pa, pb) } }
}

/// One field's terms in one segment: exact lookup, and sorted iteration from any point (what
/// prefix, wildcard, fuzzy and range queries enumerate).
///
/// Only the block index (each block's first term and offsets, about 1/64 of the terms) lives on
/// the heap; blocks are decoded from the mmap on demand. Thread-safe: lookups and iterators
/// keep their state outside the object.
public final class TermDictionary: Sendable {
    /// The field's statistics across the segment.
    public let stats: FieldStats
    public let hasPositions: Bool
    let file: VerifiedFile
    let codec: any Codec
    let blockOffsets: [Int]
    let blockTermCounts: [Int]
    let postingsBases: [Int]
    let positionsBases: [Int]
    let firstTerms: [UInt8]
    let firstTermStarts: [Int]
    /// Each block's first term's first 8 bytes, big-endian, zero-padded (`prefixKey`): what the
    /// block search compares first, in one compact array, instead of two reads (offset, then
    /// bytes) that mostly miss the caches on a cold index.
    let firstKeys: [UInt64]
    /// Decompressed blocks (only blocks the codec compressed: the others are read in place
    /// from the mmap), so a lookup does not decompress a block per query. Bounded; FIFO.
    let blockCache: BlockCache

    init(file: VerifiedFile, codec: any Codec, indexOffset: Int, stats: FieldStats, hasPositions: Bool) throws(SegmentError) {
        self.file = file
        self.codec = codec
        self.stats = stats
        self.hasPositions = hasPositions
        var input = file.input(at: indexOffset)
        var offsets: [Int] = [], counts: [Int] = [], postings: [Int] = [], positions: [Int] = []
        var terms: [UInt8] = [], starts: [Int] = [0]
        do {
            let blocks = try input.readVInt(max: file.body.count)
            offsets.reserveCapacity(blocks)
            var offset = 0, post = 0, pos = 0
            for _ in 0..<blocks {
                let n = try input.readVInt(max: 1 << 16)
                terms.append(contentsOf: try input.readSlice(n))
                starts.append(terms.count)
                offset += try input.readVInt(max: file.body.upperBound)
                guard offset >= file.body.lowerBound && offset < indexOffset else {
                    throw SegmentError.corrupt(file: file.file.path, reason: "term block offset \(offset) outside the dictionary")
                }
                offsets.append(offset)
                counts.append(try input.readVInt(max: TermDictionaryWriter.maxReadableBlockSize))
                post += Int(try input.readZInt())
                pos += Int(try input.readZInt())
                postings.append(post)
                positions.append(pos)
            }
        } catch {
            throw SegmentError.wrap(error, file: file.file.path)
        }
        blockOffsets = offsets
        blockTermCounts = counts
        postingsBases = postings
        positionsBases = positions
        firstTerms = terms
        firstTermStarts = starts
        firstKeys = terms.withUnsafeBytes { all in
            (0..<offsets.count).map { Self.prefixKey(UnsafeRawBufferPointer(rebasing: all[starts[$0]..<starts[$0 + 1]])) }
        }
        blockCache = BlockCache(capacity: BlockCache.defaultCapacity)
    }

    /// Number of distinct terms.
    public var termCount: Int { stats.termCount }

    /// The postings information of `term`, or nil when the field does not contain it.
    ///
    /// Scans the one block that may hold it without building its terms: each entry's shared
    /// prefix against the bytes the previous (smaller) term had in common with `term` decides
    /// most entries without looking at their suffix.
    public func lookup(_ term: [UInt8]) throws(SegmentError) -> TermInfo? {
        guard !blockOffsets.isEmpty else { return nil }
        let b = blockFor(term)
        let path = file.file.path
        var input = file.input(at: blockOffsets[b])
        let header: UInt64
        do { header = try input.readVInt() } catch { throw SegmentError.wrap(error, file: path) }
        if header & 1 == 0 {
            guard header >> 1 <= 1 << 24 else {
                throw SegmentError.corrupt(file: path, reason: "block of \(header >> 1) bytes at offset \(input.position)")
            }
            let raw: UnsafeRawBufferPointer
            do { raw = try input.readSlice(Int(header >> 1)) } catch { throw SegmentError.wrap(error, file: path) }
            return try scan(raw, block: b, for: term)
        }
        let bytes: [UInt8]
        if let cached = blockCache.get(b) {
            bytes = cached
        } else {
            var decoded: [UInt8] = []
            var again = file.input(at: blockOffsets[b])
            try BlockCompression.read(&again, codec: codec, into: &decoded, maxSize: 1 << 24)
            blockCache.insert(b, decoded)
            bytes = decoded
        }
        let r: Result<TermInfo?, SegmentError> = bytes.withUnsafeBytes { raw in
            Result { () throws(SegmentError) in try scan(raw, block: b, for: term) }
        }
        return try r.get()
    }

    /// `lookup` in the decoded bytes of block `b`: `fastScan`, or the checked reader when
    /// the block does not parse (it then says what is wrong).
    private func scan(_ raw: UnsafeRawBufferPointer, block b: Int, for target: [UInt8]) throws(SegmentError) -> TermInfo? {
        switch fastScan(raw, block: b, for: target) {
        case .found(let info): return info
        case .absent: return nil
        case .malformed: return try checkedScan(raw, block: b, for: target)
        }
    }

    /// `scan` through `DataInput`, every read checked.
    private func checkedScan(_ raw: UnsafeRawBufferPointer, block b: Int, for target: [UInt8]) throws(SegmentError) -> TermInfo? {
        let path = file.file.path
        let hasPositions = self.hasPositions
        var lastPostings = postingsBases[b]
        var lastPositions = positionsBases[b]
        let count = blockTermCounts[b]
        let r: Result<TermInfo?, StoreError> = target.withUnsafeBytes { t in
            Result { () throws(StoreError) -> TermInfo? in
                var input = DataInput(raw, file: path)
                /// Bytes the previous term (smaller than the target) shares with the target.
                var matched = 0
                var previousLength = 0
                for _ in 0..<count {
                    let prefix = try input.readVInt(max: previousLength)
                    let suffixLength = try input.readVInt(max: 1 << 16)
                    let suffix = try input.readSlice(suffixLength)
                    previousLength = prefix + suffixLength
                    let df = try input.readVInt(max: Int(Int32.max))
                    let extra = try input.readVInt(max: Int(Int64.max / 2))
                    var single: Int32 = -1
                    if df == 1 {
                        single = Int32(try input.readVInt(max: Int(Int32.max)))
                    } else {
                        lastPostings += try input.readVInt(max: Int(Int32.max) * 64)
                    }
                    if hasPositions { lastPositions += try input.readVInt(max: Int(Int32.max) * 64) }
                    // Shares more with the previous term than that did with the target: still
                    // below it. Shares less: past it (terms are sorted, prefixes maximal).
                    if prefix > matched { continue }
                    if prefix < matched { return nil }
                    let rest = t.count - matched
                    var j = 0
                    while j < suffixLength && j < rest && suffix[j] == t[matched + j] { j += 1 }
                    if j == rest {
                        guard j == suffixLength else { return nil }
                        return TermInfo(docFreq: Int32(df), totalTermFreq: Int64(df) + Int64(extra),
                                        postingsOffset: df == 1 ? 0 : lastPostings,
                                        positionsOffset: hasPositions ? lastPositions : 0, singleDoc: single)
                    }
                    if j < suffixLength && suffix[j] > t[matched + j] { return nil }
                    matched += j
                }
                return nil
            }
        }
        do { return try r.get() } catch { throw SegmentError.wrap(error, file: path) }
    }

    /// `lookup` for a `String` term (its UTF-8 bytes).
    public func lookup(_ term: String) throws(SegmentError) -> TermInfo? { try lookup(Array(term.utf8)) }

    /// An iterator positioned before the first term; call `next()` or `seek(_:)`.
    public func makeIterator() -> TermIterator { TermIterator(dictionary: self) }

    /// The first 8 bytes of `term` as a big-endian integer, zero-padded: keys compare as the
    /// terms do, except that equal keys (a shared 8-byte prefix, or zero bytes against padding)
    /// need the bytes compared.
    @inline(__always)
    static func prefixKey(_ term: UnsafeRawBufferPointer) -> UInt64 {
        var key: UInt64 = 0
        for i in 0..<8 { key = key << 8 | UInt64(i < term.count ? term[i] : 0) }
        return key
    }

    /// The block that would hold `target`: the last whose first term is <= target (0 if none).
    func blockFor(_ target: [UInt8]) -> Int {
        var lo = 0, hi = blockOffsets.count - 1
        var found = 0
        target.withUnsafeBytes { t in
            let key = Self.prefixKey(t)
            firstTerms.withUnsafeBytes { all in
                while lo <= hi {
                    let mid = (lo + hi) / 2
                    let firstKey = firstKeys[mid]
                    let notAfter: Bool
                    if firstKey != key {
                        notAfter = firstKey < key
                    } else {
                        notAfter = compareBytes(UnsafeRawBufferPointer(rebasing: all[firstTermStarts[mid]..<firstTermStarts[mid + 1]]), t) <= 0
                    }
                    if notAfter {
                        found = mid
                        lo = mid + 1
                    } else {
                        hi = mid - 1
                    }
                }
            }
        }
        return found
    }
}

/// A cursor over a field's terms in sorted order. A value type: copy it to fork the position.
public struct TermIterator {
    let dictionary: TermDictionary
    private var block = -1
    private var blockBytes: [UInt8] = []
    private var cursor = 0
    private var remainingInBlock = 0
    private var lastPostings = 0
    private var lastPositions = 0
    /// The current term's bytes (valid after `next()` or `seek` returned true).
    public private(set) var term: [UInt8] = []
    /// The current term's postings information.
    public private(set) var info = TermInfo(docFreq: 0, totalTermFreq: 0, postingsOffset: 0, positionsOffset: 0)

    init(dictionary: TermDictionary) { self.dictionary = dictionary }

    /// The current term as a String (for tools and tests).
    public var termString: String { String(decoding: term, as: UTF8.self) }

    private mutating func load(_ index: Int) throws(SegmentError) {
        var input = dictionary.file.input(at: dictionary.blockOffsets[index])
        try BlockCompression.read(&input, codec: dictionary.codec, into: &blockBytes, maxSize: 1 << 24)
        block = index
        cursor = 0
        remainingInBlock = dictionary.blockTermCounts[index]
        lastPostings = dictionary.postingsBases[index]
        lastPositions = dictionary.positionsBases[index]
        term.removeAll(keepingCapacity: true)
    }

    /// Moves to the next term; false at the end.
    public mutating func next() throws(SegmentError) -> Bool {
        if remainingInBlock == 0 {
            let nextBlock = block + 1
            guard nextBlock < dictionary.blockOffsets.count else { return false }
            try load(nextBlock)
        }
        try decodeEntry()
        return true
    }

    private mutating func decodeEntry() throws(SegmentError) {
        let path = dictionary.file.file.path
        let hasPositions = dictionary.hasPositions
        let result: Result<Void, StoreError> = blockBytes.withUnsafeBytes { raw in
            var input = DataInput(raw, file: path, position: cursor)
            return Result { () throws(StoreError) in
                let prefix = try input.readVInt(max: term.count)
                let suffixLength = try input.readVInt(max: 1 << 16)
                let suffix = try input.readSlice(suffixLength)
                term.removeLast(term.count - prefix)
                term.append(contentsOf: suffix)
                let df = try input.readVInt(max: Int(Int32.max))
                let ttf = Int64(df) + Int64(try input.readVInt(max: Int(Int64.max / 2)))
                var info = TermInfo(docFreq: Int32(df), totalTermFreq: ttf, postingsOffset: 0, positionsOffset: 0)
                if df == 1 {
                    info.singleDoc = Int32(try input.readVInt(max: Int(Int32.max)))
                } else {
                    lastPostings += try input.readVInt(max: Int(Int32.max) * 64)
                    info.postingsOffset = lastPostings
                }
                if hasPositions {
                    lastPositions += try input.readVInt(max: Int(Int32.max) * 64)
                    info.positionsOffset = lastPositions
                }
                self.info = info
                cursor = input.position
            }
        }
        do { try result.get() } catch { throw SegmentError.wrap(error, file: path) }
        remainingInBlock -= 1
    }

    /// Positions the iterator at the first term >= `target`; false when there is none.
    public mutating func seek(_ target: [UInt8]) throws(SegmentError) -> Bool {
        guard !dictionary.blockOffsets.isEmpty else { return false }
        let b = dictionary.blockFor(target)
        try load(b)
        while true {
            guard try next() else { return false }
            if compareBytes(term, target) >= 0 { return true }
        }
    }

    /// Whether the current term starts with `prefix` (for prefix enumeration after `seek(prefix)`).
    public func termHasPrefix(_ prefix: [UInt8]) -> Bool {
        term.count >= prefix.count && term.starts(with: prefix)
    }
}

/// Per-field statistics of one segment (deleted documents included until a merge drops them).
public struct FieldStats: Sendable, Equatable {
    /// Documents with at least one term in the field.
    public var docCount: Int
    /// Sum of the field lengths (tokens) over all documents: BM25's average length numerator.
    public var sumTotalTermFreq: Int64
    /// Sum of document frequencies over all terms.
    public var sumDocFreq: Int64
    /// Distinct terms.
    public var termCount: Int

    public init(docCount: Int = 0, sumTotalTermFreq: Int64 = 0, sumDocFreq: Int64 = 0, termCount: Int = 0) {
        self.docCount = docCount
        self.sumTotalTermFreq = sumTotalTermFreq
        self.sumDocFreq = sumDocFreq
        self.termCount = termCount
    }
}

/// A bounded FIFO cache of decompressed term blocks of one dictionary. Thread-safe (a `Mutex`,
/// held only to look up and insert, never to decompress). Blocks of an immutable segment never
/// change, so an entry is never stale.
final class BlockCache: Sendable {
    static let defaultCapacity = 1024

    struct State {
        var blocks: [Int: [UInt8]] = [:]
        /// Insertion order, for FIFO eviction.
        var order: [Int] = []
        var head = 0
    }

    /// Blocks kept.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = max(capacity, 1) }

    func get(_ block: Int) -> [UInt8]? { state.withLock { $0.blocks[block] } }

    func insert(_ block: Int, _ bytes: [UInt8]) {
        state.withLock { s in
            guard s.blocks[block] == nil else { return }
            if s.blocks.count >= capacity, s.head < s.order.count {
                s.blocks[s.order[s.head]] = nil
                s.head += 1
                if s.head >= capacity {
                    s.order.removeFirst(s.head)
                    s.head = 0
                }
            }
            s.blocks[block] = bytes
            s.order.append(block)
        }
    }

    /// Blocks held (tests).
    var count: Int { state.withLock { $0.blocks.count } }
}
