import Testing
@testable import Core

/// `LanePacker` against plain arithmetic: every width, value ranges at the width's edge,
/// documents from the first block (`last` -1) and from far into a segment, and the wide-delta
/// path that sums in 64 bits.
@Suite struct LanePackerTests {
    /// Packs `values` and hands the packed bytes (exactly `byteCount`, no slack) to `body`.
    func packed<R>(_ values: [UInt32], bits: Int, _ body: (UnsafeRawPointer) -> R) -> R {
        var out = DataOutput()
        values.withUnsafeBufferPointer { LanePacker.pack($0, bits: bits, into: &out) }
        #expect(out.bytes.count == LanePacker.byteCount(bits: bits))
        // An exact-size allocation: a read past the block reads outside it (an address-sanitizer
        // build reports it; plain builds only if it crosses into an unmapped page).
        let exact = UnsafeMutableRawBufferPointer.allocate(byteCount: max(out.bytes.count, 1), alignment: 1)
        defer { exact.deallocate() }
        out.bytes.withUnsafeBytes { exact.copyMemory(from: $0) }
        return body(UnsafeRawPointer(exact.baseAddress!))
    }

    func randomValues(bits: Int, rng: inout SplitMix64) -> [UInt32] {
        (0..<128).map { i in
            guard bits > 0 else { return 0 }
            let top: UInt64 = bits == 32 ? UInt64(UInt32.max) : (1 << UInt64(bits)) - 1
            // Every fourth value at the top of the range: the bits that cross a word boundary.
            return i % 4 == 3 ? UInt32(top) : UInt32(rng.next() % (top + 1))
        }
    }

    @Test func everyWidthRoundTrips() {
        var rng = SplitMix64(seed: 7)
        for bits in 0...32 {
            let values = randomValues(bits: bits, rng: &rng)
            let (plain, freqs, sum, single) = packed(values, bits: bits) { src -> ([UInt32], [UInt32], Int, [UInt32]) in
                var plain = [UInt32](repeating: 9, count: 128)
                var freqs = [UInt32](repeating: 9, count: 128)
                plain.withUnsafeMutableBufferPointer { LanePacker.unpack(src, bits: bits, into: $0.baseAddress!) }
                let sum = freqs.withUnsafeMutableBufferPointer { LanePacker.unpackFreqs(src, bits: bits, into: $0.baseAddress!) }
                return (plain, freqs, sum, (0..<128).map { LanePacker.value(src, at: $0, bits: bits) })
            }
            #expect(plain == values, "bits \(bits)")
            #expect(single == values, "bits \(bits)")
            #expect(freqs == values.map { $0 &+ 1 }, "bits \(bits)")
            #expect(sum == values.reduce(0) { $0 + Int($1 &+ 1) }, "bits \(bits)")
        }
    }

    @Test(arguments: [Int64(-1), 0, 1_000_000, Int64(Int32.max) - 200_000_000])
    func documentsAreThePrefixSumsOfTheDeltas(from start: Int64) {
        var rng = SplitMix64(seed: UInt64(bitPattern: start) &+ 11)
        for bits in 0...32 {
            let deltas = randomValues(bits: bits, rng: &rng)
            var expected: [Int64] = []
            var acc = start
            for d in deltas {
                acc += Int64(d) + 1
                expected.append(acc)
            }
            var last = start
            let docs = packed(deltas, bits: bits) { src -> [UInt32] in
                var docs = [UInt32](repeating: 0, count: 128)
                docs.withUnsafeMutableBufferPointer { LanePacker.unpackDocs(src, bits: bits, last: &last, into: $0.baseAddress!) }
                return docs
            }
            // The true last document, even where it passes 2^31 (the caller then reports overflow).
            #expect(last == expected.last, "bits \(bits) from \(start)")
            if acc < Int64(Int32.max) {
                #expect(docs == expected.map { UInt32(truncatingIfNeeded: $0) }, "bits \(bits) from \(start)")
            }
        }
    }

    @Test func theLayoutIsLanesOfWords() {
        // Value i is the (i / 4)-th of lane i % 4; lane words interleave: with 1 bit, word 0 of
        // lane 0 holds values 0, 4, 8, ... in its bits 0, 1, 2, ...
        var values = [UInt32](repeating: 0, count: 128)
        values[0] = 1
        values[8] = 1
        values[5] = 1
        var out = DataOutput()
        values.withUnsafeBufferPointer { LanePacker.pack($0, bits: 1, into: &out) }
        #expect(out.bytes == [0b101, 0, 0, 0, 0b10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }
}
