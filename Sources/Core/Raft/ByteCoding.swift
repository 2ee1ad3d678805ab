/// Little-endian encoding of the Raft records and messages. Small on purpose: the log and the
/// peer protocol only need fixed-width integers and length-prefixed byte strings.
struct ByteWriter {
    var output: [UInt8] = []

    mutating func u8(_ v: UInt8) { output.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { output.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { output.append(contentsOf: $0) } }
    mutating func bytes(_ v: [UInt8]) {
        u32(UInt32(v.count))
        output.append(contentsOf: v)
    }
}

/// Reads what `ByteWriter` wrote; every read returns nil instead of trapping on short input,
/// since the bytes may come from a damaged disk or a hostile peer.
struct ByteReader {
    private let input: [UInt8]
    private(set) var position: Int

    init(_ input: [UInt8], position: Int = 0) {
        self.input = input
        self.position = position
    }

    var isAtEnd: Bool { position == input.count }

    mutating func u8() -> UInt8? {
        guard position < input.count else { return nil }
        defer { position += 1 }
        return input[position]
    }

    mutating func u32() -> UInt32? { integer(UInt32.self) }
    mutating func u64() -> UInt64? { integer(UInt64.self) }

    private mutating func integer<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard input.count - position >= size else { return nil }
        var v: T = 0
        for i in 0..<size { v |= T(input[position + i]) << (8 * i) }
        position += size
        return v
    }

    mutating func bytes() -> [UInt8]? {
        guard let n = u32(), input.count - position >= Int(n) else { return nil }
        return take(Int(n))
    }

    /// The next `n` bytes; the caller checked that they are there.
    mutating func take(_ n: Int) -> [UInt8] {
        defer { position += n }
        return Array(input[position..<position + n])
    }
}

/// LEB128 variable-length integers: the peer protocol sends mostly small numbers (ids, terms,
/// short lengths), which this keeps to a byte or two.
extension ByteWriter {
    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        output.append(UInt8(v))
    }

    /// A varint-length-prefixed byte string.
    mutating func varBytes(_ v: [UInt8]) {
        varint(UInt64(v.count))
        output.append(contentsOf: v)
    }
}

extension ByteReader {
    /// The bytes not read yet.
    var remaining: Int { input.count - position }

    /// nil on truncation and on an encoding longer than 64 bits (never a wrapped value).
    mutating func varint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while let b = u8() {
            if shift == 63 && b > 1 { return nil }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }

    /// A varint-length-prefixed byte string; nil if the length exceeds what is left.
    mutating func varBytes() -> [UInt8]? {
        guard let n = varint(), n <= UInt64(remaining) else { return nil }
        return take(Int(n))
    }
}
