/// One-byte field-length norms, encoded exactly as tantivy (and Lucene's SmallFloat) encode
/// them, so BM25 scores can match tantivy's to the bit.
///
/// Lengths 0...23 are exact; above, 3 mantissa bits with a growing exponent. `id(for:)` rounds
/// down to the largest table value not above the length.
public enum FieldNorm {
    /// The length each of the 256 ids stands for (ascending).
    public static let table: [UInt32] = (0..<256).map { decode(UInt8($0)) }

    private static func decode(_ b: UInt8) -> UInt32 {
        let identity: UInt8 = 24
        guard b >= identity else { return UInt32(b) }
        let e = b - identity
        let bits = UInt32(e & 0b111)
        let shift = e >> 3
        let part = shift == 0 ? bits : (bits | 8) << UInt32(shift - 1)
        return UInt32(identity) + part
    }

    /// The norm id of a field length (number of tokens).
    @inlinable
    public static func id(for length: UInt32) -> UInt8 {
        if length < 24 { return UInt8(length) }
        var lo = 24, hi = 255
        let t = table
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if t[mid] <= length { lo = mid } else { hi = mid - 1 }
        }
        return UInt8(lo)
    }

    /// The (rounded) length a norm id stands for.
    @inlinable
    public static func length(of id: UInt8) -> UInt32 { table[Int(id)] }
}
