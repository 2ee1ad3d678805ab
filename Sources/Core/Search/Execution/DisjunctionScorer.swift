/// Documents at least `minimumMatch` of the sub-scorers match (should clauses), scored by the
/// left-to-right sum, in clause order, of the subs on the document.
///
/// A linear scan over the subs per document: queries have few should clauses (fuzzy expands to
/// at most its cap), and the fixed order keeps sums identical across segmentations.
final class DisjunctionScorer: DocScorer {
    private let subs: [any DocScorer]
    private let minimumMatch: Int
    private(set) var doc: Int32 = -1
    let cost: Int
    /// Subs on `doc`, counted when it was found.
    private(set) var matchCount = 0

    init(_ subs: [any DocScorer], minimumMatch: Int) {
        self.subs = subs
        self.minimumMatch = max(minimumMatch, 1)
        cost = subs.reduce(0) { $0 + $1.cost }
    }

    func next() throws(SegmentError) -> Int32 {
        try advance(to: doc &+ 1)
    }

    func advance(to target: Int32) throws(SegmentError) -> Int32 {
        if doc >= target { return doc }
        var target = target
        while true {
            var smallest = PostingsIterator.noMoreDocs
            for i in subs.indices {
                var d = subs[i].doc
                if d < target { d = try subs[i].advance(to: target) }
                if d < smallest { smallest = d }
            }
            if smallest == PostingsIterator.noMoreDocs {
                doc = smallest
                return doc
            }
            var count = 0
            for i in subs.indices where subs[i].doc == smallest { count += 1 }
            if count >= minimumMatch {
                doc = smallest
                matchCount = count
                return doc
            }
            target = smallest + 1
        }
    }

    func score() -> Float {
        var sum: Float = 0
        for i in subs.indices where subs[i].doc == doc { sum += subs[i].score() }
        return sum
    }
}
