import Testing
@testable import Core

@Suite struct SegmentRoundTripTests {
    /// Builds one segment of `count` documents through the writer and returns its reader.
    func build(_ count: Int, codec: any Codec = IdentityCodec(), io: SimulatedFileIO = SimulatedFileIO()) throws -> (IndexWriter, IndexSnapshot) {
        let writer = try TestIndex.open(io, codec: codec)
        for i in 0..<count {
            // "common" in every document, "even" in every second, "rare7" once; positions vary.
            var body = "common " + (i % 2 == 0 ? "even " : "odd ") + String(repeating: "pad ", count: i % 5) + "common"
            if i == 7 { body += " rare7" }
            try writer.add(TestIndex.document(id: "doc\(i)", title: "Title \(i)", body: body, tag: i % 3 == 0 ? "three" : "other", year: Int64(1900 + i)))
        }
        try writer.refresh()
        return (writer, writer.snapshot())
    }

    @Test(arguments: [0, 1] as [Int]) func postingsTermsPositionsNormsAndStoredFields(codecIndex: Int) throws {
        let codec: any Codec = codecIndex == 0 ? IdentityCodec() : RunLengthCodec()
        let n = 1000
        let (_, snapshot) = try build(n, codec: codec)
        #expect(snapshot.segments.count == 1)
        let reader = snapshot.segments[0].reader
        #expect(reader.maxDoc == n)
        let terms = try #require(reader.terms("body"))
        let common = try #require(try terms.lookup("common"))
        #expect(common.docFreq == Int32(n))
        #expect(common.totalTermFreq == Int64(2 * n))
        #expect(try terms.lookup("nothere") == nil)
        let rare = try #require(try terms.lookup("rare7"))
        #expect(rare.docFreq == 1 && rare.singleDoc == 7)

        // Every document, in order, with freq 2 and positions [0, last].
        var postings = try reader.postings("body", common)
        var positions: [UInt32] = []
        for i in 0..<n {
            #expect(try postings.next() == Int32(i))
            #expect(postings.freq == 2)
            try postings.positions(into: &positions)
            #expect(positions == [0, UInt32(2 + i % 5)])
        }
        #expect(try postings.next() == PostingsIterator.noMoreDocs)

        // advance(to:) across blocks, and block impacts.
        var even = try reader.postings("body", try #require(try terms.lookup("even")))
        #expect(try even.advance(to: 301) == 302)
        #expect(even.blockMaxFreq == 1)
        #expect(even.blockLastDoc >= 302)
        try even.positions(into: &positions)
        #expect(positions == [1])
        #expect(try even.advance(to: 998) == 998)
        #expect(try even.next() == PostingsIterator.noMoreDocs)
        var shallow = try reader.postings("body", common)
        let last = try shallow.advanceShallow(to: 500)
        #expect(last >= 500 && last < 640)
        #expect(shallow.blockMinNorm == FieldNorm.id(for: 3))
        #expect(try shallow.advance(to: 500) == 500)

        // Single-document term with positions.
        var single = try reader.postings("body", rare)
        #expect(try single.next() == 7)
        try single.positions(into: &positions)
        #expect(positions == [5])

        // Sorted iteration, prefix seek.
        var it = terms.makeIterator()
        var all: [String] = []
        while try it.next() { all.append(it.termString) }
        #expect(all == ["common", "even", "odd", "pad", "rare7"])
        var p = terms.makeIterator()
        #expect(try p.seek(Array("p".utf8)))
        #expect(p.termString == "pad")
        #expect(try p.seek(Array("zzz".utf8)) == false)

        // Norms, stats, stored, doc values.
        let norms = try #require(reader.norms("body"))
        #expect(norms.length(3) == 6)
        #expect(reader.fieldStats("body").docCount == n)
        var expectedLength: Int64 = 1
        for i in 0..<n { expectedLength += Int64(3 + i % 5) }
        #expect(reader.fieldStats("body").sumTotalTermFreq == expectedLength)
        let stored = try reader.document(42)
        #expect(stored == [StoredField(name: "id", value: Array("\"doc42\"".utf8)), StoredField(name: "title", value: Array("\"Title 42\"".utf8))])
        #expect(reader.numericDocValues("year")?.value(42) == 1942)
        let tags = try #require(reader.keywordDocValues("tag"))
        #expect(tags.values(3) == [Array("three".utf8)])
        #expect(tags.values(4) == [Array("other".utf8)])
        #expect(reader.keywordDocValues("id") == nil)
        #expect(try TestIndex.search(snapshot, field: "id", term: "doc500") == ["doc500"])
    }

    @Test func fieldNormsMatchTantivysTable() {
        #expect(FieldNorm.id(for: 0) == 0)
        #expect(FieldNorm.id(for: 23) == 23)
        #expect(FieldNorm.id(for: 40) == 40)
        #expect(FieldNorm.id(for: 41) == 40)
        #expect(FieldNorm.id(for: 42) == 41)
        #expect(FieldNorm.length(of: 255) == 2_013_265_944)
        #expect(FieldNorm.id(for: UInt32.max) == 255)
        for id in 43..<256 {
            let length = FieldNorm.length(of: UInt8(id))
            #expect(FieldNorm.id(for: length) == UInt8(id))
            #expect(FieldNorm.id(for: length - 1) == UInt8(id - 1))
        }
    }

    @Test func corruptOrTruncatedFilesAreTypedErrorsNamingTheFile() throws {
        let io = SimulatedFileIO()
        let (writer, _) = try build(300, io: io)
        try writer.commit()
        writer.close()
        let names = try io.listDirectory("/index").filter { $0.hasPrefix("_") }
        #expect(names.count == 7)
        for name in names {
            let path = "/index/" + name
            let original = try #require(io.contents(path))
            for mode in 0..<3 {
                var damaged = original
                switch mode {
                case 0: damaged[damaged.count / 2] ^= 0x04
                case 1: damaged.removeLast(damaged.count / 3)
                default: damaged[damaged.count - 3] ^= 0x80
                }
                let file = try io.openForWriting(path, truncate: true)
                try file.write(damaged)
                try file.sync()
                do {
                    _ = try TestIndex.open(io)
                    Issue.record("\(name) damaged (\(mode)) was accepted")
                } catch let IndexError.segment(.corrupt(file, _)) {
                    #expect(file.hasSuffix(name))
                } catch {
                    Issue.record("\(name): unexpected \(error)")
                }
                let restore = try io.openForWriting(path, truncate: true)
                try restore.write(original)
                try restore.sync()
            }
        }
        #expect(try TestIndex.liveIds(TestIndex.open(io).snapshot()).count == 300)
    }
}
