/// A phrase in one segment: the documents holding every term (a conjunction led by the
/// rarest), kept where the positions line up; the number of places the phrase starts is its
/// term frequency for the weighting (as tantivy scores phrases).
///
/// Positions follow Whoosh's slop: term `i` must sit `gap_i` to `gap_i + slop - 1` positions
/// after where term `i-1` matched, `gap_i` being the distance the query gives them (1, or more
/// where the analyzer dropped a stop word). `slop == 1` is the exact phrase.
final class PhraseDocScorer: DocScorer {
    /// The terms' postings in owned memory (`termCount` of them, freed in deinit), stepped in
    /// place: an array property of a class checks its uniqueness on every mutation.
    private let postings: UnsafeMutablePointer<PostingsIterator>
    private let termCount: Int
    /// Term indices by document frequency, rarest first.
    private let order: [Int]
    /// `gaps[i]`: query distance from term i-1 to term i (gaps[0] unused).
    private let gaps: [Int64]
    /// `offsets[i]`: query distance from term 0 to term i.
    private let offsets: [Int64]
    private let slop: Int64
    private let norms: UnsafeRawBufferPointer
    private let scorer: InlineScorer
    /// Whether the weighting gives bounds (is monotone), so `candidateBound()` may bound.
    private let hasBounds: Bool
    /// Per term, its positions in the current document (owned memory as `postings`).
    private let positions: UnsafeMutablePointer<[UInt32]>
    private(set) var doc: Int32 = -1
    /// Phrase matches in `doc`.
    private(set) var freq = 0
    let cost: Int

    init(postings: [PostingsIterator], queryPositions: [Int], slop: Int, norms: NormsReader?, scorer: any TermScorer) {
        termCount = postings.count
        self.postings = .allocate(capacity: max(postings.count, 1))
        self.postings.initialize(from: postings, count: postings.count)
        order = postings.indices.sorted { postings[$0].docFreq < postings[$1].docFreq }
        var gaps: [Int64] = [0]
        for i in 1..<max(queryPositions.count, 1) { gaps.append(Int64(queryPositions[i] - queryPositions[i - 1])) }
        self.gaps = gaps
        offsets = queryPositions.map { Int64($0 - (queryPositions.first ?? 0)) }
        self.slop = Int64(max(slop, 1))
        self.norms = norms?.bytes ?? UnsafeRawBufferPointer(start: nil, count: 0)
        self.scorer = InlineScorer(scorer)
        hasBounds = scorer.upperBound(maxTermFrequency: 1, minFieldNorm: 0) != nil
        positions = .allocate(capacity: max(postings.count, 1))
        positions.initialize(repeating: [], count: postings.count)
        cost = Int(postings.map(\.docFreq).min() ?? 0)
    }

    deinit {
        postings.deinitialize(count: termCount)
        postings.deallocate()
        positions.deinitialize(count: termCount)
        positions.deallocate()
        starts.deallocate()
    }

    func next() throws(SegmentError) -> Int32 {
        doc = try find(try postings[order[0]].next())
        return doc
    }

    func advance(to target: Int32) throws(SegmentError) -> Int32 {
        if doc >= target { return doc }
        doc = try find(try postings[order[0]].advance(to: target))
        return doc
    }

    /// From the lead's candidate, the first document with every term and a phrase match.
    private func find(_ start: Int32) throws(SegmentError) -> Int32 {
        var candidate = try align(start)
        while candidate != PostingsIterator.noMoreDocs {
            if try confirm() { return candidate }
            candidate = try align(try postings[order[0]].next())
        }
        return candidate
    }

    /// From the lead's candidate, the first document holding every term (positions unchecked).
    private func align(_ start: Int32) throws(SegmentError) -> Int32 {
        let lead = order[0]
        var candidate = start
        var k = 1
        while k < order.count && candidate != PostingsIterator.noMoreDocs {
            let d = try postings[order[k]].advance(to: candidate)
            if d > candidate {
                candidate = try postings[lead].advance(to: d)
                k = 1
            } else {
                k += 1
            }
        }
        return candidate
    }

    // MARK: Two-phase use (PhraseUnion)

    /// Moves to the next document holding every term, without checking positions; `doc` is
    /// then that candidate, and `confirm()` decides.
    func nextCandidate() throws(SegmentError) -> Int32 {
        doc = try align(try postings[order[0]].next())
        return doc
    }

    /// `nextCandidate`, passing over the lead term's documents before `until` whose phrase
    /// score cannot beat `minScore` without advancing the other terms to them: the phrase
    /// occurs at most as often as the lead term when exact (and as its first term in any
    /// case), so the lead's frequency and the document's norm bound the score. Returns
    /// whether it passed over any.
    func nextCandidate(beating minScore: Float, before until: Int32) throws(SegmentError) -> Bool {
        let lead = order[0]
        guard hasBounds && (slop == 1 || lead == 0) else {
            _ = try nextCandidate()
            return false
        }
        var passed = false
        var c = try postings[lead].next()
        while c < until {
            let d = Int(c)
            let norm: UInt8 = d < norms.count ? norms[d] : 0
            if scorer.score(frequency: postings[lead].currentFreq(), norm: norm) > minScore { break }
            passed = true
            c = try postings[lead].next()
        }
        doc = try align(c)
        return passed
    }

