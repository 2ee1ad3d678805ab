/// Packs unsigned values of up to 64 bits, LSB first, followed by 8 bytes of padding so that
/// any value is read with one or two unaligned 64-bit loads.
enum LongPacker {
    static func bitsNeeded(_ maxValue: UInt64) -> Int { maxValue == 0 ? 0 : 64 - maxValue.leadingZeroBitCount }

    static func byteCount(count: Int, bits: Int) -> Int { (count * bits + 7) / 8 + 8 }

    static func pack(_ values: [UInt64], bits: Int, into out: inout DataOutput) {
        var acc: UInt64 = 0
        var filled = 0
        if bits > 0 {
            for v in values {
                let v = bits == 64 ? v : v & ((1 << UInt64(bits)) - 1)
                acc |= v << UInt64(filled)
                let room = 64 - filled
                if bits >= room {
                    out.writeUInt64(acc)
                    acc = room == 64 ? 0 : v >> UInt64(room)
                    filled = bits - room
                } else {
                    filled += bits
                }
            }
        }
        // The partial word, then padding, trimmed to byteCount.
        let written = (values.count * bits) / 64 * 8
        var tail = DataOutput()
        tail.writeUInt64(acc)
        tail.writeUInt64(0)
        let total = byteCount(count: values.count, bits: bits)
        out.writeBytes(tail.bytes[0..<(total - written)])
    }

    @inline(__always)
    static func get(_ base: UnsafeRawPointer, index: Int, bits: Int) -> UInt64 {
        guard bits > 0 else { return 0 }
        let bit = index * bits
        let byte = bit >> 3
        let shift = UInt64(bit & 7)
        var v = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) >> shift
        if UInt64(bits) + shift > 64 {
            v |= UInt64(base.load(fromByteOffset: byte + 8, as: UInt8.self)) << (64 - shift)
        }
        return bits == 64 ? v : v & ((1 << UInt64(bits)) - 1)
    }
}

/// Columns of non-text values, built per segment in memory by the segment writer (and by
/// merges) and written to the `.dv` file.
///
/// Numeric section: `u8 1, vint missingCount, zint min, u8 bits, [presence bitmap words when
/// missingCount > 0], packed (value - min)`. Keyword section: `u8 2, vint termCount, the
/// sorted distinct terms (length-prefixed), vint ordCount, u8 bits, packed per-doc start
/// offsets (maxDoc + 1), u8 bits, packed ordinals`.
struct DocValuesWriter {
    static let kind = "doc-values"

    static func writeNumeric(values: [Int64], present: [Bool], to output: IndexOutput) throws {
        var out = DataOutput(capacity: values.count * 2 + 64)
        out.writeByte(SegmentFieldInfo.DocValuesKind.numeric.rawValue)
        let missing = present.lazy.filter { !$0 }.count
        var minValue = Int64.max, maxValue = Int64.min
        for (v, p) in zip(values, present) where p {
            minValue = min(minValue, v)
            maxValue = max(maxValue, v)
        }
        if minValue > maxValue { minValue = 0; maxValue = 0 }
        out.writeVInt(missing)
        out.writeZInt(minValue)
        let span = UInt64(bitPattern: maxValue &- minValue)
        let bits = LongPacker.bitsNeeded(span)
        out.writeByte(UInt8(bits))
        if missing > 0 {
            var words = [UInt64](repeating: 0, count: (values.count + 63) / 64)
            for (i, p) in present.enumerated() where p { words[i >> 6] |= 1 << UInt64(i & 63) }
            for w in words { out.writeUInt64(w) }
        }
        let shifted = zip(values, present).map { v, p in p ? UInt64(bitPattern: v &- minValue) : 0 }
        LongPacker.pack(shifted, bits: bits, into: &out)
        try output.write(out)
    }

    static func writeKeywords(perDoc: [[[UInt8]]], to output: IndexOutput) throws {
        var out = DataOutput(capacity: 1024)
        out.writeByte(SegmentFieldInfo.DocValuesKind.keywords.rawValue)
        var distinct = Set<[UInt8]>()
        for values in perDoc { for v in values { distinct.insert(v) } }
        let terms = distinct.sorted { compareBytes($0, $1) < 0 }
        var ordinal: [[UInt8]: Int] = [:]
        for (i, t) in terms.enumerated() { ordinal[t] = i }
        out.writeVInt(terms.count)
        for t in terms { out.writeLengthPrefixed(t) }
        var starts: [UInt64] = [0]
        var ords: [UInt64] = []
        for values in perDoc {
            let docOrds = Set(values.compactMap { ordinal[$0] }).sorted()
            ords.append(contentsOf: docOrds.map { UInt64($0) })
            starts.append(UInt64(ords.count))
        }
        out.writeVInt(ords.count)
        let startBits = LongPacker.bitsNeeded(UInt64(ords.count))
        out.writeByte(UInt8(startBits))
        LongPacker.pack(starts, bits: startBits, into: &out)
        let ordBits = LongPacker.bitsNeeded(UInt64(max(terms.count - 1, 0)))
        out.writeByte(UInt8(ordBits))
        LongPacker.pack(ords, bits: ordBits, into: &out)
        try output.write(out)
    }
}

/// Order-preserving conversions of non-integer values to the Int64 a numeric column holds.
public enum DocValueEncoding {
    /// A double as an Int64 whose signed order is the double's order (NaN sorts last).
    public static func sortable(_ d: Double) -> Int64 {
        let bits = Int64(bitPattern: d.bitPattern)
        return bits < 0 ? bits ^ Int64.max : bits
    }

    /// The inverse of `sortable(_:)`.
    public static func double(fromSortable v: Int64) -> Double {
        let bits = v < 0 ? v ^ Int64.max : v
        return Double(bitPattern: UInt64(bitPattern: bits))
    }
}
