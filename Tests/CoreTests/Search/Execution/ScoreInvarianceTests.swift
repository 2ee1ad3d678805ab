import Testing
@testable import Core

/// Scores use collection-wide statistics: the same documents split into segments differently
/// score bit-identically, and an index with deletes, force-merged, scores exactly as an index
/// built from its live documents alone.
@Suite struct ScoreInvarianceTests {
    static func docs(_ rng: inout SplitMix64, count: Int) -> [SearchModel.Doc] {
        (0..<count).map { SearchTestIndex.randomDoc(&rng, id: "d\($0)") }
    }

    static func scores(_ searcher: Searcher, _ query: Query) throws -> [String: Float] {
        var map: [String: Float] = [:]
        for hit in try SearchTestIndex.allHits(searcher, query).ranked { map[hit.id] = hit.score }
        return map
    }

    @Test(arguments: 0..<4) func segmentationDoesNotChangeScores(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) + 101)
        let docs = Self.docs(&rng, count: 150)
        let deletes = seed % 2 == 0 ? [] : ["d3", "d40", "d41", "d99"]
        let layouts: [Set<Int>] = [[], Set(stride(from: 2, to: 150, by: 3)), Set(stride(from: 16, to: 150, by: 17)), [0, 1, 100]]
        var writers: [IndexWriter] = []
        defer { writers.forEach { $0.close() } }
        for (i, cuts) in layouts.enumerated() {
            writers.append(try SearchTestIndex.build(docs, cuts: cuts, deletes: deletes, seed: UInt64(i)))
        }
        let searchers = writers.map { Searcher(snapshot: $0.snapshot(), config: TestIndex.config()) }
        #expect(searchers.map(\.snapshot.segments.count) == [1, 50, 9, 4])
        for q in 0..<40 {
            let query = SearchTestIndex.randomQuery(&rng, depth: 2)
            let reference = try Self.scores(searchers[0], query)
            for s in searchers.dropFirst() {
                let other = try Self.scores(s, query)
                #expect(other.keys.sorted() == reference.keys.sorted(), "seed \(seed) query \(q): \(query)")
                // Bit-identical, not merely close.
                #expect(other.keys.allSatisfy { other[$0]?.bitPattern == reference[$0]?.bitPattern }, "seed \(seed) query \(q): \(query)")
            }
        }
    }

    @Test(arguments: 0..<3) func forceMergedDeletesScoreAsTheLiveDocumentsAlone(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) + 977)
        let docs = Self.docs(&rng, count: 120)
        let deletes = docs.map(\.id).filter { _ in rng.next() % 4 == 0 }
        let merged = try SearchTestIndex.build(docs, cuts: [30, 60, 90], deletes: deletes, seed: 1)
        defer { merged.close() }
        // Before the merge the deleted documents still count in N, df and the average length.
        var model = SearchModel()
        docs.forEach { model.add($0) }
        deletes.forEach { model.delete(id: $0) }
        let before = Searcher(snapshot: merged.snapshot(), config: TestIndex.config())
        let probe = Query.boolean(BooleanQuery(should: [.term(field: "body", text: "alpha"), .term(field: "title", text: "beta")]))
        #expect(try SearchTestIndex.allHits(before, probe).ranked.map(\.score) == model.search(probe).map(\.score))

        try merged.forceMerge(maxSegments: 1)
        let live = docs.filter { !deletes.contains($0.id) }
        let fresh = try SearchTestIndex.build(live, cuts: [], seed: 2)
        defer { fresh.close() }
        let a = Searcher(snapshot: merged.snapshot(), config: TestIndex.config())
        let b = Searcher(snapshot: fresh.snapshot(), config: TestIndex.config())
        #expect(a.snapshot.segments.count == 1 && a.snapshot.maxDoc == live.count)
        for q in 0..<40 {
            let query = SearchTestIndex.randomQuery(&rng, depth: 2)
            let x = try Self.scores(a, query), y = try Self.scores(b, query)
            #expect(x.keys.sorted() == y.keys.sorted(), "seed \(seed) query \(q): \(query)")
            #expect(x.keys.allSatisfy { x[$0]?.bitPattern == y[$0]?.bitPattern }, "seed \(seed) query \(q): \(query)")
        }
    }
}
