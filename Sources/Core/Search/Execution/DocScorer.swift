/// A cursor over the matching documents of one segment, ascending, with their scores: what a
/// `Weight` becomes in each segment (Lucene's `Scorer`).
///
/// A class-bound protocol so a tree of them mutates in place without copies; one tree serves
/// one segment of one search on one thread. `doc` starts at -1 and ends at
/// `PostingsIterator.noMoreDocs`. Deleted documents are returned: the collector filters them
/// once, at the top, so no leaf pays for it.
protocol DocScorer: AnyObject {
    /// The current document (-1 before the first `next()`).
    var doc: Int32 { get }
    /// An estimate of how many documents this scorer yields: conjunctions lead with the cheapest.
    var cost: Int { get }
    /// Moves to the next matching document.
    func next() throws(SegmentError) -> Int32
    /// Moves to the first matching document >= `target`; returns `doc` when it already is.
    func advance(to target: Int32) throws(SegmentError) -> Int32
    /// The score of the current document.
    func score() -> Float
}

extension DocScorer {
    /// Every remaining document, in order (tests and delete-by-query).
    func collectDocs() throws(SegmentError) -> [Int32] {
        var docs: [Int32] = []
        while try next() != PostingsIterator.noMoreDocs { docs.append(doc) }
        return docs
    }
}
