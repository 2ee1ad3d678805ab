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
                counts.append(try input.readVInt(max: TermDictionaryWriter.blockSize))
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
    }

    /// Number of distinct terms.
    public var termCount: Int { stats.termCount }

    /// The postings information of `term`, or nil when the field does not contain it.
    public func lookup(_ term: [UInt8]) throws(SegmentError) -> TermInfo? {
        var iterator = makeIterator()
        guard try iterator.seek(term) else { return nil }
        return compareBytes(iterator.term, term) == 0 ? iterator.info : nil
    }

    /// `lookup` for a `String` term (its UTF-8 bytes).
    public func lookup(_ term: String) throws(SegmentError) -> TermInfo? { try lookup(Array(term.utf8)) }

    /// An iterator positioned before the first term; call `next()` or `seek(_:)`.
    public func makeIterator() -> TermIterator { TermIterator(dictionary: self) }

    /// The block that would hold `target`: the last whose first term is <= target (0 if none).
    func blockFor(_ target: [UInt8]) -> Int {
        var lo = 0, hi = blockOffsets.count - 1
        var found = 0
        target.withUnsafeBytes { t in
            firstTerms.withUnsafeBytes { all in
                while lo <= hi {
                    let mid = (lo + hi) / 2
                    let first = UnsafeRawBufferPointer(rebasing: all[firstTermStarts[mid]..<firstTermStarts[mid + 1]])
                    if compareBytes(first, t) <= 0 {
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
