/// Top-k collection for a conjunction of terms or of ORs of terms (`a AND b`,
/// `(title:a OR text:a) AND (title:b OR text:b)`) that skips what cannot enter the top k: the
/// block-max conjunction of Lucene's `BlockMaxConjunctionScorer` (tantivy's block-WAND
/// intersection), over the same windows as `BlockMaxUnion`.
///
/// A window runs from the next unprocessed document to the first block end among all the
/// terms; the per-block impacts of the terms bound every clause's score in it. A window where
/// some clause has no document is passed over (exactly: nothing in it matches). Once the heap
/// is full and `track_total` hits have been counted, a window whose summed bound does not beat
/// the heap's worst hit is skipped without decoding it, and so is a candidate of the cheapest
/// clause whose exact score plus the other clauses' bounds does not (the other clauses are
/// then not even advanced to it); the total becomes a lower bound. Every document that is
/// scored is scored as `ConjunctionScorer` over `DisjunctionScorer`s scores it: clause by
/// clause in clause order, each clause's terms in clause order, so scores do not depend on
/// whether pruning ran.
///
/// Filter clauses (any query: a search's `filter=`) restrict without scoring: a candidate every
/// required clause holds must be in each, and one that is not leaps to the filter's next
/// document. Must-not clauses (any query) exclude: such a candidate is dropped, uncounted,
/// where one of them matches, as `ExclusionScorer` drops it. Neither changes a score.
struct BlockMaxConjunction {
    /// The required clauses, in clause order, each an OR of one or more terms.
    let clauses: [[BlockMaxUnion.Term]]
    /// The filter clauses.
    let filters: [Weight]
    /// The must-not clauses.
    let excluded: [Weight]

    /// The clauses of `weight` when it is a boolean of must clauses (two or more, or one beside
    /// filter or must-not clauses), filter and must-not clauses (no should), each must clause
    /// a term or a pure OR of terms whose weightings give block bounds; nil otherwise.
    ///
    /// A first must clause that is itself such a boolean (a search's `filter=` wraps the query
    /// so) is flattened into this one: its score `(0 + a) + b` then leads the sum as it did,
    /// so every score is the same Float.
    init?(_ weight: Weight) {
        guard case .boolean(let b) = weight, b.should.isEmpty else { return nil }
        var must = b.must
        var filters = b.filter
        var excluded = b.mustNot
        if case .boolean(let inner)? = must.first, inner.should.isEmpty, !inner.must.isEmpty {
            must = inner.must + must.dropFirst()
            filters += inner.filter
            excluded += inner.mustNot
        }
        guard must.count >= (excluded.isEmpty && filters.isEmpty ? 2 : 1) else { return nil }
        self.filters = filters
        self.excluded = excluded
        var list: [[BlockMaxUnion.Term]] = []
        for w in must {
            guard let union = BlockMaxUnion(w) else { return nil }
            list.append(union.terms)
        }
        clauses = list
    }

    /// Every clause's terms in one segment, in clause order, as cursors in owned memory that
    /// the loops step in place (no reference counting per document); clause `c` is terms
    /// `starts[c] ..< starts[c + 1]`. Freed with the object.
    private final class Clauses {
        let count: Int
        private let owned: TermCursors
        let terms: UnsafeMutablePointer<TermCursor>
        let starts: UnsafeMutablePointer<Int>
        let costs: [Int]
        /// Per term, the last document of the block bounding it in the current window (below
        /// the window's start when the term has nothing left).
        let lasts: UnsafeMutablePointer<Int32>
        /// Per clause, the sum of its terms' block bounds over the current window.
        let bounds: UnsafeMutablePointer<Float>

        init(_ lists: [[TermCursor]]) {
            count = lists.count
            owned = TermCursors(lists.flatMap { $0 })
            terms = owned.terms
            let termCount = owned.count
            starts = .allocate(capacity: lists.count + 1)
            var at = 0
            for (c, list) in lists.enumerated() {
                starts[c] = at
                at += list.count
            }
            starts[lists.count] = at
            costs = lists.map { $0.reduce(0) { $0 + $1.cost } }
            lasts = .allocate(capacity: max(termCount, 1))
            lasts.initialize(repeating: -1, count: max(termCount, 1))
            bounds = .allocate(capacity: max(lists.count, 1))
            bounds.initialize(repeating: 0, count: max(lists.count, 1))
        }

        deinit {
            starts.deallocate()
            lasts.deallocate()
            bounds.deallocate()
        }

        /// Advances clause `c`'s terms behind `target` to it; returns the clause's first
        /// document from `target` on.
        @inline(__always)
        func advance(_ c: Int, to target: Int32) throws(SegmentError) -> Int32 {
            var smallest = PostingsIterator.noMoreDocs
            for i in starts[c]..<starts[c + 1] {
                var d = terms[i].doc
                if d < target { d = try terms[i].advance(to: target) }
                if d < smallest { smallest = d }
            }
            return smallest
        }

        /// The sum, in clause order, of clause `c`'s terms on `doc` (`DisjunctionScorer.score()`).
        @inline(__always)
        func score(_ c: Int, _ doc: Int32) -> Float {
            var sum: Float = 0
            for i in starts[c]..<starts[c + 1] where terms[i].doc == doc { sum += terms[i].score() }
            return sum
        }
    }

