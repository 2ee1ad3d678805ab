/// Top-k collection for a phrase, or an OR of phrases and terms (`title:"a b" OR text:"a b"`),
/// that skips the costly part of a phrase, decoding positions, for candidates that cannot
/// enter the top k.
///
/// A candidate (a document holding every term of some phrase) is bounded from what is
/// already known: each term clause's exact score, each phrase's `candidateBound()` from its
/// terms' frequencies and the document's norm. Once the heap is full and `track_total` hits
/// were counted, a candidate whose bound does not beat the heap's worst hit is dropped
/// unverified (so the total becomes a lower bound), and so is a document of a phrase's lead
/// term, before the other terms are advanced to it, where no other clause can match and the
/// lead's frequency and the norm bound the phrase below the heap; every other candidate is
/// verified and scored exactly as `DisjunctionScorer` scores it, in clause order.
///
/// Such a query may sit under filter and must-not clauses (a search's `filter=` wraps it so):
/// a candidate must then be in every filter (one that is not leaps to the filters' next
/// document) and in no must-not clause, as `ConjunctionScorer` and `ExclusionScorer` decide;
/// neither changes a score.
struct PhraseUnion {
    let clauses: [Weight]
    let filters: [Weight]
    let excluded: [Weight]

    /// Nil unless `weight` is a phrase or a pure OR of phrases and terms with at least one
    /// phrase, all under weightings with bounds, alone or as the one must clause of a boolean
    /// that adds only filter and must-not clauses.
    init?(_ weight: Weight) {
        if case .boolean(let b) = weight, b.should.isEmpty, b.must.count == 1, !(b.filter.isEmpty && b.mustNot.isEmpty) {
            guard let inner = PhraseUnion(b.must[0]) else { return nil }
            clauses = inner.clauses
            filters = inner.filters + b.filter
            excluded = inner.excluded + b.mustNot
            return
        }
        filters = []
        excluded = []
        func eligible(_ w: Weight) -> Bool {
            switch w {
            case .term(_, _, _, let scorer), .phrase(_, _, _, _, let scorer):
                return scorer.upperBound(maxTermFrequency: 1, minFieldNorm: 0) != nil
            default:
                return false
            }
        }
        func isPhrase(_ w: Weight) -> Bool {
            if case .phrase = w { return true }
            return false
        }
        switch weight {
        case .phrase:
            guard eligible(weight) else { return nil }
            clauses = [weight]
        case .boolean(let b):
            guard b.must.isEmpty, b.filter.isEmpty, b.mustNot.isEmpty, b.minimumShouldMatch <= 1,
                  b.should.contains(where: isPhrase), b.should.allSatisfy(eligible) else { return nil }
            clauses = b.should
        default:
            return nil
        }
    }

    private enum Clause {
        case term(TermDocScorer)
        case phrase(PhraseDocScorer)

        var doc: Int32 {
            switch self {
            case .term(let s): s.doc
            case .phrase(let s): s.doc
            }
        }

        func step() throws(SegmentError) {
            switch self {
            case .term(let s): _ = try s.next()
            case .phrase(let s): _ = try s.nextCandidate()
            }
        }

        /// Moves to the first document (a phrase: candidate) at or after `target`.
        func advance(to target: Int32) throws(SegmentError) {
            switch self {
            case .term(let s): _ = try s.advance(to: target)
            case .phrase(let s): _ = try s.advanceCandidate(to: target)
            }
        }
    }

    /// Collects segment `ordinal`; returns whether a candidate was dropped unverified.
    func collect(_ segment: IndexSnapshot.SegmentView, ordinal: Int, into collector: inout TopDocsCollector, after: ScoredDoc?,
                 trackTotal: Int?) throws(SegmentError) -> Bool {
        var list: [Clause] = []
        for w in clauses {
            switch try w.scorer(in: segment, ordinal: ordinal) {
            case let s as TermDocScorer: list.append(.term(s))
            case let s as PhraseDocScorer: list.append(.phrase(s))
            default: continue
            }
        }
        if list.isEmpty { return false }
        guard let restrictions = try Restrictions(filters: filters, excluded: excluded, in: segment, ordinal: ordinal) else { return false }
        for c in list { try c.step() }
        let live = segment.liveDocs
        let checkLive = live.hasDeletions
        let base = segment.docBase
        let noMore = PostingsIterator.noMoreDocs
        var skipped = false
        while true {
            var d = noMore
            for c in list where c.doc < d { d = c.doc }
            if d == noMore { return skipped }
            // Filters: every one must hold `d`; else every clause leaps to where they might.
            let leap = try restrictions.passing(from: d)
            if leap > d {
                if leap == noMore { return skipped }
                for c in list where c.doc < leap { try c.advance(to: leap) }
                continue
            }
            if try !restrictions.excludes(d) && (!checkLive || live.isLive(d)) {
                var drop = false
                if collector.mayPrune(trackTotal: trackTotal) {
                    var bound: Float = 0
                    for c in list where c.doc == d {
                        switch c {
                        case .term(let s): bound += max(s.score(), 0)
                        case .phrase(let s): bound += max(s.candidateBound() ?? .infinity, 0)
                        }
                    }
                    drop = bound <= collector.threshold
                }
                if drop {
                    skipped = true
                } else {
                    var sum: Float = 0
                    var matched = false
                    for c in list where c.doc == d {
                        switch c {
                        case .term(let s):
                            sum += s.score()
                            matched = true
                        case .phrase(let s):
                            if try s.confirm() {
                                sum += s.score()
                                matched = true
                            }
                        }
                    }
                    if matched { collector.offer(score: sum, doc: base + Int(d), after: after) }
                }
            }
            let mayPrune = collector.mayPrune(trackTotal: trackTotal)
            for i in list.indices where list[i].doc == d {
                guard mayPrune, case .phrase(let s) = list[i] else {
                    try list[i].step()
                    continue
                }
                // Up to the other clauses' next documents (one still on `d`, stepped after
                // this one, may match from d + 1), the phrase alone must beat the heap.
                var until = noMore
                for j in list.indices where j != i { until = min(until, list[j].doc == d ? d + 1 : list[j].doc) }
                if try s.nextCandidate(beating: collector.threshold, before: until) { skipped = true }
            }
        }
    }
}
