/// Documents every sub-scorer matches (required and filter clauses): leapfrogs from the
/// cheapest sub-scorer, advancing the others to its candidate (Lucene's `ConjunctionDISI`).
///
/// The score is the left-to-right sum of the scoring subs in clause order, starting at 0, so a
/// document's score does not depend on which sub leads (that order follows the segment's
/// document frequencies, and would otherwise change scores from one segmentation to another).
final class ConjunctionScorer: DocScorer {
    /// Sorted by cost, cheapest first: the lead and the ones it checks.
    private let byCost: [any DocScorer]
    /// The subs whose scores count, in clause order.
    private let scoring: [any DocScorer]
    private(set) var doc: Int32 = -1
    let cost: Int

    /// - Parameter subs: the clauses, each with whether it scores (filters do not).
    init(_ subs: [(scorer: any DocScorer, scores: Bool)]) {
        byCost = subs.map(\.scorer).sorted { $0.cost < $1.cost }
        scoring = subs.filter(\.scores).map(\.scorer)
        cost = byCost.first?.cost ?? 0
    }

    func next() throws(SegmentError) -> Int32 {
        doc = try align(try byCost[0].next())
        return doc
    }

    func advance(to target: Int32) throws(SegmentError) -> Int32 {
        if doc >= target { return doc }
        doc = try align(try byCost[0].advance(to: target))
        return doc
    }

    /// From the lead's candidate, the first document all subs share.
    private func align(_ start: Int32) throws(SegmentError) -> Int32 {
        var candidate = start
        var i = 1
        while i < byCost.count {
            if candidate == PostingsIterator.noMoreDocs { return candidate }
            let d = try byCost[i].advance(to: candidate)
            if d > candidate {
                candidate = try byCost[0].advance(to: d)
                i = 1
            } else {
                i += 1
            }
        }
        return candidate
    }

    func score() -> Float {
        var sum: Float = 0
        // Index loops borrow the elements; `for s in` would retain and release each one.
        for i in scoring.indices { sum += scoring[i].score() }
        return sum
    }
}
