/// Frame-of-reference bit packing of 32-bit values, LSB first in little-endian 32-bit words:
/// the layout of doc-id deltas, frequencies and positions in blocks of 128.
enum BitPacker {
    /// The number of bits needed for the largest of `values`.
    @inline(__always)
    static func bitsNeeded(_ values: UnsafeBufferPointer<UInt32>) -> Int {
        var or: UInt32 = 0
        for v in values { or |= v }
        return or == 0 ? 0 : 32 - or.leadingZeroBitCount
    }

    /// Bytes used by `count` values of `bits` bits (padded to whole 32-bit words).
    @inline(__always)
    static func byteCount(count: Int, bits: Int) -> Int { ((count * bits + 31) / 32) * 4 }

    /// Appends `values` packed with `bits` bits each.
    static func pack(_ values: UnsafeBufferPointer<UInt32>, bits: Int, into out: inout DataOutput) {
        guard bits > 0 else { return }
        var acc: UInt64 = 0
        var filled = 0
        for v in values {
            acc |= UInt64(v) << UInt64(filled)
            filled += bits
            if filled >= 32 {
                out.writeUInt32(UInt32(truncatingIfNeeded: acc))
                acc >>= 32
                filled -= 32
            }
        }
        if filled > 0 { out.writeUInt32(UInt32(truncatingIfNeeded: acc)) }
    }

    /// Unpacks `count` values of `bits` bits from `source` (which must hold
    /// `byteCount(count:bits:)` bytes, checked by the caller) into `output`.
    @inline(__always)
    static func unpack(_ source: UnsafeRawPointer, count: Int, bits: Int, into output: UnsafeMutablePointer<UInt32>) {
        unpack(source, from: 0, count: count, bits: bits, into: output)
    }

    /// Unpacks `count` values from index `from` of a group of 128 values of `bits` bits at
    /// `source` (which must hold `byteCount(count: 128, bits:)` bytes, checked by the caller;
    /// `from + count <= 128`). Reads no word past the last value's.
    @inline(__always)
    static func unpack(_ source: UnsafeRawPointer, from: Int, count: Int, bits: Int, into output: UnsafeMutablePointer<UInt32>) {
        if bits == 0 {
            output.update(repeating: 0, count: count)
            return
        }
        guard count > 0 else { return }
        let mask: UInt64 = bits == 32 ? 0xFFFF_FFFF : (1 << UInt64(bits)) - 1
        let bitPosition = from * bits
        var p = source + (bitPosition >> 5) * 4
        let shift = bitPosition & 31
        var acc = UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))) >> UInt64(shift)
        p += 4
        var available = 32 - shift
        var i = 0
        while i < count {
            if available < bits {
                acc |= UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))) << UInt64(available)
                p += 4
                available += 32
            }
            output[i] = UInt32(truncatingIfNeeded: acc & mask)
            acc >>= UInt64(bits)
            available -= bits
            i += 1
        }
    }

    /// `unpack(source, count: 128, bits:, into:)` for a source followed by at least 8
    /// readable bytes (checked by the caller): each value is one unaligned 64-bit load at its
    /// byte, a shift and a mask, independent of the others.
    @inline(__always)
    static func unpack128(_ source: UnsafeRawPointer, bits: Int, into output: UnsafeMutablePointer<UInt32>) {
        if bits == 0 {
            output.update(repeating: 0, count: 128)
            return
        }
        let mask: UInt64 = (1 << UInt64(bits)) - 1
        for i in 0..<128 {
            let bit = i &* bits
            let v = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self)) &>> UInt64(bit & 7)
            output[i] = UInt32(truncatingIfNeeded: v & mask)
        }
    }

    /// Value `index` of a group of 128 values of `bits` bits at `source`, followed by at least
    /// 8 readable bytes (as for `unpack128`).
    @inline(__always)
    static func value128(_ source: UnsafeRawPointer, at index: Int, bits: Int) -> UInt32 {
        let bit = index &* bits
        let v = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self)) &>> UInt64(bit & 7)
        return UInt32(truncatingIfNeeded: v & ((1 &<< UInt64(bits)) &- 1))
    }

    /// `unpack128` of doc-id deltas minus one, turned into documents from `last` in the same
    /// pass (`last` becomes the block's last document; cannot overflow: 128 values < 2^32).
    @inline(__always)
    static func unpack128Docs(_ source: UnsafeRawPointer, bits: Int, last: inout Int64, into output: UnsafeMutablePointer<UInt32>) {
        var acc = last
        if bits == 0 {
            for i in 0..<128 {
                acc &+= 1
                output[i] = UInt32(truncatingIfNeeded: acc)
            }
        } else {
            let mask: UInt64 = (1 << UInt64(bits)) - 1
            for i in 0..<128 {
                let bit = i &* bits
                let v = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self)) &>> UInt64(bit & 7)
                acc &+= Int64(v & mask) &+ 1
                output[i] = UInt32(truncatingIfNeeded: acc)
            }
        }
        last = acc
    }

    /// `unpack128` of frequencies minus one, adding the one back; returns their sum.
    @inline(__always)
    static func unpack128Freqs(_ source: UnsafeRawPointer, bits: Int, into output: UnsafeMutablePointer<UInt32>) -> Int {
        if bits == 0 {
            output.update(repeating: 1, count: 128)
            return 128
        }
        let mask: UInt64 = (1 << UInt64(bits)) - 1
        var sum = 0
        for i in 0..<128 {
            let bit = i &* bits
            let v = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self)) &>> UInt64(bit & 7)
            let f = UInt32(truncatingIfNeeded: v & mask) &+ 1
            output[i] = f
            sum &+= Int(f)
        }
        return sum
    }
}
