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
struct BlockMaxConjunction {
    /// The required clauses, in clause order, each an OR of one or more terms.
    let clauses: [[BlockMaxUnion.Term]]

    /// The clauses of `weight` when it is a boolean of two or more must clauses only (no
    /// should, filter or must-not), each a term or a pure OR of terms whose weightings give
    /// block bounds; nil otherwise.
    init?(_ weight: Weight) {
        guard case .boolean(let b) = weight, b.must.count >= 2, b.should.isEmpty, b.filter.isEmpty, b.mustNot.isEmpty else { return nil }
        var list: [[BlockMaxUnion.Term]] = []
        for w in b.must {
            guard let union = BlockMaxUnion(w) else { return nil }
            list.append(union.terms)
        }
        clauses = list
    }

    /// One clause in one segment: its terms (those the segment has), in clause order.
    private final class Clause {
        let terms: [TermDocScorer]
        let cost: Int
        /// Per term, the last document of the block bounding it in the current window (below
        /// the window's start when the term has nothing left).
        var lasts: [Int32]
        /// The sum of the terms' block bounds over the current window.
        var bound: Float = 0

        init(_ terms: [TermDocScorer]) {
            self.terms = terms
            lasts = Array(repeating: -1, count: terms.count)
            cost = terms.reduce(0) { $0 + $1.cost }
        }

        /// Advances the terms behind `target` to it; returns the clause's first document from
        /// `target` on.
        @inline(__always)
        func advance(to target: Int32) throws(SegmentError) -> Int32 {
            var smallest = PostingsIterator.noMoreDocs
            for i in terms.indices {
                var d = terms[i].doc
                if d < target { d = try terms[i].advance(to: target) }
                if d < smallest { smallest = d }
            }
            return smallest
        }

        /// The sum, in clause order, of the terms on `doc` (`DisjunctionScorer.score()`).
        @inline(__always)
        func score(_ doc: Int32) -> Float {
            var sum: Float = 0
            for i in terms.indices where terms[i].doc == doc { sum += terms[i].score() }
            return sum
        }
    }

    /// Collects segment `ordinal`; returns whether anything was skipped by its bound (so
    /// `total` is only a lower bound).
    func collect(_ segment: IndexSnapshot.SegmentView, ordinal: Int, into collector: inout TopDocsCollector, after: ScoredDoc?,
                 trackTotal: Int?) throws(SegmentError) -> Bool {
        let reader = segment.reader
        var list: [Clause] = []
        for terms in clauses {
            let scorers = try BlockMaxUnion.scorers(terms, in: reader, ordinal: ordinal)
            // A clause with no term in the segment: nothing here matches them all.
            if scorers.isEmpty { return false }
            list.append(Clause(scorers))
        }
        // Candidates come from the cheapest clause; the others check them, cheapest first.
        let byCost = list.indices.sorted { list[$0].cost < list[$1].cost }
        let lead = list[byCost[0]]
        let others = byCost.dropFirst().map { list[$0] }
        let live = segment.liveDocs
        let checkLive = live.hasDeletions
        let base = segment.docBase
        let noMore = PostingsIterator.noMoreDocs
        var skipped = false
        var target: Int32 = 0
        while true {
            // The window [target, end]: as in `BlockMaxUnion`, a term whose decoded block
            // reaches the target is advanced (free), the others are bounded by the impacts of
            // the block the skip data says holds the target.
            var end = noMore
            for c in list {
                var exhausted = true
                for (i, s) in c.terms.enumerated() {
                    c.lasts[i] = -1
                    if s.doc == noMore { continue }
                    if s.doc < target && target <= s.decodedBlockLast { _ = try s.advance(to: target) }
                    if s.doc == noMore { continue }
                    let last = s.doc >= target ? s.decodedBlockLast : try s.shallowAdvance(to: target)
                    if last < target { continue }
                    c.lasts[i] = last
                    exhausted = false
                    if last < end { end = last }
                }
                // Every term of a clause is past its last document: no more matches.
                if exhausted { return skipped }
            }
            var bound: Float = 0
            var empty = false
            for c in list {
                var b: Float = 0
                var present = false
                for (i, s) in c.terms.enumerated() where c.lasts[i] >= target {
                    if s.doc >= target && s.doc > end { continue }
                    present = true
                    b += max(s.blockMaxScore(), 0)
                }
                c.bound = b
                bound += b
                if !present { empty = true }
            }
            let mayPrune = collector.mayPrune(trackTotal: trackTotal)
            if !empty && !(mayPrune && bound <= collector.threshold) {
                try collectWindow(target: target, end: end, lead: lead, others: others, all: list, mayPrune: mayPrune,
                                  trackTotal: trackTotal, into: &collector, checkLive: checkLive, live: live, base: base, after: after, skipped: &skipped)
            } else if !empty {
                skipped = true
            }
            if end == noMore { return skipped }
            target = end + 1
        }
    }

    /// The leapfrog conjunction over the window's documents, led by the cheapest clause.
    private func collectWindow(target: Int32, end: Int32, lead: Clause, others: [Clause], all: [Clause], mayPrune: Bool,
                               trackTotal: Int?, into collector: inout TopDocsCollector, checkLive: Bool, live: LiveDocs, base: Int, after: ScoredDoc?,
                               skipped: inout Bool) throws(SegmentError) {
        var candidate = target
        // Whether the pruning condition held when the window was entered: the threshold can
        // only rise while the window runs, so it keeps holding.
        var prune = mayPrune
        outer: while true {
            candidate = try lead.advance(to: candidate)
            if candidate > end { return }
            if prune {
                // The lead's exact score and the others' window bounds, in clause order.
                var bound: Float = 0
                for c in all { bound += c === lead ? lead.score(candidate) : c.bound }
                if bound <= collector.threshold {
                    skipped = true
                    candidate += 1
                    continue outer
                }
            }
            for c in others {
                let d = try c.advance(to: candidate)
                if d > candidate {
                    if d > end { return }
                    candidate = d
                    continue outer
                }
            }
            if !checkLive || live.isLive(candidate) {
                var sum: Float = 0
                for c in all { sum += c.score(candidate) }
                collector.offer(score: sum, doc: base + Int(candidate), after: after)
            }
            if !prune { prune = collector.mayPrune(trackTotal: trackTotal) }
            candidate += 1
        }
    }
}
