/// One term's postings in one segment, scored per document from its frequency and length norm.
///
/// BM25 (the default weighting) is scored inline from its 256-entry norm table, in exactly the
/// order `BM25Scorer` computes, so the result is the same Float; other weightings go through
/// their `TermScorer`.
final class TermDocScorer: DocScorer {
    // Unchecked: one scorer is only ever used by one thread, and the dynamic exclusivity
    // checks of class properties cost more than the rest of `next()`.
    @exclusivity(unchecked) private var postings: PostingsIterator
    @exclusivity(unchecked) private(set) var doc: Int32 = -1
    let cost: Int
    /// Norm ids by document; empty when the field keeps none (then norm 0).
    private let norms: UnsafeRawBufferPointer
    private let scorer: any TermScorer
    private let bm25Weight: Float
    /// BM25's per-norm-id denominators (the scorer's shared table, kept alive by `bm25Table`);
    /// nil for other weightings. A raw pointer: an array here costs a retain and release per
    /// document.
    private let bm25Cache: UnsafeMutablePointer<Float>?
    private let bm25Table: BM25NormTable?

    init(postings: PostingsIterator, norms: NormsReader?, scorer: any TermScorer) {
        self.postings = postings
        self.cost = Int(postings.docFreq)
        self.norms = norms?.bytes ?? UnsafeRawBufferPointer(start: nil, count: 0)
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

    /// The last document of the decoded block that holds `doc`: advancing to a target up to
    /// it decodes nothing.
    @exclusivity(unchecked) private(set) var decodedBlockLast: Int32 = -1

    func next() throws(SegmentError) -> Int32 {
        doc = try postings.next()
        decodedBlockLast = postings.blockLastDoc
        return doc
    }

    func advance(to target: Int32) throws(SegmentError) -> Int32 {
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

    func score() -> Float {
        let freq = postings.currentFreq()
        if let bm25Cache {
            let tf = Float(freq)
            return bm25Weight * (tf / (tf + bm25Cache[Int(normId)]))
        }
        return scorer.score(termFrequency: UInt32(truncatingIfNeeded: freq), fieldNorm: normId)
    }

    /// Offers every document from the current one up to `end` (inclusive) to `collector`,
    /// scored alone: `BlockMaxUnion`'s loop for a window where no other term has a document,
    /// without its per-document pass over the terms. With `stopAtPruning`, stops (returning
    /// true, on the next document) as soon as the collector may prune with that `track_total`,
    /// so the caller can bound the rest of the window.
    func collectRun(upTo end: Int32, into collector: inout TopDocsCollector, base: Int, live: LiveDocs, checkLive: Bool,
                    after: ScoredDoc?, stopAtPruning trackTotal: Int?) throws(SegmentError) -> Bool {
        let watch = trackTotal != nil
        while doc <= end && doc != PostingsIterator.noMoreDocs {
            if !checkLive || live.isLive(doc) { collector.offer(score: score(), doc: base + Int(doc), after: after) }
            _ = try next()
            if watch && collector.mayPrune(trackTotal: trackTotal) { return doc <= end && doc != PostingsIterator.noMoreDocs }
        }
        return false
    }

    /// The current document's term frequency (explain).
    var freq: Int32 { postings.currentFreq() }

    // MARK: Block impacts

    /// Moves the skip cursor to the block that may hold `target` without decoding it; returns
    /// that block's last document (below `target` when the list has nothing at or after it).
    func shallowAdvance(to target: Int32) throws(SegmentError) -> Int32 {
        if doc == PostingsIterator.noMoreDocs { return -1 }
        return try postings.advanceShallow(to: target)
    }

    /// The highest score any document of the skip cursor's block can get (never below a real
    /// score: the same Float operations on the block's largest frequency and smallest norm).
    func blockMaxScore() -> Float {
        let maxFreq = postings.blockMaxFreq
        let minNorm = postings.blockMinNorm
        if let bm25Cache {
            let tf = Float(maxFreq)
            return bm25Weight * (tf / (tf + bm25Cache[Int(minNorm)]))
        }
        return scorer.upperBound(maxTermFrequency: UInt32(clamping: maxFreq), minFieldNorm: minNorm) ?? .infinity
    }
}
