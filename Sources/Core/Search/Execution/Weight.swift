/// A query compiled against one reader snapshot: terms resolved to bytes, every scorer built
/// from collection-wide statistics (all segments, deleted documents included until a merge
/// drops them), multi-term queries that score (fuzzy) expanded over the whole dictionary.
///
/// Everything that depends on more than one segment is decided here, once, so that each
/// segment's scorer (`Weight+Segment.swift`) computes the same score for the same document
/// whatever the segmentation: that is what makes scores of differently split indices
/// bit-identical.
indirect enum Weight: Sendable {
    /// Matches nothing (a term absent from every segment, `matchNone`, an impossible boolean).
    case none
    /// One term of a field, scored by its weighting; `infos[i]` is the term in segment `i` of
    /// the snapshot (looked up once, while gathering its statistics).
    case term(field: String, term: [UInt8], infos: [TermInfo?], scorer: any TermScorer)
    /// Terms at relative positions (see `PhraseDocScorer`), scored as one term whose
    /// frequency is the number of matches; `infos[k][i]` is term k in segment i.
    case phrase(field: String, infos: [[TermInfo?]], positions: [Int], slop: Int, scorer: any TermScorer)
    /// A set of documents, each with the same score.
    case constant(ConstantMatch, score: Float)
    case boolean(BooleanWeight)
}

/// The clauses of a compiled boolean; `minimumShouldMatch` is at least 1 when nothing else is
/// required (a pure OR needs one clause, as in Lucene, even if a JSON query says 0).
struct BooleanWeight: Sendable {
    var must: [Weight]
    var should: [Weight]
    var mustNot: [Weight]
    var filter: [Weight]
    var minimumShouldMatch: Int
}

/// The document sets of constant-score queries, found per segment.
enum ConstantMatch: Sendable {
    case allDocs
    /// Terms starting with `prefix` (the empty prefix: every term of the field).
    case prefix(field: String, prefix: [UInt8])
    /// Terms matching a glob; `literalPrefix` bounds the dictionary scan.
    case wildcard(field: String, pattern: [Unicode.Scalar], literalPrefix: [UInt8])
    /// Terms in a byte-order range.
    case termRange(field: String, lower: [UInt8]?, upper: [UInt8]?, includeLower: Bool, includeUpper: Bool)
    /// Documents whose numeric doc value satisfies the range.
    case numericRange(field: String, range: NumericRangeQuery, isFloat: Bool)
    /// Documents whose Int64 doc value (datetime micros, boolean 0/1) lies in `lower...upper`.
    case valueRange(field: String, lower: Int64, upper: Int64)
}

/// Builds `Weight`s for one search.
struct WeightBuilder {
    let snapshot: IndexSnapshot
    let config: IndexConfig
    let weightings: FieldWeightings

    /// - Parameters:
    ///   - boost: the product of the boosts above this node (folded into the leaves' scorers).
    ///   - scoring: false under filter and must-not clauses, whose scores nobody reads (no
    ///     statistics are gathered for them).
    func build(_ query: Query, boost: Double = 1, scoring: Bool = true) throws(SegmentError) -> Weight {
        switch query {
        case .matchNone:
            return .none
        case .matchAll:
            return .constant(.allDocs, score: Float(boost))
        case .boost(let inner, let factor):
            return try build(inner, boost: boost * factor, scoring: scoring)
        case .term(let field, let text):
            return try term(field, Array(text.utf8), boost: boost, scoring: scoring)
        case .phrase(let p):
            return try phrase(p, boost: boost, scoring: scoring)
        case .prefix(let field, let prefix):
            return .constant(.prefix(field: field, prefix: Array(prefix.utf8)), score: Float(boost))
        case .wildcard(let field, let pattern):
            return .constant(.wildcard(field: field, pattern: Array(pattern.unicodeScalars),
                                       literalPrefix: TermPatterns.literalPrefix(ofWildcard: pattern)), score: Float(boost))
        case .fuzzy(let f):
            return try fuzzy(f, boost: boost, scoring: scoring)
        case .termRange(let r):
            return .constant(.termRange(field: r.field, lower: r.lower.map { Array($0.utf8) }, upper: r.upper.map { Array($0.utf8) },
                                        includeLower: r.includeLower, includeUpper: r.includeUpper), score: Float(boost))
        case .numericRange(let r):
            let isFloat = config.field(r.field)?.numeric?.kind == .float
            return .constant(.numericRange(field: r.field, range: r, isFloat: isFloat), score: Float(boost))
        case .datetimeRange(let r):
            return .constant(.valueRange(field: r.field, lower: r.lower ?? .min, upper: r.upper ?? .max), score: Float(boost))
        case .boolean(let b):
            return try boolean(b, boost: boost, scoring: scoring)
        }
    }

    private func term(_ field: String, _ bytes: [UInt8], boost: Double, scoring: Bool) throws(SegmentError) -> Weight {
        guard let fieldConfig = config.field(field) else { return .none }
        switch fieldConfig.type {
        case .boolean:
            // Booleans live in doc values (0/1), not in the inverted index.
            let text = String(decoding: bytes, as: UTF8.self).lowercased()
            guard let value: Int64 = ["true": 1, "false": 0][text] else { return .none }
            return .constant(.valueRange(field: field, lower: value, upper: value), score: Float(boost) * Float(fieldConfig.fieldBoost))
        case .numeric, .datetime, .stored:
            return .none
        case .id, .idlist, .keyword, .text, .ngram, .ngramwords:
            break
        }
        let (infos, stats) = try lookup(field, bytes)
        guard stats.documentFrequency > 0 else { return .none }
        guard scoring else { return .term(field: field, term: bytes, infos: infos, scorer: ConstantScorer(0)) }
        let scorer = weightings.scorer(for: fieldConfig, collection: snapshot.collectionStatistics(field: field), term: stats,
                                       queryBoost: Float(boost))
        return .term(field: field, term: bytes, infos: infos, scorer: scorer)
    }

