@testable import Core
import Foundation
import Testing

/// Our BM25 against the scores tantivy 0.27 gave for the same documents and queries
/// (`Fixtures/tantivy_bm25.json`, made by `Fixtures/tantivy_bm25.py`). Statistics are taken
/// as tantivy takes them: N and df count the deleted document, the average field length is
/// total tokens / N, a document's length is its one-byte fieldnorm; a phrase scores with the
/// sum of its terms' idfs and its frequency as tf; an OR sums its clauses.
@Suite struct BM25ReferenceTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var kind: String
            var terms: [String]
            var boost: Float
            var hits: [[Double]]
        }
        var docs: [[String]]
        var deleted: [Int]
        var queries: [Case]
    }

    @Test func matchesTantivy() throws {
        let url = Paths.repository.appendingPathComponent("Tests/CoreTests/Search/Fixtures/tantivy_bm25.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        let docs = fixture.docs
        let collection = CollectionStatistics(documentCount: Int64(docs.count), totalFieldLength: Int64(docs.reduce(0) { $0 + $1.count }))
        func stats(_ term: String) -> TermStatistics {
            TermStatistics(documentFrequency: Int64(docs.filter { $0.contains(term) }.count),
                           totalTermFrequency: Int64(docs.reduce(0) { $0 + $1.filter { $0 == term }.count }))
        }
        let weighting = BM25FWeighting()
        var compared = 0
        var worst: Float = 0
        for q in fixture.queries {
            var ours: [Int: Float] = [:]
            for (doc, tokens) in docs.enumerated() where !fixture.deleted.contains(doc) {
                let norm = FieldNorm.id(for: UInt32(tokens.count))
                switch q.kind {
                case "phrase":
                    let idf = q.terms.reduce(Float(0)) {
                        $0 + BM25FWeighting.idf(documentFrequency: stats($1).documentFrequency, documentCount: collection.documentCount)
                    }
                    let frequency = (0..<max(0, tokens.count - q.terms.count + 1))
                        .filter { Array(tokens[$0..<$0 + q.terms.count]) == q.terms }.count
                    guard frequency > 0 else { continue }
                    let scorer = weighting.scorer(field: "body", collection: collection, idf: idf, boost: q.boost)
                    ours[doc] = scorer.score(termFrequency: UInt32(frequency), fieldNorm: norm)
                default:
                    for term in q.terms {
                        let tf = tokens.filter { $0 == term }.count
                        guard tf > 0 else { continue }
                        let scorer = weighting.scorer(field: "body", collection: collection, term: stats(term), boost: q.boost)
                        ours[doc, default: 0] += scorer.score(termFrequency: UInt32(tf), fieldNorm: norm)
                    }
                }
            }
            let theirs = Dictionary(uniqueKeysWithValues: q.hits.map { (Int($0[0]), Float($0[1])) })
            #expect(Set(ours.keys) == Set(theirs.keys), "\(q.kind) \(q.terms)")
            for (doc, score) in theirs {
                let mine = ours[doc] ?? -1
                worst = max(worst, abs(mine - score) / score)
                #expect(abs(mine - score) <= score * 1e-6, "\(q.kind) \(q.terms) doc \(doc): ours \(mine), tantivy \(score)")
                compared += 1
            }
        }
        #expect(compared == 21)
        #expect(worst <= 1e-6)
    }

    /// The same documents through the real index writer (two segments, one deletion), scored
    /// from the snapshot's statistics, postings and norms: still tantivy's scores.
    @Test func matchesTantivyThroughTheIndex() throws {
        let url = Paths.repository.appendingPathComponent("Tests/CoreTests/Search/Fixtures/tantivy_bm25.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        let writer = try TestIndex.open(SimulatedFileIO())
        for (i, tokens) in fixture.docs.enumerated() {
            try writer.add(TestIndex.document(id: "\(i)", title: "", body: tokens.joined(separator: " ")))
            if i == 3 { try writer.refresh() }
        }
        for id in fixture.deleted { _ = try writer.delete(id: "\(id)") }
        try writer.refresh()
        let snapshot = writer.snapshot()
        #expect(snapshot.segments.count == 2)
        let collection = snapshot.collectionStatistics(field: "body")
        #expect(collection.documentCount == Int64(fixture.docs.count))
        var compared = 0
        for q in fixture.queries where q.kind != "phrase" {
            var ours: [Int: Float] = [:]
            for term in q.terms {
                let bytes = Array(term.utf8)
                let scorer = BM25FWeighting().scorer(field: "body", collection: collection,
                                                     term: try snapshot.termStatistics(field: "body", term: bytes), boost: q.boost)
                for segment in snapshot.segments {
                    guard var postings = try segment.reader.postings("body", term: bytes), let norms = segment.reader.norms("body") else { continue }
                    while true {
                        let doc = try postings.next()
                        if doc == PostingsIterator.noMoreDocs { break }
                        guard segment.liveDocs.isLive(doc) else { continue }
                        let id = try segment.reader.document(doc).first { $0.name == "id" }.map { Int(String(decoding: $0.value.dropFirst().dropLast(), as: UTF8.self)) ?? -1 } ?? -1
                        ours[id, default: 0] += scorer.score(termFrequency: UInt32(postings.freq), fieldNorm: norms.normId(doc))
                    }
                }
            }
            let theirs = Dictionary(uniqueKeysWithValues: q.hits.map { (Int($0[0]), Float($0[1])) })
            #expect(Set(ours.keys) == Set(theirs.keys), "\(q.terms)")
            for (doc, score) in theirs {
                #expect(abs((ours[doc] ?? -1) - score) <= score * 1e-6, "\(q.terms) doc \(doc): ours \(ours[doc] ?? -1), tantivy \(score)")
                compared += 1
            }
        }
        #expect(compared == 19)
    }

    /// The long document's 41 tokens are stored as the norm for 40, as tantivy rounds.
    @Test func fieldNormRoundingIsTantivys() {
        #expect(FieldNorm.length(of: FieldNorm.id(for: 41)) == 40)
        #expect(FieldNorm.length(of: FieldNorm.id(for: 23)) == 23)
    }
}
