/// Top-k collection for a disjunction of terms (a single term, `a OR b`, `title:x OR text:x`)
/// that skips whole postings blocks which cannot enter the top k: a block-max variant of
/// MaxScore over windows (Lucene's `BlockMaxMaxScoreScorer`, tantivy's block-WAND idea).
///
/// The window runs from the next unprocessed document to the first block end among the
/// terms; the sum of the terms' block maxima (from the per-block impacts, for monotone
/// weightings only) bounds every score in it. Once the heap is full and `track_total` hits
/// have been counted, a window whose bound does not beat the heap's worst hit is skipped
/// without decoding it (a tie loses: later documents rank after equal earlier ones), and the
/// total becomes a lower bound. Otherwise the window is scored exactly as `DisjunctionScorer`
/// does, in clause order, so scores do not depend on whether pruning ran.
struct BlockMaxUnion {
    struct Term {
        let field: String
        let infos: [TermInfo?]
        let scorer: any TermScorer
    }

    let terms: [Term]

    /// The terms of `weight` when it is a term or a pure OR of terms whose weightings give
    /// block bounds; nil otherwise (the exhaustive path then runs).
    init?(_ weight: Weight) {
        func term(_ w: Weight) -> Term? {
            guard case .term(let field, _, let infos, let scorer) = w,
                  scorer.upperBound(maxTermFrequency: 1, minFieldNorm: 0) != nil else { return nil }
            return Term(field: field, infos: infos, scorer: scorer)
        }
        switch weight {
        case .term:
            guard let t = term(weight) else { return nil }
            terms = [t]
        case .boolean(let b):
            guard b.must.isEmpty, b.filter.isEmpty, b.mustNot.isEmpty, b.minimumShouldMatch <= 1, !b.should.isEmpty else { return nil }
            var list: [Term] = []
            for w in b.should {
                guard let t = term(w) else { return nil }
                list.append(t)
            }
            terms = list
        default:
            return nil
        }
    }

    /// Cursors for the terms that occur in segment `ordinal` (shared with `BlockMaxConjunction`,
    /// whose clauses are unions of terms).
    static func cursors(_ terms: [Term], in reader: SegmentReader, ordinal: Int) throws(SegmentError) -> [TermCursor] {
        var cursors: [TermCursor] = []
        for t in terms {
            guard ordinal < t.infos.count, let info = t.infos[ordinal] else { continue }
            cursors.append(TermCursor(postings: try reader.postings(t.field, info), norms: reader.norms(t.field), scorer: t.scorer))
        }
        return cursors
    }

