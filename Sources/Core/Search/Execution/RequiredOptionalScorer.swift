/// `required`, plus the score of `optional` where it also matches (should clauses next to
/// must clauses that need not match): the sum is required's, then optional's.
final class RequiredOptionalScorer: DocScorer {
    private let required: any DocScorer
    private let optional: any DocScorer
    var doc: Int32 { required.doc }
    var cost: Int { required.cost }

    init(required: any DocScorer, optional: any DocScorer) {
        self.required = required
        self.optional = optional
    }

    func next() throws(SegmentError) -> Int32 { try catchUp(try required.next()) }

    func advance(to target: Int32) throws(SegmentError) -> Int32 {
        if doc >= target { return doc }
        return try catchUp(try required.advance(to: target))
    }

    /// Brings the optional side to `d` so `score()` (which cannot throw) only compares.
    private func catchUp(_ d: Int32) throws(SegmentError) -> Int32 {
        if d != PostingsIterator.noMoreDocs && optional.doc < d { _ = try optional.advance(to: d) }
        return d
    }

    func score() -> Float {
        let base = required.score()
        return optional.doc == required.doc ? base + optional.score() : base
    }
}
