import Testing
@testable import Core

/// The block-max collectors (`BlockMaxUnion` with its WAND windows, `BlockMaxConjunction`,
/// `PhraseUnion`) on real text: the committed 20,000-document slice of the bench corpus in
/// three segments with deletions, queried in the bench's shapes (`title:a OR text:a`, two such
/// ORed or ANDed, a phrase over both fields) with terms of every frequency. The pruned top k
/// must equal the exhaustive one hit for hit and score for score.
@Suite struct CorpusSlicePruningTests {
    @Test func prunedTopKEqualsExhaustiveOnTheCorpusSlice() throws {
        let entries = try CorpusSliceTests.load()
        let io = SimulatedFileIO(seed: 5)
        let writer = try TestIndex.open(io)
        defer { writer.close() }
        var rng = SplitMix64(seed: 2026)
        for (i, e) in entries.enumerated() {
            try writer.add(TestIndex.document(id: e.id, title: e.title, body: e.text))
            if i == 7_000 || i == 14_000 { try writer.refresh() }
        }
        for _ in 0..<200 { try writer.delete(id: entries[Int(rng.next() % UInt64(entries.count))].id) }
        try writer.refresh()
        let snapshot = writer.snapshot()
        #expect(snapshot.segments.count == 3)
        let searcher = Searcher(snapshot: snapshot, config: TestIndex.config())
        var reference = searcher
        reference.referenceExecution = true

        // Terms by document frequency in the first segment: frequent ones span many blocks.
        var byFrequency: [(term: String, df: Int32)] = []
        if let terms = snapshot.segments[0].reader.terms("body") {
            var iterator = terms.makeIterator()
            while try iterator.next() { byFrequency.append((iterator.termString, iterator.info.docFreq)) }
        }
        let frequent = byFrequency.filter { $0.df >= 300 }.map(\.term)
        let medium = byFrequency.filter { $0.df >= 20 && $0.df < 300 }.map(\.term)
        let rare = byFrequency.filter { $0.df < 20 }.map(\.term)
        #expect(frequent.count > 20 && medium.count > 100 && rare.count > 100)
        func pick(_ list: [String]) -> String { list[Int(rng.next() % UInt64(list.count))] }
        func word() -> String {
            switch rng.next() % 3 {
            case 0: pick(frequent)
            case 1: pick(medium)
            default: pick(rare)
            }
        }
        func anyField(_ w: String) -> Query {
            .boolean(BooleanQuery(should: [.term(field: "title", text: w), .term(field: "body", text: w)]))
        }
        let analyzer = TestAnalyzer()

        var pruned = 0
        for q in 0..<160 {
            let query: Query
            switch q % 4 {
            case 0:
                query = anyField(rng.next() % 2 == 0 ? pick(frequent) : word())
            case 1:
                let (a, b) = (word(), pick(frequent))
                query = .boolean(BooleanQuery(should: [.term(field: "title", text: a), .term(field: "body", text: a),
                                                       .term(field: "title", text: b), .term(field: "body", text: b)]))
            case 2:
                query = .boolean(BooleanQuery(must: [anyField(pick(frequent)), anyField(word())]))
            default:
                // Adjacent words of some document, so the phrase has hits.
                let tokens = analyzer.analyzedTokens(entries[Int(rng.next() % UInt64(entries.count))].text).map(\.token)
                guard tokens.count >= 3 else { continue }
                let at = Int(rng.next() % UInt64(tokens.count - 2))
                let words = Array(tokens[at..<(at + 2 + Int(rng.next() % 2))])
                query = .boolean(BooleanQuery(should: [.phrase(PhraseQuery(field: "title", terms: words)),
                                                       .phrase(PhraseQuery(field: "body", terms: words))]))
            }
            let k = [1, 10, 50][q % 3]
            let exact = try reference.search(SearchRequest(query: query, pageLen: k, trackTotal: nil, loadFields: false))
            // Every hit counted: the same collectors, never pruning, give the reference exactly.
            let everyHit = try searcher.search(SearchRequest(query: query, pageLen: k, trackTotal: nil, loadFields: false))
            #expect(everyHit.hits.map(\.doc) == exact.hits.map(\.doc) && everyHit.hits.map(\.score) == exact.hits.map(\.score), "query \(q): \(query)")
            #expect(everyHit.total == exact.total && everyHit.totalRelation == .equal, "query \(q): \(query)")
            #expect(try searcher.count(query) == exact.total, "query \(q): \(query)")
            let fast = try searcher.search(SearchRequest(query: query, pageLen: k, trackTotal: k, loadFields: false))
            #expect(fast.hits.map(\.doc) == exact.hits.map(\.doc), "query \(q): \(query)")
            #expect(fast.hits.map(\.score) == exact.hits.map(\.score), "query \(q): \(query)")
            #expect(fast.total <= exact.total, "query \(q): \(query)")
            if fast.totalRelation == .greaterOrEqual {
                pruned += 1
            } else {
                #expect(fast.total == exact.total, "query \(q): \(query)")
            }
        }
        #expect(pruned > 40, "few queries pruned: the test does not exercise the block-max paths")
    }
}
