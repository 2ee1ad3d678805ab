/// One term's postings in one segment as a `DocScorer`: a `TermCursor` in a class, for the
/// generic scorer tree and the collectors that step terms one call at a time.
final class TermDocScorer: DocScorer {
    // Unchecked: one scorer is only ever used by one thread, and the dynamic exclusivity
    // checks of class properties cost more than the rest of `next()`.
    @exclusivity(unchecked) private(set) var cursor: TermCursor

    init(postings: PostingsIterator, norms: NormsReader?, scorer: any TermScorer) {
        cursor = TermCursor(postings: postings, norms: norms, scorer: scorer)
    }

    init(cursor: TermCursor) {
        self.cursor = cursor
    }

    var doc: Int32 { cursor.doc }
    var cost: Int { cursor.cost }
    /// The last document of the decoded block that holds `doc`.
    var decodedBlockLast: Int32 { cursor.decodedBlockLast }

    func next() throws(SegmentError) -> Int32 { try cursor.next() }

    func advance(to target: Int32) throws(SegmentError) -> Int32 { try cursor.advance(to: target) }

    func score() -> Float { cursor.score() }

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
    var freq: Int32 { cursor.freq() }

    /// See `TermCursor.shallowAdvance(to:)`.
    func shallowAdvance(to target: Int32) throws(SegmentError) -> Int32 { try cursor.shallowAdvance(to: target) }

    /// See `TermCursor.blockMaxScore()`.
    func blockMaxScore() -> Float { cursor.blockMaxScore() }
}