    /// `nextCandidate` from `target` on.
    func advanceCandidate(to target: Int32) throws(SegmentError) -> Int32 {
        if doc >= target { return doc }
        doc = try align(try postings[order[0]].advance(to: target))
        return doc
    }

    /// Whether the candidate really holds the phrase (decodes positions); sets `freq`.
    func confirm() throws(SegmentError) -> Bool {
        if slop == 1 && termCount > 1 && offsets.count == termCount {
            freq = try exactMatches()
            return freq > 0
        }
        for i in 0..<termCount { try postings[i].positions(into: &positions[i]) }
        freq = countMatches()
        return freq > 0
    }

    /// Where term 0 would start an exact phrase (slop 1), as candidates from the rarest term's
    /// positions narrowed term by term, rarer terms first, and given up as soon as none is
    /// left: a document without the phrase often leaves the frequent terms' positions
    /// undecoded (tantivy's phrase intersection). The same count as `countMatches`.
    ///
    /// The candidates live in owned memory (`starts`, `startsCapacity`): an array property
    /// here was retained, released and checked for uniqueness on every append.
    private var starts: UnsafeMutablePointer<Int64> = .allocate(capacity: 64)
    private var startsCapacity = 64

    private func exactMatches() throws(SegmentError) -> Int {
        let first = order[0]
        try postings[first].positions(into: &positions[first])
        let shift = offsets[first]
        let n = positions[first].count
        if n > startsCapacity {
            starts.deallocate()
            startsCapacity = max(n, startsCapacity * 2)
            starts = .allocate(capacity: startsCapacity)
        }
        // A buffer pointer over what is allocated: debug builds check every index.
        let candidates = UnsafeMutableBufferPointer(start: starts, count: startsCapacity)
        positions[first].withUnsafeBufferPointer { list in
            for j in 0..<list.count { candidates[j] = Int64(list[j]) - shift }
        }
        var left = n
        var k = 1
        while k < order.count && left > 0 {
            let t = order[k]
            try postings[t].positions(into: &positions[t])
            let offset = offsets[t]
            left = positions[t].withUnsafeBufferPointer { list in
                var kept = 0
                var j = 0
                for c in 0..<left {
                    let want = candidates[c]
                    while j < list.count && Int64(list[j]) - offset < want { j += 1 }
                    if j == list.count { break }
                    if Int64(list[j]) - offset == want {
                        candidates[kept] = want
                        kept += 1
                    }
                }
                return kept
            }
            k += 1
        }
        return left
    }

    /// The most the candidate can score, from frequencies and its norm only: the phrase
    /// occurs at most as often as its first term (each match starts at a distinct position
    /// of it) and, exact, at most as often as any of its terms. Nil for weightings without
    /// bounds (not monotone).
    func candidateBound() -> Float? {
        guard hasBounds else { return nil }
        // In place (`currentFreq`): reading `postings[i].freq` would copy (retain and
        // release) the whole iterator.
        var most = postings[0].currentFreq()
        if slop == 1 { for i in 0..<termCount { most = min(most, postings[i].currentFreq()) } }
        let d = Int(doc)
        let norm: UInt8 = d >= 0 && d < norms.count ? norms[d] : 0
        return scorer.score(frequency: most, norm: norm)
    }

    /// The start positions of term 0 from which a chain of positions satisfies the gaps and slop.
    private func countMatches() -> Int {
        var count = 0
        deadEnds.removeAll(keepingCapacity: true)
        for start in positions[0] where chain(from: 1, previous: Int64(start)) { count += 1 }
        return count
    }

    /// `(term, position)` pairs from which no chain completes, in the current document: with
    /// slop above 1 the search branches, and without this a hostile phrase of repeated words
    /// over a long repetitive text would take exponential time; with it each pair is tried once.
    @exclusivity(unchecked) private var deadEnds: Set<Int64> = []

    private func chain(from i: Int, previous: Int64) -> Bool {
        if i == termCount { return true }
        let key = Int64(i) << 40 | previous
        if slop > 1 && deadEnds.contains(key) { return false }
        let low = previous + gaps[i]
        let high = low + slop - 1
        // Through a buffer pointer: a copy of the array would be retained and released per call.
        let found = positions[i].withUnsafeBufferPointer { list in
            // First position >= low.
            var lo = 0, hi = list.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if Int64(list[mid]) < low { lo = mid + 1 } else { hi = mid }
            }
            while lo < list.count, Int64(list[lo]) <= high {
                if chain(from: i + 1, previous: Int64(list[lo])) { return true }
                lo += 1
            }
            return false
        }
        if found { return true }
        if slop > 1 { deadEnds.insert(key) }
        return false
    }

    func score() -> Float {
        let d = Int(doc)
        let norm: UInt8 = d >= 0 && d < norms.count ? norms[d] : 0
        return scorer.score(frequency: Int32(clamping: freq), norm: norm)
    }
}
