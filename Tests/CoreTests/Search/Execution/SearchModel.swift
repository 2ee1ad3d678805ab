@testable import Core

/// A brute-force search engine over documents in memory: what every query must return, with
/// the scores computed from the same weighting formulas over statistics counted directly
/// (every document ever added and not yet merged away, deleted or not).
struct SearchModel {
    struct Doc {
        var id: String
        var title: [String]
        var body: [String]
        var tag: String?
        var year: Int64?
        var live = true

        func tokens(_ field: String) -> [String] {
            switch field {
            case "title": title
            case "body": body
            case "tag": tag.map { [$0] } ?? []
            case "id": [id]
            default: []
            }
        }

        var document: Document {
            TestIndex.document(id: id, title: title.joined(separator: " "), body: body.joined(separator: " "), tag: tag, year: year)
        }
    }

    /// Physical documents in global doc order (no merges between changes).
    var docs: [Doc] = []
    let config = TestIndex.config()
    let weightings = FieldWeightings()

    mutating func add(_ doc: Doc) { docs.append(doc) }

    /// Marks the live document with `id` deleted (as an update or delete does).
    mutating func delete(id: String) {
        for i in docs.indices where docs[i].id == id && docs[i].live { docs[i].live = false }
    }

    /// Drops deleted documents from the statistics, as a force merge does.
    mutating func merge() { docs.removeAll { !$0.live } }

    func collection(_ field: String) -> CollectionStatistics {
        CollectionStatistics(documentCount: Int64(docs.count), totalFieldLength: Int64(docs.reduce(0) { $0 + $1.tokens(field).count }))
    }

    func termStats(_ field: String, _ term: String) -> TermStatistics {
        var s = TermStatistics(documentFrequency: 0, totalTermFrequency: 0)
        for d in docs {
            let n = d.tokens(field).filter { $0 == term }.count
            if n > 0 {
                s.documentFrequency += 1
                s.totalTermFrequency += Int64(n)
            }
        }
        return s
    }

    func dictionary(_ field: String) -> Set<String> {
        Set(docs.flatMap { $0.tokens(field) })
    }

    /// The live hits of `query`, best first (score desc, then doc order), with their scores.
    func search(_ query: Query) -> [(id: String, score: Float)] {
        var hits: [(index: Int, id: String, score: Float)] = []
        for (i, d) in docs.enumerated() where d.live {
            if let s = score(query, d) { hits.append((i, d.id, s)) }
        }
        hits.sort { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        return hits.map { ($0.id, $0.score) }
    }

    /// The score of `doc` for `query`, nil when it does not match.
    func score(_ query: Query, _ doc: Doc, boost: Double = 1) -> Float? {
        switch query {
        case .matchNone:
            return nil
        case .matchAll:
            return Float(boost)
        case .boost(let q, let f):
            return score(q, doc, boost: boost * f)
        case .term(let field, let text):
            let tokens = doc.tokens(field)
            let tf = tokens.filter { $0 == text }.count
            guard tf > 0, let f = config.field(field) else { return nil }
            let scorer = weightings.scorer(for: f, collection: collection(field), term: termStats(field, text), queryBoost: Float(boost))
            return scorer.score(termFrequency: UInt32(tf), fieldNorm: FieldNorm.id(for: UInt32(tokens.count)))
        case .phrase(let p):
            if p.terms.count == 1 { return score(.term(field: p.field, text: p.terms[0]), doc, boost: boost) }
            let tokens = doc.tokens(p.field)
            let freq = Self.phraseFrequency(tokens, p)
            guard freq > 0, let f = config.field(p.field) else { return nil }
            let scorer = weightings.phraseScorer(for: f, collection: collection(p.field), terms: p.terms.map { termStats(p.field, $0) },
                                                 queryBoost: Float(boost))
            return scorer.score(termFrequency: UInt32(freq), fieldNorm: FieldNorm.id(for: UInt32(tokens.count)))
        case .prefix(let field, let prefix):
            return doc.tokens(field).contains { $0.hasPrefix(prefix) } ? Float(boost) : nil
        case .wildcard(let field, let pattern):
            let p = Array(pattern.unicodeScalars)
            return doc.tokens(field).contains { TermPatterns.wildcardMatches(p, Array($0.unicodeScalars)) } ? Float(boost) : nil
        case .termRange(let r):
            let hit = doc.tokens(r.field).contains { t in
                let b = Array(t.utf8)
                if let l = r.lower {
                    let c = compareBytes(b, Array(l.utf8))
                    if c < 0 || (c == 0 && !r.includeLower) { return false }
                }
                if let u = r.upper {
                    let c = compareBytes(b, Array(u.utf8))
                    if c > 0 || (c == 0 && !r.includeUpper) { return false }
                }
                return true
            }
            return hit ? Float(boost) : nil
        case .numericRange(let r):
            guard r.field == "year", let y = doc.year else { return nil }
            if case .int(let l)? = r.lower, y < l || (y == l && !r.includeLower) { return nil }
            if case .int(let u)? = r.upper, y > u || (y == u && !r.includeUpper) { return nil }
            return Float(boost)
        case .datetimeRange:
            return nil
        case .fuzzy(let f):
            let target = Array(f.text.unicodeScalars)
            let prefix = String(String.UnicodeScalarView(target.prefix(f.prefixLength)))
            let candidates = dictionary(f.field).compactMap { t -> (String, Int)? in
                guard t.hasPrefix(prefix), let d = TermPatterns.editDistance(Array(t.unicodeScalars), target, limit: f.maxEdits) else { return nil }
                return (t, d)
            }
            let chosen = candidates.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : compareBytes(Array($0.0.utf8), Array($1.0.utf8)) < 0 }
                .prefix(f.maxExpansions).map(\.0)
            if chosen.count == 1 { return score(.term(field: f.field, text: chosen[0]), doc, boost: boost) }
            return score(.boolean(BooleanQuery(should: chosen.map { .term(field: f.field, text: $0) })), doc, boost: boost)
        case .boolean(let b):
            var mustSum: Float = 0
            for q in b.must {
                guard let s = score(q, doc, boost: boost) else { return nil }
                mustSum += s
            }
            for q in b.filter where score(q, doc) == nil { return nil }
            for q in b.mustNot where score(q, doc) != nil { return nil }
            let minimum = b.must.isEmpty && b.filter.isEmpty ? max(b.minimumShouldMatch, 1) : b.minimumShouldMatch
            if b.must.isEmpty && b.filter.isEmpty && b.should.isEmpty { return nil }
            var shouldSum: Float = 0
            var matched = 0
            for q in b.should {
                if let s = score(q, doc, boost: boost) {
                    shouldSum += s
                    matched += 1
                }
            }
            return matched >= minimum ? mustSum + shouldSum : nil
        }
    }

    /// Whoosh slop: each term 1 to `slop` positions after the previous one's match, plus the
    /// query's gap. Counts the start positions of the first term that begin a match.
    static func phraseFrequency(_ tokens: [String], _ p: PhraseQuery) -> Int {
        func chain(_ i: Int, _ previous: Int) -> Bool {
            if i == p.terms.count { return true }
            let gap = p.positions[i] - p.positions[i - 1]
            for pos in (previous + gap)...(previous + gap + max(p.slop, 1) - 1) where pos < tokens.count && tokens[pos] == p.terms[i] {
                if chain(i + 1, pos) { return true }
            }
            return false
        }
        return tokens.indices.filter { tokens[$0] == p.terms[0] && chain(1, $0) }.count
    }
}