    /// The term in every segment, and its statistics summed over them (deleted documents
    /// included, as `IndexSnapshot.termStatistics` counts).
    private func lookup(_ field: String, _ term: [UInt8]) throws(SegmentError) -> ([TermInfo?], TermStatistics) {
        var stats = TermStatistics(documentFrequency: 0, totalTermFrequency: 0)
        var infos: [TermInfo?] = []
        infos.reserveCapacity(snapshot.segments.count)
        for segment in snapshot.segments {
            let info = try segment.reader.terms(field)?.lookup(term)
            if let info {
                stats.documentFrequency += Int64(info.docFreq)
                stats.totalTermFrequency += info.totalTermFreq
            }
            infos.append(info)
        }
        return (infos, stats)
    }

    private func phrase(_ p: PhraseQuery, boost: Double, scoring: Bool) throws(SegmentError) -> Weight {
        guard !p.terms.isEmpty, p.positions.count == p.terms.count else { return .none }
        if p.terms.count == 1 { return try term(p.field, Array(p.terms[0].utf8), boost: boost, scoring: scoring) }
        guard let fieldConfig = config.field(p.field), fieldConfig.type.isAnalyzed else { return .none }
        var stats: [TermStatistics] = []
        var infos: [[TermInfo?]] = []
        for t in p.terms {
            let (i, s) = try lookup(p.field, Array(t.utf8))
            guard s.documentFrequency > 0 else { return .none }
            stats.append(s)
            infos.append(i)
        }
        let scorer: any TermScorer = scoring
            ? weightings.phraseScorer(for: fieldConfig, collection: snapshot.collectionStatistics(field: p.field), terms: stats, queryBoost: Float(boost))
            : ConstantScorer(0)
        return .phrase(field: p.field, infos: infos, positions: p.positions, slop: p.slop, scorer: scorer)
    }

    /// The closest `maxExpansions` terms over every segment's dictionary (by edit distance, then
    /// byte order: the same choice whatever the segmentation), searched as an OR of terms.
    private func fuzzy(_ f: FuzzyQuery, boost: Double, scoring: Bool) throws(SegmentError) -> Weight {
        let target = Array(f.text.unicodeScalars)
        let maxEdits = min(max(f.maxEdits, 0), FuzzyQuery.maxAllowedEdits)
        let prefix = Array(String(String.UnicodeScalarView(target.prefix(max(f.prefixLength, 0)))).utf8)
        var found: [[UInt8]: Int] = [:]
        for segment in snapshot.segments {
            guard let dictionary = segment.reader.terms(f.field) else { continue }
            var iterator = dictionary.makeIterator()
            var more = prefix.isEmpty ? try iterator.next() : try iterator.seek(prefix)
            while more && iterator.termHasPrefix(prefix) {
                if found[iterator.term] == nil {
                    let scalars = Array(String(decoding: iterator.term, as: UTF8.self).unicodeScalars)
                    if let d = TermPatterns.editDistance(scalars, target, limit: maxEdits) { found[iterator.term] = d }
                }
                more = try iterator.next()
            }
        }
        let chosen = found.sorted { $0.value != $1.value ? $0.value < $1.value : compareBytes($0.key, $1.key) < 0 }
            .prefix(max(f.maxExpansions, 1))
        var should: [Weight] = []
        for (bytes, _) in chosen {
            let w = try term(f.field, bytes, boost: boost, scoring: scoring)
            if case .none = w { continue }
            should.append(w)
        }
        if should.isEmpty { return .none }
        return should.count == 1 ? should[0] : .boolean(BooleanWeight(must: [], should: should, mustNot: [], filter: [], minimumShouldMatch: 1))
    }

    private func boolean(_ b: BooleanQuery, boost: Double, scoring: Bool) throws(SegmentError) -> Weight {
        var must: [Weight] = []
        for q in b.must {
            let w = try build(q, boost: boost, scoring: scoring)
            if case .none = w { return .none }
            must.append(w)
        }
        var filter: [Weight] = []
        for q in b.filter {
            let w = try build(q, boost: 1, scoring: false)
            if case .none = w { return .none }
            filter.append(w)
        }
        let minimum = must.isEmpty && filter.isEmpty ? max(b.minimumShouldMatch, 1) : max(b.minimumShouldMatch, 0)
        var should: [Weight] = []
        for q in b.should {
            let w = try build(q, boost: boost, scoring: scoring)
            if case .none = w { continue }
            should.append(w)
        }
        if should.count < minimum { return .none }
        if must.isEmpty && filter.isEmpty && should.isEmpty { return .none }
        var mustNot: [Weight] = []
        for q in b.mustNot {
            let w = try build(q, boost: 1, scoring: false)
            if case .none = w { continue }
            mustNot.append(w)
        }
        return .boolean(BooleanWeight(must: must, should: should, mustNot: mustNot, filter: filter, minimumShouldMatch: minimum))
    }
}
