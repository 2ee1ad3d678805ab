@testable import Core

/// Random documents and queries for the executor tests, and helpers to index a model's
/// documents and read hits back by id.
enum SearchTestIndex {
    static let vocabulary = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu"]
    static let tags = ["red", "green", "blue"]

    static func randomWords(_ rng: inout SplitMix64, _ range: ClosedRange<Int>) -> [String] {
        let n = range.lowerBound + Int(rng.next() % UInt64(range.count))
        // Skewed towards the first words, so frequencies differ and phrases recur.
        return (0..<n).map { _ in vocabulary[Int(min(rng.next() % 12, rng.next() % 14) % 12)] }
    }

    static func randomDoc(_ rng: inout SplitMix64, id: String) -> SearchModel.Doc {
        SearchModel.Doc(id: id, title: randomWords(&rng, 1...4), body: randomWords(&rng, 1...16),
                        tag: rng.next() % 5 == 0 ? nil : tags[Int(rng.next() % 3)],
                        year: rng.next() % 6 == 0 ? nil : 2000 + Int64(rng.next() % 11))
    }

    static func word(_ rng: inout SplitMix64) -> String { vocabulary[Int(rng.next() % UInt64(vocabulary.count))] }

    /// A random query tree of up to `depth` boolean levels over every leaf kind.
    static func randomQuery(_ rng: inout SplitMix64, depth: Int) -> Query {
        if depth > 0 && rng.next() % 3 == 0 {
            func clauses(_ max: UInt64) -> [Query] { (0..<Int(rng.next() % max)).map { _ in randomQuery(&rng, depth: depth - 1) } }
            let must = clauses(3), should = clauses(4), mustNot = clauses(2), filter = rng.next() % 4 == 0 ? clauses(2) : []
            let msm: Int? = should.isEmpty || rng.next() % 3 != 0 ? nil : Int(rng.next() % 3)
            return .boolean(BooleanQuery(must: must, should: should, mustNot: mustNot, filter: filter, minimumShouldMatch: msm))
        }
        let field = rng.next() % 3 == 0 ? "title" : "body"
        switch rng.next() % 12 {
        case 0, 1, 2:
            return .term(field: field, text: word(&rng))
        case 3:
            return .term(field: "tag", text: tags[Int(rng.next() % 3)])
        case 4:
            let n = 2 + Int(rng.next() % 2)
            let terms = (0..<n).map { _ in word(&rng) }
            let positions = rng.next() % 4 == 0 ? [0] + (1..<n).map { $0 + 1 } : Array(0..<n)
            return .phrase(PhraseQuery(field: field, terms: terms, positions: positions, slop: 1 + Int(rng.next() % 3)))
        case 5:
            let w = word(&rng)
            return .prefix(field: field, prefix: String(w.prefix(1 + Int(rng.next() % 2))))
        case 6:
            var w = Array(word(&rng))
            w[Int(rng.next() % UInt64(w.count))] = rng.next() % 2 == 0 ? "?" : "*"
            return .wildcard(field: field, pattern: String(w))
        case 7:
            var w = Array(word(&rng))
            let i = Int(rng.next() % UInt64(w.count))
            if rng.next() % 2 == 0 { w[i] = "x" } else { w.remove(at: i) }
            return .fuzzy(FuzzyQuery(field: field, text: String(w), maxEdits: 1 + Int(rng.next() % 2), prefixLength: Int(rng.next() % 2),
                                     maxExpansions: 1 + Int(rng.next() % 4)))
        case 8:
            let a = word(&rng), b = word(&rng)
            return .termRange(TermRangeQuery(field: field, lower: rng.next() % 4 == 0 ? nil : min(a, b), upper: max(a, b),
                                             includeLower: rng.next() % 2 == 0, includeUpper: rng.next() % 2 == 0))
        case 9:
            let a = 2000 + Int64(rng.next() % 11), b = 2000 + Int64(rng.next() % 11)
            return .numericRange(NumericRangeQuery(field: "year", lower: .int(min(a, b)), upper: rng.next() % 4 == 0 ? nil : .int(max(a, b)),
                                                   includeLower: rng.next() % 2 == 0, includeUpper: true))
        case 10:
            return rng.next() % 2 == 0 ? .matchAll : .boost(.term(field: field, text: word(&rng)), factor: 2.5)
        default:
            return .boost(.term(field: "title", text: word(&rng)), factor: 0.5)
        }
    }

    /// The id of a hit, from its stored `id` field (JSON string).
    static func id(_ hit: SearchHit) -> String {
        guard let f = hit.fields.first(where: { $0.name == "id" }) else { return "?" }
        return String(decoding: f.value.dropFirst().dropLast(), as: UTF8.self)
    }

    /// Every hit of `query` (id -> score) and the ranked ids.
    static func allHits(_ searcher: Searcher, _ query: Query) throws -> (ranked: [(id: String, score: Float)], total: Int) {
        let result = try searcher.search(SearchRequest(query: query, pageLen: SearchRequest.maxWindow, fields: ["id"]))
        return (result.hits.map { (id($0), $0.score) }, result.total)
    }

    /// Indexes `docs` in order, refreshing after the documents at `cuts`, then applies `deletes`.
    static func build(_ docs: [SearchModel.Doc], cuts: Set<Int>, deletes: [String] = [], seed: UInt64 = 1) throws -> IndexWriter {
        let writer = try TestIndex.open(SimulatedFileIO(seed: seed))
        for (i, d) in docs.enumerated() {
            try writer.add(d.document)
            if cuts.contains(i) { try writer.refresh() }
        }
        for id in deletes { try writer.delete(id: id) }
        try writer.refresh()
        return writer
    }
}
