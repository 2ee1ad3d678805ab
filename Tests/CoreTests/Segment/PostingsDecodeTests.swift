import Dispatch
import Testing
@testable import Core

/// Lookups (the in-place block scan and the decompressed-block cache) and per-document position
/// decoding, against a model of what was indexed.
@Suite struct PostingsDecodeTests {
    struct Rng {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// Expected postings: term -> doc -> positions.
    typealias Model = [String: [Int: [UInt32]]]

    func build(codec: any Codec, docs: Int, seed: UInt64) throws -> (IndexWriter, IndexSnapshot, Model) {
        let writer = try TestIndex.open(SimulatedFileIO(), codec: codec)
        var rng = Rng(state: seed)
        var model: Model = [:]
        // Long runs of one letter: terms whose blocks a run-length codec compresses.
        let letters = (0..<26).map { String(repeating: String(UnicodeScalar(UInt8(97 + $0))), count: 200 + $0 % 3) }
        for d in 0..<docs {
            var tokens: [String] = []
            let length = 1 + rng.next(60)
            for _ in 0..<length {
                switch rng.next(10) {
                case 0, 1, 2: tokens.append("x")
                case 3: tokens.append(letters[rng.next(letters.count)])
                case 4:
                    // Runs of one term: large frequencies, deltas of 1 (compressible positions).
                    if rng.next(4) == 0 { tokens.append(contentsOf: repeatElement("z", count: 20 + rng.next(200))) } else { tokens.append("z") }
                default: tokens.append("y\(rng.next(300))")
                }
            }
            for (p, t) in tokens.enumerated() { model[t, default: [:]][d, default: []].append(UInt32(p)) }
            try writer.add(TestIndex.document(id: "d\(d)", title: "t", body: tokens.joined(separator: " ")))
        }
        try writer.refresh()
        return (writer, writer.snapshot(), model)
    }

