import Testing
@testable import Core

/// Paging, the 10,000 window, `filter`, stored-field selection, `search_after`, and the
/// collector's tie-breaking.
@Suite struct SearcherPagingTests {
    /// 25 documents in 3 segments; `body` holds "alpha" k times in document k % 5 + 1 words.
    static func searcher() throws -> (Searcher, IndexWriter) {
        let docs = (0..<25).map { i in
            SearchModel.Doc(id: "d\(i)", title: [i % 2 == 0 ? "even" : "odd"], body: Array(repeating: "alpha", count: i % 5 + 1) + ["beta"],
                            tag: i % 3 == 0 ? "red" : "blue", year: 2000 + Int64(i))
        }
        let writer = try SearchTestIndex.build(docs, cuts: [7, 15], deletes: ["d24"])
        return (Searcher(snapshot: writer.snapshot(), config: TestIndex.config()), writer)
    }

    static let alpha = Query.term(field: "body", text: "alpha")

    @Test func pagesSliceTheRankingWithRanksOverTheWholeResult() throws {
        let (searcher, writer) = try Self.searcher()
        defer { writer.close() }
        let all = try searcher.search(SearchRequest(query: Self.alpha, pageLen: 100))
        #expect(all.total == 24 && all.hits.count == 24 && all.totalRelation == .equal)
        #expect(all.pageCount == 1 && all.isLastPage)
        var paged: [SearchHit] = []
        for page in 1...5 {
            let r = try searcher.search(SearchRequest(query: Self.alpha, pageNum: page, pageLen: 7))
            #expect(r.total == 24 && r.pageCount == 4)
            #expect(r.isLastPage == (page >= 4))
            #expect(r.hits.map(\.rank) == Array(min((page - 1) * 7, 24)..<min(page * 7, 24)))
            paged += r.hits
        }
        #expect(paged.map(\.doc) == all.hits.map(\.doc))
        #expect(paged.map(\.score) == all.hits.map(\.score))
        // Descending score; equal scores in ascending global doc order.
        for (a, b) in zip(all.hits, all.hits.dropFirst()) {
            #expect(a.score > b.score || (a.score == b.score && a.doc < b.doc))
        }
    }

    @Test func theWindowIsLimitedAndPagesPastTheEndAreEmpty() throws {
        let (searcher, writer) = try Self.searcher()
        defer { writer.close() }
        #expect(throws: SearchError.self) { try searcher.search(SearchRequest(query: Self.alpha, pageNum: 1001, pageLen: 10)) }
        #expect(throws: SearchError.self) { try searcher.search(SearchRequest(query: Self.alpha, pageNum: 0)) }
        let edge = try searcher.search(SearchRequest(query: Self.alpha, pageNum: 1000, pageLen: 10))
        #expect(edge.hits.isEmpty && edge.total == 24 && edge.pageCount == 3 && edge.isLastPage)
    }

    @Test func filterRestrictsWithoutScoring() throws {
        let (searcher, writer) = try Self.searcher()
        defer { writer.close() }
        let plain = try searcher.search(SearchRequest(query: Self.alpha, pageLen: 100, fields: ["id"]))
        let filtered = try searcher.search(SearchRequest(query: Self.alpha, filter: .term(field: "tag", text: "red"), pageLen: 100, fields: ["id"]))
        #expect(filtered.total == 8)
        let scores = Dictionary(uniqueKeysWithValues: plain.hits.map { (SearchTestIndex.id($0), $0.score) })
        for hit in filtered.hits {
            #expect(scores[SearchTestIndex.id(hit)] == hit.score)
            #expect(Int(SearchTestIndex.id(hit).dropFirst()).map { $0 % 3 == 0 } == true)
        }
        let ranged = try searcher.search(SearchRequest(query: .matchAll, filter: .numericRange(NumericRangeQuery(field: "year", lower: .int(2010), upper: .int(2012))), pageLen: 100))
        #expect(ranged.total == 3 && ranged.hits.allSatisfy { $0.score == 1 })
    }

