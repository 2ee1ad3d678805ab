import Foundation
import Testing
@testable import Core

/// Indexes the committed 20,000-document slice of the bench corpus and checks terms, postings,
/// positions, statistics and stored ids against a naive model built with the same analyzer.
@Suite struct CorpusSliceTests {
    struct Entry {
        var id: String
        var title: String
        var text: String
    }

    static func load() throws -> [Entry] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/corpus-20k.jsonl.gz").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -dc \"$0\"", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let raw = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var entries: [Entry] = []
        for line in raw.split(separator: UInt8(ascii: "\n")) {
            guard let o = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let id = o["id"] as? String, let title = o["title"] as? String, let text = o["text"] as? String else { continue }
            entries.append(Entry(id: id, title: title, text: text))
        }
        return entries
    }

    /// term -> (doc -> positions) for the body field.
    static func model(_ entries: [Entry]) -> [String: [Int: [UInt32]]] {
        var model: [String: [Int: [UInt32]]] = [:]
        let analyzer = TestAnalyzer()
        for (doc, e) in entries.enumerated() {
            for t in analyzer.analyzedTokens(e.text) { model[t.token, default: [:]][doc, default: []].append(UInt32(t.position)) }
        }
        return model
    }

    @Test func sliceIndexesLikeTheModel() throws {
        let entries = try Self.load()
        #expect(entries.count == 20_000)
        let io = SimulatedFileIO()
        // A small budget: several flushed segments, then merged.
        let writer = try TestIndex.open(io, codec: RunLengthCodec(), options: TestIndex.options(ram: 2 << 20))
        for e in entries {
            var d = Document()
            d.add("id", .text(e.id))
            d.add("title", .text(e.title))
            d.add("body", .text(e.text))
            try writer.add(d)
        }
        try writer.commit(lastAppliedLogIndex: 20_000)
        #expect(writer.snapshot().segments.count > 1)
        try writer.forceMerge(maxSegments: 1)
        try writer.commit(lastAppliedLogIndex: 20_001)
        writer.close()

        let reopened = try TestIndex.open(io)
        let snapshot = reopened.snapshot()
        #expect(snapshot.segments.count == 1)
        let reader = snapshot.segments[0].reader
        #expect(reader.maxDoc == 20_000)
        let model = Self.model(entries)
        let terms = try #require(reader.terms("body"))
        #expect(terms.termCount == model.count)
        // Every term in order, with its statistics.
        var iterator = terms.makeIterator()
        var seen = 0
        var sumTTF: Int64 = 0
        let sortedTerms = model.keys.sorted { compareBytes(Array($0.utf8), Array($1.utf8)) < 0 }
        while try iterator.next() {
            let term = iterator.termString
            #expect(term == sortedTerms[seen])
            let docs = model[term] ?? [:]
            #expect(Int(iterator.info.docFreq) == docs.count, "\(term)")
            let ttf = docs.values.reduce(0) { $0 + $1.count }
            #expect(iterator.info.totalTermFreq == Int64(ttf), "\(term)")
            sumTTF += Int64(ttf)
            seen += 1
        }
        #expect(seen == model.count)
        #expect(reader.fieldStats("body").sumTotalTermFreq == sumTTF)
        // Postings and positions of a deterministic sample, frequent terms included.
        var rng = SplitMix64(seed: 11)
        var sample = ["a", "the", "of", "n", "adj", "syn", "wordnet"]
        for _ in 0..<150 { sample.append(sortedTerms[Int(rng.next() % UInt64(sortedTerms.count))]) }
        var positions: [UInt32] = []
        for term in sample {
            let expected = model[term] ?? [:]
            guard let info = try terms.lookup(term) else {
                #expect(expected.isEmpty, "\(term) missing")
                continue
            }
            var p = try reader.postings("body", info)
            var got = 0
            while try p.next() != PostingsIterator.noMoreDocs {
                let doc = Int(p.doc)
                guard let want = expected[doc] else { Issue.record("\(term): unexpected doc \(doc)"); break }
                #expect(Int(p.freq) == want.count)
                try p.positions(into: &positions)
                #expect(positions == want, "\(term) doc \(doc)")
                got += 1
            }
            #expect(got == expected.count, "\(term)")
            // Skipping lands on the same documents.
            let docs = expected.keys.sorted()
            if docs.count > 200 {
                var s = try reader.postings("body", info)
                for target in stride(from: 0, to: docs.count, by: 97) {
                    #expect(try s.advance(to: Int32(docs[target])) == Int32(docs[target]))
                }
            }
        }
        // Norms and stored ids.
        let norms = try #require(reader.norms("body"))
        let analyzer = TestAnalyzer()
        for doc in stride(from: 0, to: 20_000, by: 997) {
            #expect(norms.normId(Int32(doc)) == FieldNorm.id(for: UInt32(analyzer.analyzedTokens(entries[doc].text).count)))
            #expect(try reader.document(Int32(doc)).first?.value == Array("\"\(entries[doc].id)\"".utf8))
        }
        #expect(try TestIndex.search(snapshot, field: "id", term: entries[12_345].id) == [entries[12_345].id])
        reopened.close()
    }
}
