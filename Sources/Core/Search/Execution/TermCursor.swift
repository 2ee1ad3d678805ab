/// One term's postings in one segment, scored per document from its frequency and length norm:
/// the value inside `TermDocScorer`, and what the block-max collectors keep in owned buffers
/// and step in place, so the per-document loops pay no reference counting (a class instance
/// read out of an array is retained and released around every call on it).
///
/// Never copied once in use: a copy shares the iterator's decode buffers.
struct TermCursor {
    private var postings: PostingsIterator
    private(set) var doc: Int32 = -1
    /// The last document of the decoded block that holds `doc`: advancing to a target up to
    /// it decodes nothing.
    private(set) var decodedBlockLast: Int32 = -1
    let cost: Int
    /// Norm ids by document; empty when the field keeps none (then norm 0).
    private let norms: UnsafeRawBufferPointer
    private let scorer: InlineScorer

    init(postings: PostingsIterator, norms: NormsReader?, scorer: any TermScorer) {
        self.postings = postings
        self.cost = Int(postings.docFreq)
        self.norms = norms?.bytes ?? UnsafeRawBufferPointer(start: nil, count: 0)
        self.scorer = InlineScorer(scorer)
    }

    @inline(__always)
    mutating func next() throws(SegmentError) -> Int32 {
        doc = try postings.next()
        decodedBlockLast = postings.blockLastDoc
        return doc
    }

    @inline(__always)
    mutating func advance(to target: Int32) throws(SegmentError) -> Int32 {
        if doc >= target { return doc }
        doc = try postings.advance(to: target)
        decodedBlockLast = postings.blockLastDoc
        return doc
    }

    /// The current document's norm id (0 past the norms, which only a corrupt file gives).
    @inline(__always)
    private var normId: UInt8 {
        let d = Int(doc)
        return d < norms.count ? norms[d] : 0
    }

    /// Mutating only to read the frequency in place (a read through a copy would retain the
    /// iterator's storage).
    @inline(__always)
    mutating func score() -> Float {
        scorer.score(frequency: postings.currentFreq(), norm: normId)
    }

    /// The current document's term frequency (explain).
    mutating func freq() -> Int32 { postings.currentFreq() }

    // MARK: Block impacts

    /// The last document of the block that bounds this term in a window starting at `target`
    /// (the block-max collectors' windows end at the first such block end among their terms),
    /// nil when the term has nothing at or after `target`. A decoded block that reaches the
    /// target is advanced in (free), so its exact next document is known; otherwise only the
    /// skip cursor moves.
    mutating func windowBlockLast(from target: Int32) throws(SegmentError) -> Int32? {
        if doc == PostingsIterator.noMoreDocs { return nil }
        if doc < target && target <= decodedBlockLast { _ = try advance(to: target) }
        if doc == PostingsIterator.noMoreDocs { return nil }
        let last = doc >= target ? decodedBlockLast : try shallowAdvance(to: target)
        return last < target ? nil : last
    }

    /// Moves the skip cursor to the block that may hold `target` without decoding it; returns
    /// that block's last document (below `target` when the list has nothing at or after it).
    mutating func shallowAdvance(to target: Int32) throws(SegmentError) -> Int32 {
        if doc == PostingsIterator.noMoreDocs { return -1 }
        return try postings.advanceShallow(to: target)
    }

    /// The highest score any document of the skip cursor's block can get (never below a real
    /// score: the same Float operations on the block's largest frequency and smallest norm).
    /// Mutating only so that a call through a pointer reads in place instead of copying.
    @inline(__always)
    mutating func blockMaxScore() -> Float {
        scorer.bound(maxFrequency: postings.blockMaxFreq, minNorm: postings.blockMinNorm)
    }
}

/// A `TermScorer` for per-document loops: BM25 (the default weighting) is scored inline from
/// its 256-entry norm table, in exactly the order `BM25Scorer` computes, so the result is the
/// same Float without a call through the existential; other weightings go through it.
struct InlineScorer {
    let scorer: any TermScorer
    private let bm25Weight: Float
    /// BM25's per-norm-id denominators (the scorer's shared table, kept alive by `bm25Table`);
    /// nil for other weightings. A raw pointer: an array here costs a retain and release per
    /// document.
    private let bm25Cache: UnsafeMutablePointer<Float>?
    private let bm25Table: BM25NormTable?

    init(_ scorer: any TermScorer) {
        self.scorer = scorer
        if let bm25 = scorer as? BM25Scorer {
            bm25Weight = bm25.weight
            bm25Table = bm25.cache
            bm25Cache = bm25.cache.values
        } else {
            bm25Weight = 0
            bm25Table = nil
            bm25Cache = nil
        }
    }

    @inline(__always)
    func score(frequency: Int32, norm: UInt8) -> Float {
        if let bm25Cache {
            let tf = Float(frequency)
            return bm25Weight * (tf / (tf + bm25Cache[Int(norm)]))
        }
        return scorer.score(termFrequency: UInt32(clamping: frequency), fieldNorm: norm)
    }

    /// The highest score with at most `maxFrequency` and a norm of at least `minNorm` (never
    /// below a real score: the same Float operations); infinity without bounds.
    @inline(__always)
    func bound(maxFrequency: Int32, minNorm: UInt8) -> Float {
        if let bm25Cache {
            let tf = Float(maxFrequency)
            return bm25Weight * (tf / (tf + bm25Cache[Int(minNorm)]))
        }
        return scorer.upperBound(maxTermFrequency: UInt32(clamping: maxFrequency), minFieldNorm: minNorm) ?? .infinity
    }
}