    /// Collects segment `ordinal`; returns whether any window was skipped (so `total` is only
    /// a lower bound).
    func collect(_ segment: IndexSnapshot.SegmentView, ordinal: Int, into collector: inout TopDocsCollector, after: ScoredDoc?,
                 trackTotal: Int?) throws(SegmentError) -> Bool {
        let reader = segment.reader
        let owned = TermCursors(try Self.cursors(terms, in: reader, ordinal: ordinal))
        defer { withExtendedLifetime(owned) {} }
        let s = owned.terms
        let n = owned.count
        if n == 0 { return false }
        let live = segment.liveDocs
        let checkLive = live.hasDeletions
        let base = segment.docBase
        let noMore = PostingsIterator.noMoreDocs
        var skipped = false
        var target: Int32 = 0
        var lasts = [Int32](repeating: -1, count: n)
        let wand = WANDWindow(count: n)
        var buckets: Buckets?
        windows: while true {
            // The window [target, end] and the bound of every score in it. A term whose
            // decoded block reaches the target is advanced (free), so its exact next document
            // is known and it adds nothing to a window it has no document in; the others are
            // bounded by the impacts of the block the skip data says holds the target.
            var end = noMore
            for i in 0..<n {
                lasts[i] = -1
                guard let last = try s[i].windowBlockLast(from: target) else { continue }
                lasts[i] = last
                if last < end { end = last }
            }
            var bound: Float = 0
            var any = false
            for i in 0..<n {
                var b: Float = -1
                if lasts[i] >= target && !(s[i].doc >= target && s[i].doc > end) {
                    any = true
                    b = max(s[i].blockMaxScore(), 0)
                    bound += b
                }
                wand.bounds[i] = b
            }
            if !any { return skipped }
            let mayPrune = collector.mayPrune(trackTotal: trackTotal)
            if mayPrune && bound <= collector.threshold {
                skipped = true
                if end == noMore { return skipped }
                target = end + 1
                continue
            }
            // Some term too weak to enter the heap alone: only documents where terms meet
            // can, and block-max WAND finds them.
            if mayPrune && wand.hasNonEssentialTerm(threshold: collector.threshold) {
                skipped = true
                try wand.collect(s, from: target, through: end, into: &collector, base: base, live: live, checkLive: checkLive, after: after)
                if end == noMore { return skipped }
                target = end + 1
                continue
            }
            for i in 0..<n where s[i].doc < target { _ = try s[i].advance(to: target) }
            // One term alone in the window (a frequent term next to a rare one, or a single
            // term): its documents in a tight loop.
            var alone = -1
            for i in 0..<n where s[i].doc <= end {
                alone = alone == -1 ? i : -2
            }
            if alone >= 0 {
                // Until the heap can prune: then the rest of the window is bounded afresh.
                if try s[alone].collectRun(upTo: end, into: &collector, base: base, live: live, checkLive: checkLive, after: after,
                                                 stopAtPruning: mayPrune ? nil : trackTotal) {
                    target = s[alone].doc
                    continue
                }
                if end == noMore { return skipped }
                target = end + 1
                continue
            }
            // Several terms over a short window: each term adds its scores into a bucket per
            // document, in clause order (so the same sums), then the documents go out in order
            // (tantivy's buffered union): one pass per term instead of passes over every term
            // per document.
            if end != noMore && Int(end) - Int(target) < Self.bucketSpan {
                if buckets == nil { buckets = Buckets() }
                try buckets!.collect(s, count: n, from: target, through: end, into: &collector, base: base, live: live, checkLive: checkLive,
                                     after: after)
                target = end + 1
                continue
            }
            // Once the heap can prune, the rest of the window is bounded afresh.
            while true {
                var d = noMore
                for i in 0..<n where s[i].doc < d { d = s[i].doc }
                if d > end || d == noMore { break }
                if !checkLive || live.isLive(d) {
                    var sum: Float = 0
                    for i in 0..<n where s[i].doc == d { sum += s[i].score() }
                    collector.offer(score: sum, doc: base + Int(d), after: after)
                }
                for i in 0..<n where s[i].doc == d { _ = try s[i].next() }
                if !mayPrune && collector.mayPrune(trackTotal: trackTotal) {
                    target = d + 1
                    continue windows
                }
            }
            if end == noMore { return skipped }
            target = end + 1
        }
    }

    /// The longest window `Buckets` takes.
    static let bucketSpan = 4096

    /// Per-document score sums and a bitmap of the documents seen over one window (owned
    /// memory, zero between windows, freed in deinit).
    final class Buckets {
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: BlockMaxUnion.bucketSpan)
        let seen = UnsafeMutablePointer<UInt64>.allocate(capacity: BlockMaxUnion.bucketSpan / 64)

        init() {
            scores.initialize(repeating: 0, count: BlockMaxUnion.bucketSpan)
            seen.initialize(repeating: 0, count: BlockMaxUnion.bucketSpan / 64)
        }

        deinit {
            scores.deallocate()
            seen.deallocate()
        }

        /// Every document of the `count` cursors at `s` in `start...end` (at most `bucketSpan`
        /// of them; the cursors are at or after `start`), scored as the sum in clause order of
        /// the terms on it, offered in document order; leaves the cursors past `end`.
        func collect(_ s: UnsafeMutablePointer<TermCursor>, count: Int, from start: Int32, through end: Int32, into collector: inout TopDocsCollector,
                     base: Int, live: LiveDocs, checkLive: Bool, after: ScoredDoc?) throws(SegmentError) {
            for i in 0..<count {
                while s[i].doc <= end {
                    let k = Int(s[i].doc &- start)
                    scores[k] += s[i].score()
                    seen[k &>> 6] |= 1 &<< UInt64(k & 63)
                    _ = try s[i].next()
                }
            }
            let words = (Int(end &- start) + 64) / 64
            for w in 0..<words {
                var word = seen[w]
                if word == 0 { continue }
                seen[w] = 0
                while word != 0 {
                    let k = w &* 64 &+ word.trailingZeroBitCount
                    word &= word &- 1
                    let d = start &+ Int32(k)
                    if !checkLive || live.isLive(d) { collector.offer(score: scores[k], doc: base + Int(d), after: after) }
                    scores[k] = 0
                }
            }
        }
    }
}
