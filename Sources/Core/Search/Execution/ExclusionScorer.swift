/// The documents of `required` that no excluded scorer matches (must-not clauses); scored as
/// `required`.
final class ExclusionScorer: DocScorer {
    private let required: any DocScorer
    private let excluded: [any DocScorer]
    var doc: Int32 { required.doc }
    var cost: Int { required.cost }

    init(required: any DocScorer, excluded: [any DocScorer]) {
        self.required = required
        self.excluded = excluded
    }

    func next() throws(SegmentError) -> Int32 {
        try skipExcluded(try required.next())
    }

    func advance(to target: Int32) throws(SegmentError) -> Int32 {
        if doc >= target { return doc }
        return try skipExcluded(try required.advance(to: target))
    }

    private func skipExcluded(_ start: Int32) throws(SegmentError) -> Int32 {
        var d = start
        while d != PostingsIterator.noMoreDocs {
            var hit = false
            for e in excluded {
                if e.doc < d { _ = try e.advance(to: d) }
                if e.doc == d { hit = true; break }
            }
            if !hit { return d }
            d = try required.next()
        }
        return d
    }

    func score() -> Float { required.score() }
}
