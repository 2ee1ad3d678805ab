/// The filter and must-not clauses of a boolean in one segment, for the collectors that run
/// its scoring clauses themselves (`BlockMaxConjunction`, `PhraseUnion`): they restrict which
/// documents match and change no score, as `ConjunctionScorer` (non-scoring subs) and
/// `ExclusionScorer` decide.
struct Restrictions {
    private let filters: [any DocScorer]
    private let excluded: [any DocScorer]

    /// Nil when some filter has nothing in the segment: nothing here passes it.
    init?(filters: [Weight], excluded: [Weight], in segment: IndexSnapshot.SegmentView, ordinal: Int) throws(SegmentError) {
        var f: [any DocScorer] = []
        for w in filters {
            guard let s = try w.scorer(in: segment, ordinal: ordinal) else { return nil }
            f.append(s)
        }
        var e: [any DocScorer] = []
        for w in excluded {
            if let s = try w.scorer(in: segment, ordinal: ordinal) { e.append(s) }
        }
        self.filters = f
        self.excluded = e
    }

    /// The first document from `doc` on that every filter holds: `doc` itself when they all
    /// do, else a later one no document before which passes them (`noMoreDocs` past the end).
    @inline(__always)
    func passing(from doc: Int32) throws(SegmentError) -> Int32 {
        var leap = doc
        for f in filters where f.doc < doc || f.doc > leap {
            let at = f.doc < doc ? try f.advance(to: doc) : f.doc
            if at > leap { leap = at }
        }
        return leap
    }

    /// Whether a must-not clause matches `doc` (documents are asked in ascending order).
    @inline(__always)
    func excludes(_ doc: Int32) throws(SegmentError) -> Bool {
        for e in excluded {
            if e.doc < doc { _ = try e.advance(to: doc) }
            if e.doc == doc { return true }
        }
        return false
    }
}
