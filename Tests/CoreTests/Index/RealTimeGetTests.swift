import Foundation
import Testing
@testable import Core

/// `IndexWriter.storedDocument(id:)`: a get by id sees every applied change before any refresh
/// (API.md), wherever the document is: buffer, a buffer being flushed, a segment.
@Suite struct RealTimeGetTests {
    /// The stored `title` JSON of `id`, as text, or nil when the document is absent.
    static func title(_ writer: IndexWriter, _ id: String) throws -> String? {
        guard let fields = try writer.storedDocument(id: id) else { return nil }
        return fields.first { $0.name == "title" }.map { String(decoding: $0.value, as: UTF8.self) }
    }

    @Test func seesAddsUpdatesAndDeletesWithoutRefresh() throws {
        let writer = try TestIndex.open(SimulatedFileIO())
        #expect(try writer.storedDocument(id: "a") == nil)
        try writer.add(TestIndex.document(id: "a", title: "one", body: "x"))
        #expect(try Self.title(writer, "a") == "\"one\"")
        let fields = try #require(try writer.storedDocument(id: "a"))
        #expect(fields.map(\.name) == ["id", "title"])  // body is not stored
        #expect(fields[0].value == Array("\"a\"".utf8))
        try writer.update(TestIndex.document(id: "a", title: "two", body: "x"))
        #expect(try Self.title(writer, "a") == "\"two\"")
        try writer.delete(id: "a")
        #expect(try writer.storedDocument(id: "a") == nil)
        try writer.update(TestIndex.document(id: "a", title: "three", body: "x"))
        #expect(try Self.title(writer, "a") == "\"three\"")
        #expect(writer.snapshot().numDocs == 0)  // nothing was refreshed
    }

    @Test func seesSegmentsAndNeverADeletedOrReplacedVersion() throws {
        let writer = try TestIndex.open(SimulatedFileIO())
        try writer.add(TestIndex.document(id: "a", title: "one", body: "x"))
        try writer.add(TestIndex.document(id: "b", title: "bee", body: "x"))
        try writer.refresh()
        #expect(try Self.title(writer, "a") == "\"one\"")
        try writer.update(TestIndex.document(id: "a", title: "two", body: "x"))
        try writer.refresh()  // old version deleted in segment 1, new one in segment 2
        #expect(try Self.title(writer, "a") == "\"two\"")
        try writer.update(TestIndex.document(id: "a", title: "three", body: "x"))  // in the buffer
        #expect(try Self.title(writer, "a") == "\"three\"")
        try writer.delete(id: "b")  // deleted in a segment, not yet refreshed
        #expect(try writer.storedDocument(id: "b") == nil)
        try writer.forceMerge(maxSegments: 1)
        #expect(try Self.title(writer, "a") == "\"three\"")
        #expect(try writer.storedDocument(id: "b") == nil)
    }

    @Test func survivesCommitAndReopen() throws {
        let io = SimulatedFileIO(seed: 7)
        let writer = try TestIndex.open(io)
        for i in 0..<20 { try writer.update(TestIndex.document(id: "d\(i)", title: "v1 \(i)", body: "x")) }
        try writer.refresh()
        for i in 0..<10 { try writer.update(TestIndex.document(id: "d\(i)", title: "v2 \(i)", body: "x")) }
        try writer.delete(id: "d19")
        try writer.commit(lastAppliedLogIndex: 3)
        writer.close()
        io.powerLoss()
        let reopened = try TestIndex.open(io)
        for i in 0..<10 { #expect(try Self.title(reopened, "d\(i)") == "\"v2 \(i)\"") }
        for i in 10..<19 { #expect(try Self.title(reopened, "d\(i)") == "\"v1 \(i)\"") }
        #expect(try reopened.storedDocument(id: "d19") == nil)
        #expect(try reopened.storedDocument(id: "missing") == nil)
    }

    /// A small RAM budget freezes buffers that a background thread writes while documents keep
    /// coming: every document must stay readable through the flush, and an update of a
    /// document in a frozen buffer must hide the frozen version.
    @Test func seesDocumentsDuringAndAfterBackgroundFlushes() throws {
        let writer = try TestIndex.open(SimulatedFileIO(seed: 9), options: TestIndex.options(ram: 16 << 10))
        var rng = SplitMix64(seed: 5)
        let count = 1500
        for i in 0..<count {
            try writer.add(TestIndex.document(id: "d\(i)", title: "v1 \(i)", body: TestIndex.randomText(&rng, words: 20)))
            #expect(try Self.title(writer, "d\(i)") == "\"v1 \(i)\"")
            if i % 7 == 0 {
                let j = Int(rng.next() % UInt64(i + 1))
                if try Self.title(writer, "d\(j)") == nil { Issue.record("d\(j) missing after adding d\(i)") }
            }
            if i % 50 == 49 {
                // Likely in a frozen buffer or a just-landed segment by now.
                let j = i - 40
                try writer.update(TestIndex.document(id: "d\(j)", title: "v2 \(j)", body: "x"))
                #expect(try Self.title(writer, "d\(j)") == "\"v2 \(j)\"")
            }
        }
        writer.waitForFlushes()
        #expect(writer.snapshot().segments.count > 1)  // flushes happened
        for i in 0..<count {
            let expected = i % 50 == 9 ? "\"v2 \(i)\"" : "\"v1 \(i)\""
            if try Self.title(writer, "d\(i)") != expected { Issue.record("d\(i): expected \(expected)") }
        }
        try writer.refresh()
        #expect(writer.snapshot().numDocs == count)
        #expect(try Self.title(writer, "d9") == "\"v2 9\"")
    }

    @Test func deleteSelectingSeesBufferedDocuments() throws {
        let writer = try TestIndex.open(SimulatedFileIO())
        for i in 0..<10 { try writer.add(TestIndex.document(id: "d\(i)", title: "t", body: i < 4 ? "red" : "blue")) }
        try writer.refresh()
        for i in 10..<14 { try writer.add(TestIndex.document(id: "d\(i)", title: "t", body: "red")) }
        let deleted = try writer.delete(selecting: { snapshot in
            #expect(snapshot.maxDoc == 14)
            return try snapshot.segments.map { segment in
                var docs: [Int32] = []
                guard var p = try segment.reader.postings("body", term: Array("red".utf8)) else { return docs }
                while true {
                    let d = try p.next()
                    if d == PostingsIterator.noMoreDocs { break }
                    docs.append(d)
                }
                return docs
            }
        })
        #expect(deleted == 8)
        #expect(try writer.storedDocument(id: "d0") == nil)
        #expect(try writer.storedDocument(id: "d13") == nil)
        #expect(try writer.storedDocument(id: "d4") != nil)
        try writer.refresh()
        #expect(writer.snapshot().numDocs == 6)
    }
}
