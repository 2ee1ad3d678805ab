import Testing
@testable import Core

// Postings of random terms written by `PostingsSerializer` and read back through the skip
// columns (format 3): clean and with 8-byte offsets they match the model; with random bytes
// damaged (columns, blocks, positions) a cursor throws or goes on, but never traps, never
// loops and never returns a document at or below the one before.

private struct FuzzRng {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(n))
    }
}

private struct Built {
    var doc: [UInt8]
    var pos: [UInt8]
    var info: TermInfo
    var docs: [UInt32]
    var freqs: [UInt32]
    var positions: [[UInt32]]
    var hasPositions: Bool
    var hasNorms: Bool
}

private func buildPostings(seed: UInt64) throws -> Built {
    var rng = FuzzRng(state: seed)
    let df = 128 + rng.next(1400)
    let hasPositions = rng.next(2) == 0
    let hasNorms = rng.next(2) == 0
    var docs: [UInt32] = []
    var d: UInt32 = UInt32(rng.next(50))
    for _ in 0..<df {
        docs.append(d)
        d += 1 + UInt32(rng.next(4) == 0 ? rng.next(3000) : rng.next(3))
    }
    var freqs: [UInt32] = []
    var positions: [[UInt32]] = []
    var flat: [UInt32] = []
    for _ in 0..<df {
        let f = rng.next(10) == 0 ? 1 + rng.next(300) : 1 + rng.next(3)
        freqs.append(UInt32(f))
        var p: UInt32 = 0
        var list: [UInt32] = []
        for _ in 0..<f {
            p += UInt32(rng.next(20))
            list.append(p)
            p += 1
        }
        positions.append(list)
        flat.append(contentsOf: list)
    }
    let norms = [UInt8]((0...Int(d)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    var ser = PostingsSerializer(codec: IdentityCodec(), hasPositions: hasPositions, hasNorms: hasNorms)
    let io = SimulatedFileIO()
    let docOut = IndexOutput(file: try io.openForWriting("f.doc", truncate: true))
    let posOut = IndexOutput(file: try io.openForWriting("f.pos", truncate: true))
    // Some leading bytes so offsets are not 0.
    try docOut.write([1, 2, 3])
    try posOut.write([9])
    let info = try docs.withUnsafeBufferPointer { dp in
        try freqs.withUnsafeBufferPointer { fp in
            try (hasPositions ? flat : []).withUnsafeBufferPointer { pp in
                try norms.withUnsafeBufferPointer { np in
                    try ser.write(docs: dp, freqs: fp, positions: pp, norms: hasNorms ? np : nil, docOutput: docOut,
                                  posOutput: hasPositions ? posOut : nil)
                }
            }
        }
    }
    try docOut.finish(sync: false)
    try posOut.finish(sync: false)
    return Built(doc: io.contents("f.doc") ?? [], pos: io.contents("f.pos") ?? [], info: info, docs: docs, freqs: freqs, positions: positions,
                 hasPositions: hasPositions, hasNorms: hasNorms)
}

private func iter(_ b: Built, doc: [UInt8]? = nil, pos: [UInt8]? = nil, info: TermInfo? = nil) throws(SegmentError) -> PostingsIterator {
    try PostingsIterator(info: info ?? b.info, docFile: ReadOnlyFile(path: "f.doc", copying: doc ?? b.doc),
                         posFile: b.hasPositions ? ReadOnlyFile(path: "f.pos", copying: pos ?? b.pos) : nil,
                         codec: IdentityCodec(), hasNorms: b.hasNorms, inLanes: true, skipColumns: true)
}

/// Re-encodes the skip columns with 8-byte offsets (the path normal data never takes).
private func widen(_ b: Built) throws -> [UInt8] {
    var input = DataInput(UnsafeRawBufferPointer(start: nil, count: 0), file: "")
    return try b.doc.withUnsafeBytes { raw in
        input = DataInput(raw, file: "f.doc", position: b.info.postingsOffset)
        let length = try input.readVInt(max: raw.count)
        let start = input.position
        let width = try input.readByte()
        precondition(width == 4)
        let n = (Int(b.info.docFreq) + 127) / 128
        var skip = DataOutput()
        skip.writeByte(8)
        for _ in 0..<n { skip.writeUInt32(try input.readUInt32()) }
        for _ in 0..<n { skip.writeUInt64(UInt64(try input.readUInt32())) }
        if b.hasPositions { for _ in 0..<n { skip.writeUInt64(UInt64(try input.readUInt32())) } }
        for _ in 0..<n { skip.writeUInt32(try input.readUInt32()) }
        if b.hasNorms { for _ in 0..<n { skip.writeByte(try input.readByte()) } }
        precondition(input.position == start + length)
        var out = Array(b.doc[0..<b.info.postingsOffset])
        var header = DataOutput()
        header.writeVInt(skip.count)
        out.append(contentsOf: header.bytes)
        out.append(contentsOf: skip.bytes)
        out.append(contentsOf: b.doc[(start + length)...])
        return out
    }
}

/// Runs random operations; returns a description of a violation (nil when fine or a typed error).
private func drive(_ p: inout PostingsIterator, seed: UInt64, check: Built?) -> String? {
    var rng = FuzzRng(state: seed)
    var last: Int32 = -1
    var positions: [UInt32] = []
    var shallow: Int32 = -1
    do {
        for _ in 0..<3000 {
            var op = rng.next(6)
            // After advanceShallow(to: t) the contract is advance(to: >= t).
            if shallow >= 0 && op < 2 { op = 2 }
            let d: Int32
            var target: Int32 = -1
            switch op {
            case 0, 1: d = try p.next()
            case 2, 3:
                target = max(shallow, last + 1 + Int32(rng.next(rng.next(3) == 0 ? 100000 : 300)))
                shallow = -1
                d = try p.advance(to: target)
            case 4:
                let t = last + 1 + Int32(rng.next(20000))
                let bl = try p.advanceShallow(to: max(t, shallow))
                shallow = max(t, shallow)
                _ = bl
                continue
            default:
                if last >= 0 && last != PostingsIterator.noMoreDocs && shallow < 0 {
                    _ = p.freq
                    try p.positions(into: &positions)
                    if let b = check, let i = b.docs.firstIndex(of: UInt32(last)) {
                        if p.freq != Int32(b.freqs[i]) { return "freq \(p.freq) != \(b.freqs[i]) at \(last)" }
                        if b.hasPositions && positions != b.positions[i] { return "positions differ at \(last)" }
                    }
                }
                continue
            }
            if d != PostingsIterator.noMoreDocs || last != PostingsIterator.noMoreDocs {
                if d <= last { return "doc \(d) not above \(last) (op \(op), target \(target))" }
            }
            if target >= 0 && d < target { return "advance(to: \(target)) gave \(d)" }
            if let b = check {
                let want: Int32
                if target >= 0 {
                    want = b.docs.first { Int32($0) >= target }.map { Int32($0) } ?? PostingsIterator.noMoreDocs
                } else {
                    want = b.docs.first { Int32($0) > last }.map { Int32($0) } ?? PostingsIterator.noMoreDocs
                }
                if d != want { return "got \(d), expected \(want) (op \(op), target \(target))" }
            }
            last = d
            if d == PostingsIterator.noMoreDocs { return nil }
        }
    } catch {
        return nil
    }
    return nil
}

@Suite struct SkipColumnsFuzzTests {
    @Test func cleanAndWideMatchTheModel() throws {
        for seed in 0..<120 as Range<UInt64> {
            let b = try buildPostings(seed: seed)
            var p = try iter(b)
            if let v = drive(&p, seed: seed &* 7 &+ 1, check: b) { Issue.record("seed \(seed) clean: \(v)") }
            let wide = try widen(b)
            var w = try iter(b, doc: wide)
            if let v = drive(&w, seed: seed &* 7 &+ 1, check: b) { Issue.record("seed \(seed) wide: \(v)") }
        }
    }

    @Test func damagedBytesNeverTrapOrGoBack() throws {
        var failures = 0
        for seed in 0..<100 as Range<UInt64> {
            let b = try buildPostings(seed: seed)
            var rng = FuzzRng(state: seed ^ 0xABCDEF)
            for round in 0..<20 {
                var doc = b.doc
                var pos = b.pos
                let flips = 1 + rng.next(4)
                for _ in 0..<flips {
                    switch rng.next(5) {
                    case 0, 1:
                        // Inside the skip columns mostly (they start right after the length vint).
                        let i = b.info.postingsOffset + rng.next(min(doc.count - b.info.postingsOffset, 64 + Int(b.info.docFreq) / 8 * 2))
                        doc[i] = UInt8(rng.next(256))
                    case 2:
                        let i = b.info.postingsOffset + rng.next(doc.count - b.info.postingsOffset)
                        doc[i] ^= UInt8(1 << rng.next(8))
                    case 3:
                        if pos.count > 1 { pos[rng.next(pos.count)] = UInt8(rng.next(256)) }
                    default:
                        let i = b.info.postingsOffset + rng.next(doc.count - b.info.postingsOffset)
                        doc[i] = [0, 0xFF, 0x7F, 0x80][rng.next(4)]
                    }
                }
                guard var p = try? iter(b, doc: doc, pos: pos) else { continue }
                if let v = drive(&p, seed: seed &* 131 &+ UInt64(round), check: nil) {
                    failures += 1
                    if failures < 6 { Issue.record("seed \(seed) round \(round): \(v)") }
                }
            }
        }
        #expect(failures == 0)
    }

    /// A full block's decoded documents that pass the skip column's last document send the
    /// cursor back when the next block is decoded from the column's value.
    @Test func lastDocumentBelowTheDecodedBlockSendsTheCursorBack() throws {
        var seed: UInt64 = 0
        var b = try buildPostings(seed: seed)
        while b.info.docFreq < 300 { seed += 1; b = try buildPostings(seed: seed) }
        var doc = b.doc
        // Column 0 (the last document of block 0) follows the length vint and the width byte.
        var input = DataInput(UnsafeRawBufferPointer(start: nil, count: 0), file: "")
        let at = doc.withUnsafeBytes { raw -> Int in
            input = DataInput(raw, file: "", position: b.info.postingsOffset)
            _ = try! input.readVInt()
            return input.position + 1
        }
        // Block 0's real last document is docs[127]; claim it ends at docs[0].
        let fake = b.docs[0]
        for k in 0..<4 { doc[at + k] = UInt8(truncatingIfNeeded: fake >> (8 * UInt32(k))) }
        var p = try iter(b, doc: doc)
        var last: Int32 = -1
        do {
            while true {
                let d = try p.next()
                if d == PostingsIterator.noMoreDocs { break }
                #expect(d > last, "cursor went back: \(d) after \(last)")
                if d <= last { break }
                last = d
            }
        } catch {}
    }

    /// A term whose positions offset is negative (the dictionary's zint bases allow it).
    @Test func negativePositionsOffsetIsCorruption() throws {
        var seed: UInt64 = 1
        var b = try buildPostings(seed: seed)
        while !b.hasPositions { seed += 1; b = try buildPostings(seed: seed) }
        var info = b.info
        info.positionsOffset = -3
        var caught: (any Error)?
        do {
            var p = try iter(b, info: info)
            _ = try p.next()
            var positions: [UInt32] = []
            try p.positions(into: &positions)
        } catch { caught = error }
        #expect(caught is SegmentError)
    }
}
