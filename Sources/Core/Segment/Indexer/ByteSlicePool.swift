/// Many growing byte streams in one array (Lucene's ByteBlockPool slices): each stream is a
/// chain of slices of growing size whose last 4 bytes point to the next slice, so appending to
/// one of a million term streams allocates nothing per term.
struct ByteSlicePool: Sendable {
    static let sizes: [Int] = [8, 16, 32, 64, 128, 256, 512, 1024]

    /// Where a stream is: the next byte to write, the end of the current slice's data, the
    /// first slice, and the current slice's level.
    struct Cursor: Sendable {
        var head: Int32 = -1
        var upto: Int32 = 0
        var limit: Int32 = 0
        var level: UInt8 = 0
    }

    private(set) var bytes: [UInt8] = []

    var ramBytes: Int { bytes.count }

    /// Starts a stream.
    mutating func start() -> Cursor {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: Self.sizes[0]))
        return Cursor(head: Int32(start), upto: Int32(start), limit: Int32(start + Self.sizes[0] - 4), level: 0)
    }

    @inline(__always)
    mutating func writeByte(_ b: UInt8, _ c: inout Cursor) {
        if c.upto == c.limit {
            let level = min(Int(c.level) + 1, Self.sizes.count - 1)
            let size = Self.sizes[level]
            let next = Int32(bytes.count)
            bytes.append(contentsOf: repeatElement(0, count: size))
            let at = Int(c.limit)
            bytes[at] = UInt8(truncatingIfNeeded: next)
            bytes[at + 1] = UInt8(truncatingIfNeeded: next >> 8)
            bytes[at + 2] = UInt8(truncatingIfNeeded: next >> 16)
            bytes[at + 3] = UInt8(truncatingIfNeeded: next >> 24)
            c.upto = next
            c.limit = next + Int32(size - 4)
            c.level = UInt8(level)
        }
        bytes[Int(c.upto)] = b
        c.upto += 1
    }

    @inline(__always)
    mutating func writeVInt(_ v: UInt32, _ c: inout Cursor) {
        var v = v
        while v >= 0x80 {
            writeByte(UInt8(truncatingIfNeeded: v) | 0x80, &c)
            v >>= 7
        }
        writeByte(UInt8(v), &c)
    }

    /// Reads a stream back from its head to its end.
    struct Reader {
        let pool: UnsafeBufferPointer<UInt8>
        var position: Int
        var limit: Int
        var level: Int
        let end: Int

        init(pool: UnsafeBufferPointer<UInt8>, cursor: Cursor) {
            self.pool = pool
            position = Int(cursor.head)
            limit = Int(cursor.head) + ByteSlicePool.sizes[0] - 4
            level = 0
            end = Int(cursor.upto)
        }

        var isAtEnd: Bool { position == end }

        @inline(__always)
        mutating func readByte() -> UInt8 {
            if position == limit {
                let next = Int(pool[limit]) | Int(pool[limit + 1]) << 8 | Int(pool[limit + 2]) << 16 | Int(pool[limit + 3]) << 24
                level = min(level + 1, ByteSlicePool.sizes.count - 1)
                position = next
                limit = next + ByteSlicePool.sizes[level] - 4
            }
            let b = pool[position]
            position += 1
            return b
        }

        @inline(__always)
        mutating func readVInt() -> UInt32 {
            var b = readByte()
            var v = UInt32(b & 0x7F)
            var shift: UInt32 = 7
            while b >= 0x80 {
                b = readByte()
                v |= UInt32(b & 0x7F) << shift
                shift += 7
            }
            return v
        }
    }
}