    @Test func fieldsSelectTheStoredFields() throws {
        let (searcher, writer) = try Self.searcher()
        defer { writer.close() }
        let all = try searcher.search(SearchRequest(query: Self.alpha, pageLen: 1))
        #expect(Set(all.hits[0].fields.map(\.name)) == ["id", "title"])
        let some = try searcher.search(SearchRequest(query: Self.alpha, pageLen: 1, fields: ["title"]))
        #expect(some.hits[0].fields.map(\.name) == ["title"])
        let none = try searcher.search(SearchRequest(query: Self.alpha, pageLen: 1, fields: ["nope"]))
        #expect(none.hits[0].fields.isEmpty)
    }

    @Test func searchAfterContinuesPastTheWindow() throws {
        let (searcher, writer) = try Self.searcher()
        defer { writer.close() }
        let all = try searcher.search(SearchRequest(query: Self.alpha, pageLen: 100)).hits
        var cursor: ScoredDoc?
        var seen: [Int] = []
        while true {
            let page = try searcher.search(SearchRequest(query: Self.alpha, pageLen: 5, searchAfter: cursor))
            #expect(page.total == 24)
            guard let last = page.hits.last else { break }
            seen += page.hits.map(\.doc)
            cursor = last.cursor
        }
        #expect(seen == all.map(\.doc))
    }

    @Test func repetitiveSloppyPhrasesStayCheap() throws {
        // 400 equal words and a 12-word sloppy phrase of them that cannot complete (it needs a
        // "beta" at the end): without memoizing dead ends the search is exponential.
        let words = Array(repeating: "alpha", count: 400)
        let writer = try SearchTestIndex.build([SearchModel.Doc(id: "a", title: words, body: words)], cuts: [])
        defer { writer.close() }
        let searcher = Searcher(snapshot: writer.snapshot(), config: TestIndex.config())
        let miss = PhraseQuery(field: "body", terms: Array(repeating: "alpha", count: 12) + ["beta"], slop: 6)
        #expect(try searcher.count(.phrase(miss)) == 0)
        let hit = PhraseQuery(field: "body", terms: Array(repeating: "alpha", count: 12), slop: 6)
        let result = try searcher.search(SearchRequest(query: .phrase(hit), highlight: HighlightOptions(field: "title", fragmentSize: 30)))
        #expect(result.total == 1)
        var titleMiss = miss
        titleMiss.field = "title"
        let h = try #require(Highlighter(query: .phrase(titleMiss), options: HighlightOptions(field: "title"), config: TestIndex.config()))
        #expect(h.fragments(words.joined(separator: " ")).isEmpty)
    }

    @Test func collectorKeepsTheBestAndBreaksTiesByDoc() {
        var c = TopDocsCollector(capacity: 3)
        for (doc, score) in [(0, 1), (1, 3), (2, 3), (3, 2), (4, 3), (5, 0.5)] as [(Int, Float)] { c.offer(score: score, doc: doc) }
        #expect(c.total == 6)
        #expect(c.sorted().map(\.doc) == [1, 2, 4])
    }

    @Test func patternsMatchCharactersNotBytes() {
        func w(_ p: String, _ t: String) -> Bool { TermPatterns.wildcardMatches(Array(p.unicodeScalars), Array(t.unicodeScalars)) }
        #expect(w("te?t", "test") && w("te?t", "teät") && !w("te?t", "tet"))
        #expect(w("t*t", "tt") && w("t*t", "toast") && !w("t*t", "toast!"))
        #expect(w("*", "") && w("**a", "banana") && !w("a*b", "ab c"))
        func d(_ a: String, _ b: String, _ k: Int) -> Int? { TermPatterns.editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: k) }
        #expect(d("kitten", "sitting", 3) == 3 && d("kitten", "sitting", 2) == nil)
        #expect(d("abcd", "acbd", 1) == 1)
        #expect(d("é", "e", 1) == 1 && d("", "ab", 2) == 2 && d("same", "same", 0) == 0)
    }
}
