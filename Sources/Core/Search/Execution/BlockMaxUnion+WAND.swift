extension BlockMaxUnion {
    /// Block-max WAND over one window (Broder et al.; Ding and Suel; tantivy's `block_wand`),
    /// for when the heap can prune: the terms sorted by their next document, the pivot is the
    /// first term at which the running sum of the window bounds beats the heap. No document
    /// before the pivot's can enter the top k (only the terms before the pivot hold any, and
    /// their bounds together do not beat the heap), so those terms leap to the pivot's
    /// document, and it is scored only when they all land on it. A term too weak to enter the
    /// heap alone is thus only visited where another term meets it, where MaxScore would have
    /// made it essential and scored all its documents.
    ///
    /// Scores stay those of `DisjunctionScorer`: a document keeps one score per term and sums
    /// them in clause order (an absent term adds +0, which changes no Float). The pivot's sum is
    /// in document order, so it leaves room (`slack`) for the different rounding.
    ///
    /// Owned scratch memory per term, reused window after window and freed in deinit.
    final class WANDWindow {
        let count: Int
        /// Per term, its bound over the current window; -1 when it has no document there.
        let bounds: UnsafeMutablePointer<Float>
        /// Per term, its score on the current document (0 when absent).
        private let scores: UnsafeMutablePointer<Float>
        /// The terms with documents in the window, by next document.
        private let order: UnsafeMutablePointer<Int>
        /// `order`'s keys: each term's next document, or the window start if it is behind it.
        private let next: UnsafeMutablePointer<Int32>
        /// What a sum of bounds in document (or bound) order is scaled by before it is
        /// compared with a score summed in clause order: the error of a sum of `count`
        /// non-negative Floats in any order is below `count` ulps of it.
        private let slack: Float

        init(count: Int) {
            self.count = count
            slack = 1 + Float(2 * count) * .ulpOfOne
            let n = max(count, 1)
            bounds = .allocate(capacity: n)
            bounds.initialize(repeating: -1, count: n)
            scores = .allocate(capacity: n)
            scores.initialize(repeating: 0, count: n)
            order = .allocate(capacity: n)
            order.initialize(repeating: 0, count: n)
            next = .allocate(capacity: n)
            next.initialize(repeating: 0, count: n)
        }

        deinit {
            bounds.deallocate()
            scores.deallocate()
            order.deallocate()
            next.deallocate()
        }

        /// MaxScore's split (Turtle and Flood; Lucene's `MaxScoreBulkScorer`): whether the
        /// terms with documents in the window, sorted by bound, start with one whose bound
        /// (with room for rounding) does not beat `threshold` alone, while some other term
        /// does. Then WAND can pass over that term's lone documents; otherwise every document
        /// in the window is a candidate and the plain window loops are cheaper.
        func hasNonEssentialTerm(threshold: Float) -> Bool {
            var lowest = Float.infinity
            var terms = 0
            for i in 0..<count where bounds[i] >= 0 {
                terms += 1
                lowest = min(lowest, bounds[i])
            }
            return terms > 1 && lowest * slack <= threshold
        }

        /// Sorts `order[0..<m]` by `next` (insertion sort: a few terms, nearly in order).
        @inline(__always)
        private func sort(_ m: Int) {
            var k = 1
            while k < m {
                let t = order[k]
                let key = next[t]
                var j = k
                while j > 0 && next[order[j - 1]] > key {
                    order[j] = order[j - 1]
                    j -= 1
                }
                order[j] = t
                k += 1
            }
        }

        /// Offers the documents of `start...end` that can beat the heap, given the window's
        /// `bounds`; leaves every term at or before its first document past `end`, or where
        /// the last pivot left it.
        func collect(_ scorers: UnsafeMutablePointer<TermCursor>, from start: Int32, through end: Int32, into collector: inout TopDocsCollector, base: Int,
                     live: LiveDocs, checkLive: Bool, after: ScoredDoc?) throws(SegmentError) {
            var m = 0
            for i in 0..<count where bounds[i] >= 0 {
                order[m] = i
                next[i] = max(scorers[i].doc, start)
                m += 1
            }
            sort(m)
            while true {
                let threshold = collector.threshold
                var sum: Float = 0
                var p = -1
                for k in 0..<m {
                    sum += bounds[order[k]]
                    if sum * slack > threshold {
                        p = k
                        break
                    }
                }
                if p < 0 { return }
                let pivot = next[order[p]]
                if pivot > end { return }
                var q = p + 1
                while q < m && next[order[q]] == pivot { q += 1 }
                var aligned = true
                for k in 0..<q {
                    let t = order[k]
                    if scorers[t].doc < pivot {
                        let d = try scorers[t].advance(to: pivot)
                        next[t] = d
                        if d != pivot { aligned = false }
                    }
                }
                if aligned {
                    if !checkLive || live.isLive(pivot) {
                        for k in 0..<q { scores[order[k]] = scorers[order[k]].score() }
                        var score: Float = 0
                        for i in 0..<count { score += scores[i] }
                        collector.offer(score: score, doc: base + Int(pivot), after: after)
                        for k in 0..<q { scores[order[k]] = 0 }
                    }
                    for k in 0..<q { next[order[k]] = try scorers[order[k]].next() }
                }
                sort(m)
            }
        }
    }
}
