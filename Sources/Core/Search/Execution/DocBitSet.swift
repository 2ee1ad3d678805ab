/// A set of a segment's documents as a bitmap: what constant-score multi-term queries (prefix,
/// wildcard, term range) and doc-value ranges collect once per segment, so a query over many
/// terms costs one pass over their postings and not a many-way disjunction.
struct DocBitSet {
    private(set) var words: [UInt64]
    let maxDoc: Int
    private(set) var count = 0

    init(maxDoc: Int) {
        self.maxDoc = maxDoc
        words = [UInt64](repeating: 0, count: (maxDoc + 63) / 64)
    }

    /// Adds `doc` (ignored outside 0..<maxDoc, which only a corrupt file gives).
    mutating func insert(_ doc: Int32) {
        let d = Int(doc)
        guard d >= 0 && d < maxDoc else { return }
        let bit: UInt64 = 1 << UInt64(d & 63)
        if words[d >> 6] & bit == 0 {
            words[d >> 6] |= bit
            count += 1
        }
    }

    func contains(_ doc: Int32) -> Bool {
        let d = Int(doc)
        guard d >= 0 && d < maxDoc else { return false }
        return words[d >> 6] & (1 << UInt64(d & 63)) != 0
    }

    /// The first member >= `from`, or `PostingsIterator.noMoreDocs`.
    func nextSetBit(from: Int) -> Int32 {
        guard from < maxDoc else { return PostingsIterator.noMoreDocs }
        var w = from >> 6
        var word = words[w] & (~UInt64(0) << UInt64(from & 63))
        while true {
            if word != 0 { return Int32(w << 6 + word.trailingZeroBitCount) }
            w += 1
            guard w < words.count else { return PostingsIterator.noMoreDocs }
            word = words[w]
        }
    }

    /// Adds every document of `postings`.
    mutating func insertAll(_ postings: inout PostingsIterator) throws(SegmentError) {
        while true {
            let d = try postings.next()
            if d == PostingsIterator.noMoreDocs { return }
            insert(d)
        }
    }
}
