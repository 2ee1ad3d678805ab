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
        if bits == 0 {
            output.update(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = bits == 32 ? 0xFFFF_FFFF : (1 << UInt64(bits)) - 1
        var acc: UInt64 = 0
        var available = 0
        var p = source
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
}
