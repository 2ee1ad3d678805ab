/// A growable little-endian byte buffer with variable-length integers: how every segment
/// structure is encoded before it goes to a file.
public struct DataOutput: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inlinable public var count: Int { bytes.count }

    @inlinable
    public mutating func writeByte(_ v: UInt8) { bytes.append(v) }

    @inlinable
    public mutating func writeUInt16(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    @inlinable
    public mutating func writeUInt32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inlinable
    public mutating func writeUInt64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// LEB128: 7 bits a byte, low bits first.
    @inlinable
    public mutating func writeVInt(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inlinable
    public mutating func writeVInt(_ v: Int) { writeVInt(UInt64(bitPattern: Int64(v))) }

    /// Zig-zag encoded signed integer (small magnitudes stay short).
    @inlinable
    public mutating func writeZInt(_ v: Int64) {
        writeVInt(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    @inlinable
    public mutating func writeBytes(_ v: UnsafeRawBufferPointer) { bytes.append(contentsOf: v) }

    @inlinable
    public mutating func writeBytes(_ v: [UInt8]) { bytes.append(contentsOf: v) }

    @inlinable
    public mutating func writeBytes(_ v: ArraySlice<UInt8>) { bytes.append(contentsOf: v) }

    /// A length-prefixed byte string.
    public mutating func writeLengthPrefixed(_ v: [UInt8]) {
        writeVInt(v.count)
        bytes.append(contentsOf: v)
    }

    /// A length-prefixed UTF-8 string.
    public mutating func writeString(_ s: String) { writeLengthPrefixed(Array(s.utf8)) }

    @inlinable
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
}

/// A bounds-checked little-endian cursor over immutable bytes (usually an mmapped file).
///
/// Every read checks the remaining length and throws `StoreError.corrupt` naming the file and
/// offset, so a damaged file is a clean error, never a read past the mapping.
public struct DataInput {
    public let bytes: UnsafeRawBufferPointer
    public var position: Int
    /// The file name reported in errors.
    public let file: String

    public init(_ bytes: UnsafeRawBufferPointer, file: String, position: Int = 0) {
        self.bytes = bytes
        self.file = file
        self.position = position
    }

    public var remaining: Int { bytes.count - position }
    public var isAtEnd: Bool { position >= bytes.count }

    public func corrupt(_ reason: String) -> StoreError {
        .corrupt(path: file, offset: position, reason: reason)
    }

    @inlinable
    mutating func need(_ n: Int) throws(StoreError) {
        if n < 0 || position < 0 || n > bytes.count - position {
            throw StoreError.corrupt(path: file, offset: position, reason: "read of \(n) bytes past the end (\(bytes.count))")
        }
    }

    @inlinable
    public mutating func readByte() throws(StoreError) -> UInt8 {
        try need(1)
        let v = bytes[position]
        position += 1
        return v
    }

    public mutating func readUInt16() throws(StoreError) -> UInt16 {
        try need(2)
        let v = UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
        position += 2
        return v
    }

    public mutating func readUInt32() throws(StoreError) -> UInt32 {
        try need(4)
        let v = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        position += 4
        return v
    }

    public mutating func readUInt64() throws(StoreError) -> UInt64 {
        try need(8)
        let v = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        position += 8
        return v
    }

    @inlinable
    public mutating func readVInt() throws(StoreError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position >= 0 && position < bytes.count else {
                throw StoreError.corrupt(path: file, offset: position, reason: "truncated variable-length integer")
            }
            let b = bytes[position]
            position += 1
            // The tenth byte may carry only the 64th bit: more would be silently dropped.
            if shift == 63 && b > 1 { throw StoreError.corrupt(path: file, offset: position, reason: "variable-length integer too long") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw StoreError.corrupt(path: file, offset: position, reason: "variable-length integer too long") }
        }
    }

    /// A vint that must fit a non-negative Int no larger than `limit`.
    @inlinable
    public mutating func readVInt(max limit: Int) throws(StoreError) -> Int {
        let v = try readVInt()
        guard v <= UInt64(limit) else {
            throw StoreError.corrupt(path: file, offset: position, reason: "value \(v) exceeds \(limit)")
        }
        return Int(v)
    }

    public mutating func readZInt() throws(StoreError) -> Int64 {
        let v = try readVInt()
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    /// `n` bytes as a view into the underlying memory.
    public mutating func readSlice(_ n: Int) throws(StoreError) -> UnsafeRawBufferPointer {
        try need(n)
        let s = UnsafeRawBufferPointer(rebasing: bytes[position..<position + n])
        position += n
        return s
    }

    public mutating func readLengthPrefixed(max limit: Int = 1 << 30) throws(StoreError) -> [UInt8] {
        let n = try readVInt(max: limit)
        return Array(try readSlice(n))
    }

    public mutating func readString(max limit: Int = 1 << 20) throws(StoreError) -> String {
        String(decoding: try readLengthPrefixed(max: limit), as: UTF8.self)
    }

    public mutating func seek(_ offset: Int) throws(StoreError) {
        guard offset >= 0 && offset <= bytes.count else {
            throw StoreError.corrupt(path: file, offset: position, reason: "offset \(offset) outside the file (\(bytes.count))")
        }
        position = offset
    }
}
