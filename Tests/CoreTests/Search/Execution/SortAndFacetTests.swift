import Testing
@testable import Core

/// `sort=field` / `-field` by doc values (missing last, ties by score then doc) and `facets=`
/// counted over every match, against the model.
@Suite struct SortAndFacetTests {
    static func setup(_ seed: UInt64) throws -> (SearchModel, IndexWriter) {
        var rng = SplitMix64(seed: seed)
        var model = SearchModel()
        for i in 0..<200 { model.add(SearchTestIndex.randomDoc(&rng, id: "d\(i)")) }
        let deletes = ["d5", "d77", "d150"]
        let writer = try SearchTestIndex.build(model.docs, cuts: [60, 130], deletes: deletes)
        deletes.forEach { model.delete(id: $0) }
        return (model, writer)
    }

    @Test(arguments: [false, true]) func sortsByANumericColumn(descending: Bool) throws {
        let (model, writer) = try Self.setup(7)
        defer { writer.close() }
        let searcher = Searcher(snapshot: writer.snapshot(), config: TestIndex.config())
        let query = Query.term(field: "body", text: "alpha")
        let result = try searcher.search(SearchRequest(query: query, pageLen: 1000, fields: ["id"], sort: SearchSort(field: "year", descending: descending)))
        let scores = Dictionary(uniqueKeysWithValues: model.search(query).map { ($0.id, $0.score) })
        let years = Dictionary(uniqueKeysWithValues: model.docs.filter(\.live).map { ($0.id, $0.year) })
        let order = Dictionary(uniqueKeysWithValues: model.docs.filter(\.live).enumerated().map { ($1.id, $0) })
        let expected = scores.keys.sorted { a, b in
            switch (years[a]!, years[b]!) {
            case let (x?, y?) where x != y: return descending ? x > y : x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return scores[a]! != scores[b]! ? scores[a]! > scores[b]! : order[a]! < order[b]!
            }
        }
        #expect(result.hits.map(SearchTestIndex.id) == expected)
        #expect(result.total == expected.count)
        #expect(result.hits.first?.sortValue != nil)
    }

    /// Paging a sorted search with `search_after` (each page resumes after the last hit's
    /// value, score and doc) walks exactly the order of one big sorted search, missing values
    /// and ties in the sort value included.
    @Test(arguments: ["year", "-year", "tag", "-tag"]) func searchAfterPagesASortedSearch(sort: String) throws {
        let (_, writer) = try Self.setup(9)
        defer { writer.close() }
        let searcher = Searcher(snapshot: writer.snapshot(), config: TestIndex.config())
        let query = Query.boolean(BooleanQuery(should: [.term(field: "body", text: "alpha"), .term(field: "body", text: "beta")]))
        let whole = try searcher.search(SearchRequest(query: query, pageLen: 1000, sort: SearchSort(parameter: sort)))
        #expect(whole.hits.count > 30)
        var walked: [Int] = []
        var after: SearchHit?
        for _ in 0..<100 {
            let page = try searcher.search(SearchRequest(query: query, pageLen: 7, searchAfter: after?.cursor, sort: SearchSort(parameter: sort),
                                                         searchAfterSortValue: after?.sortValue))
            guard let last = page.hits.last else { break }
            walked += page.hits.map(\.doc)
            after = last
        }
        #expect(walked == whole.hits.map(\.doc))
        // A cursor without a sort value (from an unsorted search) is refused with sort, and one
        // with a sort value without it.
        let unsorted = try #require(try searcher.search(SearchRequest(query: query, pageLen: 1)).hits.first)
        #expect(throws: SearchError.self) {
            try searcher.search(SearchRequest(query: query, searchAfter: unsorted.cursor, sort: SearchSort(parameter: sort)))
        }
        #expect(throws: SearchError.self) {
            try searcher.search(SearchRequest(query: query, searchAfter: unsorted.cursor, searchAfterSortValue: .number(1)))
        }
    }

    @Test func sortsByKeywordAndRefusesTextFields() throws {
        let (_, writer) = try Self.setup(8)
        defer { writer.close() }
        let searcher = Searcher(snapshot: writer.snapshot(), config: TestIndex.config())
        let result = try searcher.search(SearchRequest(query: .matchAll, pageLen: 1000, sort: SearchSort(parameter: "-tag")))
        let values = result.hits.compactMap { hit -> String? in
            if case .bytes(let b)? = hit.sortValue { return String(decoding: b, as: UTF8.self) }
            return nil
        }
        #expect(values == values.sorted(by: >) && Set(values) == ["red", "green", "blue"])
        #expect(result.hits.suffix(result.hits.count - values.count).allSatisfy { $0.sortValue == .missing })
        #expect(throws: SearchError.self) { try searcher.search(SearchRequest(query: .matchAll, sort: SearchSort(field: "body"))) }
    }

    @Test func facetsCountEveryLiveMatch() throws {
        let (model, writer) = try Self.setup(9)
        defer { writer.close() }
        let searcher = Searcher(snapshot: writer.snapshot(), config: TestIndex.config())
        let query = Query.boolean(BooleanQuery(should: [.term(field: "body", text: "beta"), .term(field: "title", text: "gamma")]))
        let result = try searcher.search(SearchRequest(query: query, pageLen: 3, facets: ["tag"], facetSize: 2))
        let hits = Set(model.search(query).map(\.id))
        var expected: [String: Int] = [:]
        for d in model.docs where d.live && hits.contains(d.id) { if let t = d.tag { expected[t, default: 0] += 1 } }
        let top = expected.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(2)
        #expect(result.facets.count == 1 && result.facets[0].field == "tag")
        #expect(result.facets[0].values.map(\.value) == top.map(\.key))
        #expect(result.facets[0].values.map(\.count) == top.map(\.value))
        #expect(result.facets[0].distinctValues == expected.count)
        #expect(result.total == hits.count && result.hits.count == 3)
        #expect(throws: SearchError.self) { try searcher.search(SearchRequest(query: query, facets: ["body"])) }
    }
}
