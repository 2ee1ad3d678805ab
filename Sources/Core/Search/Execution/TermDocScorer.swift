/// One term's postings in one segment as a `DocScorer`: a `TermCursor` in a class, for the
/// generic scorer tree and the collectors that step terms one call at a time.
final class TermDocScorer: DocScorer {
    // Unchecked: one scorer is only ever used by one thread, and the dynamic exclusivity
    // checks of class properties cost more than the rest of `next()`.
    @exclusivity(unchecked) private(set) var cursor: TermCursor

    init(postings: PostingsIterator, norms: NormsReader?, scorer: any TermScorer) {
        cursor = TermCursor(postings: postings, norms: norms, scorer: scorer)
    }

    var doc: Int32 { cursor.doc }
    var cost: Int { cursor.cost }

    func next() throws(SegmentError) -> Int32 { try cursor.next() }

    func advance(to target: Int32) throws(SegmentError) -> Int32 { try cursor.advance(to: target) }

    func score() -> Float { cursor.score() }

    /// The current document's term frequency (explain).
    var freq: Int32 { cursor.freq() }
}
