/// Bit packing of a block of 128 values in four interleaved lanes, the layout of a full
/// postings block's document deltas and frequencies (format version 2 on).
///
/// Value `i` is the `i / 4`-th value of lane `i % 4`; each lane is packed LSB first into 32-bit
/// words, and word `w` of the four lanes sits together in 16 bytes. One 16-byte load then brings
/// the same word of every lane, and every lane needs the same shift, so four values decode per
/// SIMD instruction with nothing beyond SSE2 or NEON (the layout of Lemire's SIMD-BP128 and of
/// tantivy's BitPacker4x). The sequential layout of `BitPacker` needs a different shift per
/// value, which no baseline vector unit has; decoding 128 documents this way takes well under
/// half the time. A block of `bits`-bit values is `bits * 16` bytes, as sequentially.
enum LanePacker {
    typealias Lanes = SIMD4<UInt32>

    /// Bytes used by 128 values of `bits` bits.
    @inline(__always)
    static func byteCount(bits: Int) -> Int { bits * 16 }

    /// Appends the 128 `values` packed with `bits` bits each.
    static func pack(_ values: UnsafeBufferPointer<UInt32>, bits: Int, into out: inout DataOutput) {
        precondition(values.count == 128 && bits <= 32)
        guard bits > 0 else { return }
        var words = [UInt32](repeating: 0, count: bits * 4)
        for lane in 0..<4 {
            var bit = 0
            for k in 0..<32 {
                let v = UInt64(values[4 * k + lane])
                let w = bit >> 5
                let shift = bit & 31
                words[4 * w + lane] |= UInt32(truncatingIfNeeded: v << UInt64(shift))
                if shift + bits > 32 { words[4 * (w + 1) + lane] |= UInt32(truncatingIfNeeded: v >> UInt64(32 - shift)) }
                bit += bits
            }
        }
        for w in words { out.writeUInt32(w) }
    }

    /// The four values `4k ..< 4k + 4` (the `k`-th of each lane) of a block of `bits`-bit values
    /// at `source` (`byteCount(bits:)` readable bytes; reads none past them).
    @inline(__always)
    private static func lanes(_ source: UnsafeRawPointer, _ k: Int, bits: Int, mask: Lanes) -> Lanes {
        let bit = k &* bits
        let w = bit &>> 5
        let shift = UInt32(truncatingIfNeeded: bit & 31)
        var v = source.loadUnaligned(fromByteOffset: w &<< 4, as: Lanes.self) &>> shift
        if Int(shift) &+ bits > 32 {
            v |= source.loadUnaligned(fromByteOffset: (w &+ 1) &<< 4, as: Lanes.self) &<< (32 &- shift)
        }
        return v & mask
    }

    @inline(__always)
    private static func mask(bits: Int) -> Lanes {
        Lanes(repeating: bits >= 32 ? .max : (1 &<< UInt32(truncatingIfNeeded: bits)) &- 1)
    }

    /// Unpacks the 128 values of `bits` bits (0 to 32) at `source` into `output`.
    static func unpack(_ source: UnsafeRawPointer, bits: Int, into output: UnsafeMutablePointer<UInt32>) {
        guard bits > 0 else {
            output.update(repeating: 0, count: 128)
            return
        }
        let m = mask(bits: bits)
        let out = UnsafeMutableRawPointer(output)
        for k in 0..<32 {
            out.storeBytes(of: lanes(source, k, bits: bits, mask: m), toByteOffset: k &<< 4, as: Lanes.self)
        }
    }

    /// Unpacks 128 frequencies stored minus one, adding the one back; returns their sum.
    static func unpackFreqs(_ source: UnsafeRawPointer, bits: Int, into output: UnsafeMutablePointer<UInt32>) -> Int {
        guard bits > 0 else {
            output.update(repeating: 1, count: 128)
            return 128
        }
        let m = mask(bits: bits)
        let out = UnsafeMutableRawPointer(output)
        let one = Lanes(repeating: 1)
        // Each lane sums 32 values below 2^32: UInt64 lanes cannot overflow.
        var sum = SIMD4<UInt64>(repeating: 0)
        for k in 0..<32 {
            let v = lanes(source, k, bits: bits, mask: m) &+ one
            out.storeBytes(of: v, toByteOffset: k &<< 4, as: Lanes.self)
            sum &+= SIMD4<UInt64>(truncatingIfNeeded: v)
        }
        return Int(truncatingIfNeeded: sum.wrappedSum())
    }

    /// Unpacks 128 document deltas stored minus one and turns them into documents from `last`
    /// (the previous block's last document, -1 for none), which becomes this block's last.
    ///
    /// Deltas of up to 24 bits go four at a time, with a prefix sum inside each 16-byte group and
    /// the running total carried between groups: 128 of them add at most 2^31, so from a
    /// `last` below 2^31 no value wraps and every document is exact and above the one before.
    /// Wider deltas (a huge sparse segment, or a damaged file) are summed one by one in 64 bits,
    /// so that the caller's overflow check sees the true last document.
    static func unpackDocs(_ source: UnsafeRawPointer, bits: Int, last: inout Int64, into output: UnsafeMutablePointer<UInt32>) {
        guard bits <= 24, last < Int64(Int32.max) else {
            unpack(source, bits: bits, into: output)
            var acc = last
            for i in 0..<128 {
                acc &+= Int64(output[i]) &+ 1
                output[i] = UInt32(truncatingIfNeeded: acc)
            }
            last = acc
            return
        }
        let m = mask(bits: bits)
        let out = UnsafeMutableRawPointer(output)
        let one = Lanes(repeating: 1)
        var carry = Lanes(repeating: UInt32(truncatingIfNeeded: last))
        for k in 0..<32 {
            var v = (bits == 0 ? Lanes() : lanes(source, k, bits: bits, mask: m)) &+ one
            v &+= Lanes(0, v[0], v[1], v[2])
            v &+= Lanes(0, 0, v[0], v[1])
            v &+= carry
            carry = Lanes(repeating: v[3])
            out.storeBytes(of: v, toByteOffset: k &<< 4, as: Lanes.self)
        }
        last = Int64(carry[3])
    }

    /// Value `index` (0 to 127) of a block of `bits`-bit values at `source`, without unpacking
    /// the others (a conjunction reads the frequencies of the few documents every clause shares).
    @inline(__always)
    static func value(_ source: UnsafeRawPointer, at index: Int, bits: Int) -> UInt32 {
        guard bits > 0 else { return 0 }
        let bit = (index &>> 2) &* bits
        let w = bit &>> 5
        let shift = UInt64(truncatingIfNeeded: bit & 31)
        let offset = (w &<< 4) &+ ((index & 3) &<< 2)
        var v = UInt64(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) &>> shift
        if Int(shift) &+ bits > 32 {
            v |= UInt64(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: offset &+ 16, as: UInt32.self))) &<< (32 &- shift)
        }
        return UInt32(truncatingIfNeeded: v & ((1 &<< UInt64(truncatingIfNeeded: bits)) &- 1))
    }
}
