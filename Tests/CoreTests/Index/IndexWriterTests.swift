import Foundation
import Testing
@testable import Core

@Suite struct IndexWriterTests {
    @Test func addRefreshCommitReopen() throws {
        let io = SimulatedFileIO()
        let writer = try TestIndex.open(io)
        try writer.add(TestIndex.document(id: "a", title: "Hello", body: "hello world"))
        try writer.add(TestIndex.document(id: "b", title: "Bye", body: "goodbye world"))
        #expect(writer.snapshot().numDocs == 0)
        try writer.refresh()
        #expect(try TestIndex.search(writer.snapshot(), field: "body", term: "world") == ["a", "b"])
        try writer.commit(lastAppliedLogIndex: 17)
        writer.close()
        let reopened = try TestIndex.open(io)
        #expect(reopened.lastCommit.lastAppliedLogIndex == 17)
        #expect(try TestIndex.liveIds(reopened.snapshot()) == ["a", "b"])
    }

    @Test func updateTwiceInOneBufferKeepsTheLastVersion() throws {
        let writer = try TestIndex.open(SimulatedFileIO())
        try writer.update(TestIndex.document(id: "x", title: "one", body: "first"))
        try writer.update(TestIndex.document(id: "x", title: "two", body: "second"))
        try writer.refresh()
        try writer.update(TestIndex.document(id: "x", title: "three", body: "third"))
        try writer.refresh()
        let snapshot = writer.snapshot()
        #expect(snapshot.numDocs == 1)
        #expect(try TestIndex.search(snapshot, field: "body", term: "third") == ["x"])
        #expect(try TestIndex.search(snapshot, field: "body", term: "first").isEmpty)
        #expect(try TestIndex.search(snapshot, field: "body", term: "second").isEmpty)
        #expect(try writer.delete(id: "x") == 1)
        try writer.refresh()
        #expect(writer.snapshot().numDocs == 0)
    }

    @Test func deleteByQueryAndSnapshotsAreIsolated() throws {
        let writer = try TestIndex.open(SimulatedFileIO())
        for i in 0..<50 { try writer.add(TestIndex.document(id: "d\(i)", title: "t", body: i % 2 == 0 ? "even" : "odd")) }
        try writer.refresh()
        let before = writer.snapshot()
        let deleted = try writer.delete { reader, _ in
            guard var p = try reader.postings("body", term: Array("even".utf8)) else { return [] }
            var docs: [Int32] = []
            while try p.next() != PostingsIterator.noMoreDocs { docs.append(p.doc) }
            return docs
        }
        #expect(deleted == 25)
        try writer.refresh()
        #expect(before.numDocs == 50)
        #expect(writer.snapshot().numDocs == 25)
    }

    @Test func ramBudgetFlushesSegments() throws {
        let writer = try TestIndex.open(SimulatedFileIO(), options: TestIndex.options(ram: 64 << 10))
        var rng = SplitMix64(seed: 1)
        for i in 0..<2000 { try writer.add(TestIndex.document(id: "d\(i)", title: "t", body: TestIndex.randomText(&rng, words: 30))) }
        try writer.refresh()
        #expect(writer.snapshot().segments.count > 2)
        #expect(writer.snapshot().numDocs == 2000)
    }

