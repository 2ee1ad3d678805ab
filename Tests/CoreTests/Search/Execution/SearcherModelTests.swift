import Testing
@testable import Core

/// The executor against the brute-force model: random documents in several segments, with
/// updates and deletes, and random query trees of every kind; every hit, score and rank.
@Suite struct SearcherModelTests {
    @Test(arguments: 0..<12) func randomQueriesMatchTheModel(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 17)
        let writer = try TestIndex.open(SimulatedFileIO(seed: UInt64(seed)))
        defer { writer.close() }
        var model = SearchModel()
        var next = 0
        for _ in 0..<(60 + Int(rng.next() % 80)) {
            switch rng.next() % 20 {
            case 0..<14:
                let doc = SearchTestIndex.randomDoc(&rng, id: "d\(next)")
                next += 1
                try writer.add(doc.document)
                model.add(doc)
            case 14..<16:
                guard next > 0 else { continue }
                let id = "d\(Int(rng.next() % UInt64(next)))"
                let doc = SearchTestIndex.randomDoc(&rng, id: id)
                try writer.update(doc.document)
                model.delete(id: id)
                model.add(doc)
            case 16..<18:
                guard next > 0 else { continue }
                let id = "d\(Int(rng.next() % UInt64(next)))"
                try writer.delete(id: id)
                model.delete(id: id)
            default:
                try writer.refresh()
            }
        }
        try writer.refresh()
        let searcher = Searcher(snapshot: writer.snapshot(), config: TestIndex.config())
        #expect(searcher.snapshot.segments.count > 1 || seed % 5 == 4, "seed \(seed): want several segments")
        var withHits = 0
        for q in 0..<60 {
            let query = SearchTestIndex.randomQuery(&rng, depth: 2)
            let expected = model.search(query)
            let (got, total) = try SearchTestIndex.allHits(searcher, query)
            let context = "seed \(seed) query \(q): \(query)"
            #expect(total == expected.count, "\(context): total")
            if total > 0 { withHits += 1 }
            #expect(got.map(\.id) == expected.map(\.id), "\(context): ranking")
            #expect(got.map(\.score) == expected.map(\.score), "\(context): scores")
            if got.map(\.id) != expected.map(\.id) || got.map(\.score) != expected.map(\.score) { break }
        }
        #expect(withHits >= 20, "seed \(seed): only \(withHits) of 60 random queries matched anything")
    }

    @Test func deletedDocumentsNeverMatchButStayInTheStatistics() throws {
        var model = SearchModel()
        model.add(.init(id: "a", title: ["alpha"], body: ["alpha", "beta"]))
        model.add(.init(id: "b", title: ["beta"], body: ["alpha"]))
        model.add(.init(id: "c", title: ["gamma"], body: ["gamma"]))
        let writer = try SearchTestIndex.build(model.docs, cuts: [0], deletes: ["b"])
        defer { writer.close() }
        model.delete(id: "b")
        let searcher = Searcher(snapshot: writer.snapshot(), config: TestIndex.config())
        let query = Query.term(field: "body", text: "alpha")
        let (hits, total) = try SearchTestIndex.allHits(searcher, query)
        #expect(total == 1)
        #expect(hits.map(\.id) == ["a"])
        // N = 3 and df = 2 include the deleted document.
        #expect(hits.map(\.score) == model.search(query).map(\.score))
        #expect(try searcher.count(.matchAll) == 2)
        #expect(try searcher.count(.boolean(BooleanQuery(must: [.matchAll], mustNot: [.term(field: "body", text: "gamma")]))) == 1)
    }
}

/// `explain` recomputes each hit's score exactly and refuses non-matching documents.
@Suite struct ExplanationTests {
    @Test(arguments: 0..<3) func explanationsAddUpToTheScore(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) + 31)
        let docs = (0..<150).map { SearchTestIndex.randomDoc(&rng, id: "d\($0)") }
        let writer = try SearchTestIndex.build(docs, cuts: [40, 99], deletes: ["d1", "d50"])
        defer { writer.close() }
        let searcher = Searcher(snapshot: writer.snapshot(), config: TestIndex.config())
        for q in 0..<40 {
            let query = SearchTestIndex.randomQuery(&rng, depth: 2)
            let result = try searcher.search(SearchRequest(query: query, pageLen: 5, trackTotal: nil, loadFields: false))
            for hit in result.hits {
                let e = try searcher.explain(query, doc: hit.doc)
                #expect(e?.value == hit.score, "seed \(seed) query \(q): \(query)")
            }
            if result.total < searcher.snapshot.numDocs {
                let matched = Set(try searcher.search(SearchRequest(query: query, pageLen: 1000, trackTotal: nil, loadFields: false)).hits.map(\.doc))
                if let other = (0..<searcher.snapshot.maxDoc).first(where: { !matched.contains($0) && searcher.snapshot.locate($0).map { $0.segment.liveDocs.isLive($0.doc) } == true }) {
                    #expect(try searcher.explain(query, doc: other) == nil, "seed \(seed) query \(q): \(query)")
                }
            }
        }
    }
}