    @Test(arguments: [0, 1] as [Int]) func lookupsAndPositionsMatchTheModel(codecIndex: Int) throws {
        let codec: any Codec = codecIndex == 0 ? IdentityCodec() : RunLengthCodec()
        let (writer, snapshot, model) = try build(codec: codec, docs: 3_000, seed: 42 + UInt64(codecIndex))
        defer { writer.close() }
        #expect(snapshot.segments.count == 1)
        let reader = snapshot.segments[0].reader
        let terms = try #require(reader.terms("body"))

        // Every term: statistics, documents, frequencies and positions, reading all of them.
        var positions: [UInt32] = []
        for (term, docs) in model {
            let info = try #require(try terms.lookup(term), "\(term)")
            #expect(info.docFreq == Int32(docs.count))
            #expect(info.totalTermFreq == Int64(docs.values.reduce(0) { $0 + $1.count }))
            var postings = try reader.postings("body", info)
            for d in docs.keys.sorted() {
                #expect(try postings.next() == Int32(d))
                #expect(postings.freq == Int32(docs[d]?.count ?? 0))
                try postings.positions(into: &positions)
                #expect(positions == docs[d], "\(term) in \(d)")
            }
            #expect(try postings.next() == PostingsIterator.noMoreDocs)
        }

        // Skipping: positions of some documents only (the cursors skip the others), twice for
        // some (the cursors go back), after advance(to:) within and across blocks.
        var rng = Rng(state: 7)
        for term in ["x", "z", "y1", "y2"] {
            guard let docs = model[term] else { continue }
            let sorted = docs.keys.sorted()
            let info = try #require(try terms.lookup(term))
            var postings = try reader.postings("body", info)
            var target = 0
            while true {
                // Now and then far ahead: several blocks passed over at once.
                target += 1 + (rng.next(6) == 0 ? rng.next(600) : rng.next(40))
                let d = try postings.advance(to: Int32(target))
                guard let expected = sorted.first(where: { $0 >= target }) else {
                    #expect(d == PostingsIterator.noMoreDocs)
                    break
                }
                #expect(d == Int32(expected))
                target = expected
                if rng.next(3) != 0 {
                    try postings.positions(into: &positions)
                    #expect(positions == docs[expected], "\(term) in \(expected)")
                    if rng.next(4) == 0 {
                        try postings.positions(into: &positions)
                        #expect(positions == docs[expected])
                    }
                }
            }
        }

        // Absent terms: between, before and after the present ones, prefixes and extensions.
        let probes = ["", "a", String(repeating: "a", count: 199), String(repeating: "a", count: 201), String(repeating: "b", count: 200), "b", "w", "xx", "x0", "y", "y3000", "y1a", "y99z", "yz", "z0", "zz", "~"]
        for probe in probes where model[probe] == nil {
            #expect(try terms.lookup(probe) == nil, "\(probe)")
        }
        // The same answers as walking the dictionary, for every term.
        var it = terms.makeIterator()
        var walked = 0
        while try it.next() {
            #expect(try terms.lookup(it.term) == it.info)
            walked += 1
        }
        #expect(walked == model.count)

        // Concurrent lookups (the block cache is shared) give the same answers.
        let all = model.keys.sorted()
        let expected = try all.map { try terms.lookup($0) }
        let mismatches = Mismatches()
        DispatchQueue.concurrentPerform(iterations: 4) { k in
            for (i, t) in all.enumerated() where i % 4 == k || k == 0 {
                if (try? terms.lookup(t)) != expected[i] { mismatches.add() }
            }
        }
        #expect(mismatches.count == 0)
        if codecIndex == 1 { #expect(terms.blockCache.count > 0) } else { #expect(terms.blockCache.count == 0) }
    }

    final class Mismatches: @unchecked Sendable {
        private let lock = DispatchQueue(label: "mismatches")
        private var value = 0
        func add() { lock.sync { value += 1 } }
        var count: Int { lock.sync { value } }
    }

    @Test func blockCacheIsBoundedAndEvictsTheOldest() {
        let cache = BlockCache(capacity: 4)
        for b in 0..<10 { cache.insert(b, [UInt8(b)]) }
        #expect(cache.count == 4)
        for b in 0..<6 { #expect(cache.get(b) == nil) }
        for b in 6..<10 { #expect(cache.get(b) == [UInt8(b)]) }
        cache.insert(9, [0])
        #expect(cache.get(9) == [9])
        for b in 10..<100 { cache.insert(b, [UInt8(b)]) }
        #expect(cache.count == 4)
        #expect(cache.get(99) == [99])
    }
}

/// Skip data whose document deltas add up past the id range (a crafted file: the checksum
/// only catches damage) is a typed error, never a trap, whether it is read by the fast path,
/// passed over by a far `advance`, or read by the checked reader near the end.
@Suite struct HostileSkipDataTests {
    /// A `.doc` image for a term in 384 documents (three full blocks) whose skip entries each
    /// advance the last document by `delta`; `padding` bytes after the skip data keep the fast
    /// reader (which needs 41 readable bytes) in play or, with 0, leave the end to the checked one.
    func iterator(delta: UInt64, padding: Int) throws -> PostingsIterator {
        var skip = DataOutput()
        for _ in 0..<3 {
            skip.writeVInt(delta)
            skip.writeVInt(0)  // data bytes
            skip.writeVInt(1)  // max frequency
        }
        var out = DataOutput()
        out.writeVInt(skip.count + padding)
        out.writeBytes(skip.bytes)
        out.writeBytes([UInt8](repeating: 0, count: padding))
        let file = ReadOnlyFile(path: "crafted.doc", copying: out.bytes)
        let info = TermInfo(docFreq: 384, totalTermFreq: 384, postingsOffset: 0, positionsOffset: 0)
        return try PostingsIterator(info: info, docFile: file, posFile: nil, codec: IdentityCodec(), hasNorms: false, inLanes: true, skipColumns: false)
    }

    @Test(arguments: [0, 64], [UInt64(Int32.max), UInt64(Int32.max) - 1])
    func documentIdsPastTheRangeAreCorruption(padding: Int, delta: UInt64) throws {
        // The first entry ends at (or just below) the "no more documents" id; the second passes
        // the Int32 range (a trap where an unchecked conversion read it).
        do {
            var postings = try iterator(delta: delta, padding: padding)
            _ = try postings.advanceShallow(to: .max)
            Issue.record("no error for skip data past the document id range")
        } catch let error as SegmentError {
            #expect("\(error)".contains("crafted.doc"))
        }
    }
}

/// Skip columns (format 3) that are damaged in ways a checksum would not see (a crafted file)
/// are typed errors naming the file, never a trap and never a cursor sent backwards: a bad
/// offset width or column length when the cursor is made, a last document past the id range or
/// not above the one before when its block is reached, whether stepped to or leapt over.
@Suite struct HostileSkipColumnsTests {
    /// A `.doc` image for a term in 384 documents (three full blocks, no positions or norms)
    /// whose skip columns hold `lastDocs`; `width` is the offset width byte and `extra` bytes
    /// are appended to the columns (a length that does not match).
    func iterator(lastDocs: [UInt32], width: UInt8 = 4, extra: Int = 0) throws -> PostingsIterator {
        var skip = DataOutput()
        skip.writeByte(width)
        for d in lastDocs { skip.writeUInt32(d) }
        for _ in lastDocs { skip.writeUInt32(0) }  // data offsets
        for _ in lastDocs { skip.writeUInt32(1) }  // max frequencies
        skip.writeBytes([UInt8](repeating: 0, count: extra))
        var out = DataOutput()
        out.writeVInt(skip.count)
        out.writeBytes(skip.bytes)
        out.writeBytes([UInt8](repeating: 0, count: 64))
        let info = TermInfo(docFreq: 384, totalTermFreq: 384, postingsOffset: 0, positionsOffset: 0)
        return try PostingsIterator(info: info, docFile: ReadOnlyFile(path: "crafted.doc", copying: out.bytes), posFile: nil,
                                    codec: IdentityCodec(), hasNorms: false, inLanes: true, skipColumns: true)
    }

    func expectCorruption(_ body: () throws -> Void) {
        var caught: (any Error)?
        do { try body() } catch { caught = error }
        #expect((caught as? SegmentError).map { "\($0)".contains("crafted.doc") } == true, "no error naming the file: \(String(describing: caught))")
    }

    @Test func wellFormedColumnsLeadToTheBlockHoldingATarget() throws {
        var postings = try iterator(lastDocs: [127, 1000, 5000])
        #expect(try postings.advanceShallow(to: 900) == 1000)
        #expect(try postings.advanceShallow(to: 4000) == 5000)
        // Past the end: the last block, below the target.
        #expect(try postings.advanceShallow(to: 6000) == 5000)
    }

    @Test func aBadWidthOrLengthIsCorruption() {
        expectCorruption { _ = try iterator(lastDocs: [127, 1000, 5000], width: 3) }
        expectCorruption { _ = try iterator(lastDocs: [127, 1000, 5000], extra: 1) }
    }

    @Test(arguments: [[127, 50, 5000], [127, 1000, UInt32(Int32.max)], [127, UInt32.max, 5000], [127, 1000, 1000]] as [[UInt32]])
    func lastDocumentsOutOfRangeOrOrderAreCorruption(lastDocs: [UInt32]) {
        for target in [Int32.max, 3000, 128] {
            expectCorruption {
                var postings = try iterator(lastDocs: lastDocs)
                var last: Int32 = -1
                while true {
                    let wanted = last == -1 ? target : last + 1
                    let next = try postings.advanceShallow(to: wanted)
                    if next < wanted { break }
                    #expect(next > last, "a cursor sent backwards: \(next) after \(last)")
                    last = next
                }
            }
        }
    }
}

/// Positions data that ends inside a value (a crafted file: the checksum only catches damage)
/// is a typed error naming the positions file, never a read past the chunk.
@Suite struct HostilePositionsTests {
    /// A term in documents 0 and 1, three positions each (a tail block, no skip data), whose
    /// positions chunk holds `payload` uncompressed.
    func iterator(payload: [UInt8]) throws -> PostingsIterator {
        var doc = DataOutput()
        for _ in 0..<2 {
            doc.writeVInt(0)  // delta 1, frequency follows
            doc.writeVInt(3)
        }
        doc.writeBytes([UInt8](repeating: 0, count: 16))
        var pos = DataOutput()
        pos.writeVInt(UInt64(payload.count) << 1)
        pos.writeBytes(payload)
        let info = TermInfo(docFreq: 2, totalTermFreq: 6, postingsOffset: 0, positionsOffset: 0)
        return try PostingsIterator(info: info, docFile: ReadOnlyFile(path: "crafted.doc", copying: doc.bytes),
                                    posFile: ReadOnlyFile(path: "crafted.pos", copying: pos.bytes),
                                    codec: IdentityCodec(), hasNorms: false, inLanes: true, skipColumns: false)
    }

    @Test func aWellFormedChunkDecodes() throws {
        var postings = try iterator(payload: [1, 1, 1, 0, 2, 0x81, 0x01])
        var positions: [UInt32] = []
        #expect(try postings.next() == 0)
        try postings.positions(into: &positions)
        #expect(positions == [1, 2, 3])
        #expect(try postings.next() == 1)
        try postings.positions(into: &positions)
        #expect(positions == [0, 2, 131])
    }

    @Test(arguments: [[1, 1, 1, 0, 2, 0x81], [1, 1, 1, 0, 2], [1, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1]] as [[UInt8]])
    func aChunkEndingInsideAValueIsCorruption(payload: [UInt8]) throws {
        var postings = try iterator(payload: payload)
        var positions: [UInt32] = []
        #expect(try postings.next() == 0)
        try postings.positions(into: &positions)
        #expect(positions == [1, 2, 3])
        #expect(try postings.next() == 1)
        var caught: SegmentError?
        do { try postings.positions(into: &positions) } catch { caught = error }
        let error = try #require(caught, "no error for positions past the chunk: \(positions)")
        #expect("\(error)".contains("crafted.pos"))
    }
}