    /// Collects segment `ordinal`; returns whether anything was skipped by its bound (so
    /// `total` is only a lower bound).
    func collect(_ segment: IndexSnapshot.SegmentView, ordinal: Int, into collector: inout TopDocsCollector, after: ScoredDoc?,
                 trackTotal: Int?) throws(SegmentError) -> Bool {
        let reader = segment.reader
        var lists: [[TermCursor]] = []
        for terms in clauses {
            let cursors = try BlockMaxUnion.cursors(terms, in: reader, ordinal: ordinal)
            // A clause with no term in the segment: nothing here matches them all.
            if cursors.isEmpty { return false }
            lists.append(cursors)
        }
        let all = Clauses(lists)
        lists = []
        defer { withExtendedLifetime(all) {} }
        guard let restrictions = try Restrictions(filters: filters, excluded: excluded, in: segment, ordinal: ordinal) else { return false }
        // Candidates come from the cheapest clause; the others check them, cheapest first.
        let byCost = (0..<all.count).sorted { all.costs[$0] < all.costs[$1] }
        let lead = byCost[0]
        let others = Array(byCost.dropFirst())
        let live = segment.liveDocs
        let checkLive = live.hasDeletions
        let base = segment.docBase
        let noMore = PostingsIterator.noMoreDocs
        let t = all.terms
        var skipped = false
        var target: Int32 = 0
        while true {
            // The window [target, end]: as in `BlockMaxUnion`, a term whose decoded block
            // reaches the target is advanced (free), the others are bounded by the impacts of
            // the block the skip data says holds the target.
            var end = noMore
            for c in 0..<all.count {
                var exhausted = true
                for i in all.starts[c]..<all.starts[c + 1] {
                    all.lasts[i] = -1
                    guard let last = try t[i].windowBlockLast(from: target) else { continue }
                    all.lasts[i] = last
                    exhausted = false
                    if last < end { end = last }
                }
                // Every term of a clause is past its last document: no more matches.
                if exhausted { return skipped }
            }
            // A clause with nothing in the window: each of its terms sits on a known document
            // past it (or has none left), so nothing matches before the first of them, where
            // the next window starts (a rare clause beside a frequent one leaps over the
            // frequent one's blocks instead of visiting each as a window).
            var leap = end
            for c in 0..<all.count {
                var present = false
                var next = noMore
                for i in all.starts[c]..<all.starts[c + 1] where all.lasts[i] >= target {
                    guard t[i].doc >= target && t[i].doc > end else {
                        present = true
                        break
                    }
                    next = min(next, t[i].doc)
                }
                if !present { leap = max(leap, next) }
            }
            if leap > end {
                if leap == noMore { return skipped }
                target = leap
                continue
            }
            var bound: Float = 0
            for c in 0..<all.count {
                var b: Float = 0
                for i in all.starts[c]..<all.starts[c + 1] where all.lasts[i] >= target {
                    if t[i].doc >= target && t[i].doc > end { continue }
                    b += max(t[i].blockMaxScore(), 0)
                }
                all.bounds[c] = b
                bound += b
            }
            let mayPrune = collector.mayPrune(trackTotal: trackTotal)
            if !(mayPrune && bound <= collector.threshold) {
                try collectWindow(target: target, end: end, clauses: all, lead: lead, others: others, restrictions: restrictions, mayPrune: mayPrune,
                                  trackTotal: trackTotal, into: &collector, checkLive: checkLive, live: live, base: base, after: after, skipped: &skipped)
            } else {
                skipped = true
            }
            if end == noMore { return skipped }
            target = end + 1
        }
    }

    /// The leapfrog conjunction over the window's documents, led by the cheapest clause.
    private func collectWindow(target: Int32, end: Int32, clauses all: Clauses, lead: Int, others: [Int], restrictions: Restrictions, mayPrune: Bool,
                               trackTotal: Int?, into collector: inout TopDocsCollector, checkLive: Bool, live: LiveDocs, base: Int, after: ScoredDoc?,
                               skipped: inout Bool) throws(SegmentError) {
        var candidate = target
        // Whether the pruning condition held when the window was entered: the threshold can
        // only rise while the window runs, so it keeps holding.
        var prune = mayPrune
        outer: while true {
            candidate = try all.advance(lead, to: candidate)
            if candidate > end { return }
            // The lead's score when pruning computed it (the same Float the sum below needs).
            var leadScore: Float = 0
            if prune {
                // The lead's exact score and the others' window bounds, in clause order.
                leadScore = all.score(lead, candidate)
                var bound: Float = 0
                for c in 0..<all.count { bound += c == lead ? leadScore : all.bounds[c] }
                if bound <= collector.threshold {
                    skipped = true
                    candidate += 1
                    continue outer
                }
            }
            for c in others {
                let d = try all.advance(c, to: candidate)
                if d > candidate {
                    if d > end { return }
                    candidate = d
                    continue outer
                }
            }
            let passing = try restrictions.passing(from: candidate)
            if passing > candidate {
                if passing > end { return }
                candidate = passing
                continue outer
            }
            if try restrictions.excludes(candidate) {
                candidate += 1
                continue outer
            }
            if !checkLive || live.isLive(candidate) {
                var sum: Float = 0
                for c in 0..<all.count { sum += c == lead && prune ? leadScore : all.score(c, candidate) }
                collector.offer(score: sum, doc: base + Int(candidate), after: after)
            }
            if !prune { prune = collector.mayPrune(trackTotal: trackTotal) }
            candidate += 1
        }
    }
}