    @Test func forceMergeDropsDeletesAndKeepsSearchResults() throws {
        let io = SimulatedFileIO()
        let writer = try TestIndex.open(io)
        var rng = SplitMix64(seed: 2)
        var bodies: [String: String] = [:]
        for round in 0..<5 {
            for i in 0..<200 {
                let id = "d\(round * 200 + i)"
                let body = TestIndex.randomText(&rng, words: 12)
                bodies[id] = body
                try writer.add(TestIndex.document(id: id, title: "t", body: body, tag: "g\(i % 4)", year: Int64(i)))
            }
            try writer.refresh()
        }
        for i in stride(from: 0, to: 1000, by: 3) {
            try writer.delete(id: "d\(i)")
            bodies["d\(i)"] = nil
        }
        try writer.refresh()
        #expect(writer.snapshot().segments.count == 5)
        try writer.forceMerge(maxSegments: 1)
        let snapshot = writer.snapshot()
        #expect(snapshot.segments.count == 1)
        #expect(snapshot.maxDoc == bodies.count)
        #expect(try TestIndex.liveIds(snapshot) == Set(bodies.keys))
        for word in TestIndex.words.prefix(6) {
            let expected = Set(bodies.filter { $0.value.split(separator: " ").contains(Substring(word)) }.keys)
            #expect(try TestIndex.search(snapshot, field: "body", term: word) == expected)
        }
        let reader = snapshot.segments[0].reader
        // Doc values survive the merge.
        var checked = 0
        for d in 0..<Int32(reader.maxDoc) {
            let stored = try reader.document(d)
            guard let idValue = stored.first(where: { $0.name == "id" })?.value else { continue }
            let id = String(decoding: idValue.dropFirst().dropLast(), as: UTF8.self)
            let n = Int(id.dropFirst())! % 200
            #expect(reader.numericDocValues("year")?.value(d) == Int64(n))
            #expect(reader.keywordDocValues("tag")?.values(d) == [Array("g\(n % 4)".utf8)])
            checked += 1
        }
        #expect(checked == bodies.count)
        try writer.commit()
        writer.close()
        // Only the merged segment's files and the commit remain.
        let files = try io.listDirectory("/index")
        #expect(files.filter { $0.hasPrefix("_") }.count == 7)
        #expect(files.filter { $0.hasPrefix("commit_") }.count == 1)
        #expect(try TestIndex.liveIds(TestIndex.open(io).snapshot()) == Set(bodies.keys))
    }

    @Test func snapshotsKeepFilesUntilReleased() throws {
        let io = SimulatedFileIO()
        let writer = try TestIndex.open(io)
        for i in 0..<10 { try writer.add(TestIndex.document(id: "a\(i)", title: "t", body: "x")) }
        try writer.refresh()
        for i in 0..<10 { try writer.add(TestIndex.document(id: "b\(i)", title: "t", body: "y")) }
        try writer.refresh()
        var old: IndexSnapshot? = writer.snapshot()
        let oldNames = old!.segmentNames
        try writer.forceMerge(maxSegments: 1)
        try writer.commit()
        for name in oldNames { #expect(io.exists("/index/\(name).doc")) }
        #expect(try TestIndex.search(old!, field: "body", term: "x").count == 10)
        old = nil
        for name in oldNames { #expect(!io.exists("/index/\(name).doc")) }
    }

    @Test func backgroundMergesKeepSegmentCountBounded() throws {
        let writer = try TestIndex.open(SimulatedFileIO(), options: TestIndex.options(merges: true))
        for round in 0..<20 {
            for i in 0..<20 { try writer.add(TestIndex.document(id: "d\(round)-\(i)", title: "t", body: "w\(i)")) }
            try writer.refresh()
        }
        writer.waitForMerges()
        try writer.refresh()
        writer.waitForMerges()
        #expect(writer.lastMergeError == nil)
        let snapshot = writer.snapshot()
        #expect(snapshot.segments.count < 20)
        #expect(snapshot.numDocs == 400)
        writer.close()
    }

    @Test func automaticRefreshMakesDocumentsSearchableWithoutACommit() throws {
        var options = TestIndex.options()
        options.refreshInterval = .milliseconds(20)
        let writer = try TestIndex.open(SimulatedFileIO(), options: options)
        try writer.add(TestIndex.document(id: "a", title: "t", body: "soon"))
        var waited = 0
        while writer.snapshot().numDocs == 0 && waited < 200 {
            usleep(10_000)
            waited += 1
        }
        #expect(try TestIndex.search(writer.snapshot(), field: "body", term: "soon") == ["a"])
        #expect(writer.lastCommit.generation == 0)
        writer.close()
    }

    @Test func leftoversAreDeletedAtOpen() throws {
        let io = SimulatedFileIO()
        let writer = try TestIndex.open(io)
        try writer.add(TestIndex.document(id: "a", title: "t", body: "x"))
        try writer.commit()
        try writer.add(TestIndex.document(id: "b", title: "t", body: "y"))
        try writer.refresh()
        writer.close()
        let junk = try io.openForWriting("/index/commit_9.tmp", truncate: true)
        try junk.write([1, 2, 3])
        let files = try io.listDirectory("/index")
        #expect(files.filter { $0.hasPrefix("_") }.count == 14)
        let reopened = try TestIndex.open(io)
        #expect(try TestIndex.liveIds(reopened.snapshot()) == ["a"])
        let after = try io.listDirectory("/index")
        #expect(after.filter { $0.hasPrefix("_") }.count == 7)
        #expect(!after.contains("commit_9.tmp"))
    }
}
