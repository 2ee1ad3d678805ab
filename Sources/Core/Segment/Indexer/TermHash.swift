#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interns term bytes to dense ids without a `String` per term: the terms' bytes live in one
/// arena, and an open-addressing table maps hashes to ids. The indexing hot path.
struct TermHash: Sendable {
    private(set) var arena: [UInt8] = []
    /// Per term: `start << 32 | length` of its bytes in the arena (one array, one cache miss).
    private var spans: [UInt64] = []
    /// Open addressing; an entry is `hash << 32 | (id + 1)`, 0 when empty, so a probe compares
    /// hashes without a second cache miss.
    private var table: [UInt64]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { spans.count }

    /// Approximate heap bytes, for the RAM budget.
    var ramBytes: Int { arena.count + table.count * 8 + spans.count * 8 }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        guard let base = bytes.baseAddress else { return UInt32(truncatingIfNeeded: h) }
        while i + 8 <= n {
            h = (h ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 29
        return UInt32(truncatingIfNeeded: h)
    }

    /// The id of `term`, adding it when new (`isNew` tells which).
    @inline(__always)
    mutating func intern(_ term: UnsafeRawBufferPointer) -> (id: Int32, isNew: Bool) {
        let h = Self.hash(term)
        var slot = Int(h) & mask
        while true {
            let entry = table[slot]
            if entry == 0 { break }
            if UInt32(truncatingIfNeeded: entry >> 32) == h {
                let i = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                let span = spans[i]
                if Int(truncatingIfNeeded: span & 0xFFFF_FFFF) == term.count {
                    let equal = arena.withUnsafeBytes { a in
                        term.count == 0 || memcmp(a.baseAddress! + Int(span >> 32), term.baseAddress!, term.count) == 0
                    }
                    if equal { return (Int32(i), false) }
                }
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(spans.count)
        spans.append(UInt64(arena.count) << 32 | UInt64(term.count))
        arena.append(contentsOf: term)
        table[slot] = UInt64(h) << 32 | UInt64(id + 1)
        if spans.count * 2 > table.count { grow() }
        return (id, true)
    }

    private mutating func grow() {
        let size = table.count * 2
        var newTable = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for entry in table where entry != 0 {
            var slot = Int(entry >> 32) & newMask
            while newTable[slot] != 0 { slot = (slot + 1) & newMask }
            newTable[slot] = entry
        }
        table = newTable
        mask = newMask
    }

    /// Calls `body` with the bytes of term `id`.
    @inline(__always)
    func withTerm<R>(_ id: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let span = spans[id]
        let start = Int(span >> 32)
        return try arena.withUnsafeBytes { a in
            try body(UnsafeRawBufferPointer(rebasing: a[start..<start + Int(span & 0xFFFF_FFFF)]))
        }
    }

    /// Term ids in byte order of their terms.
    func sortedIds() -> [Int32] {
        var ids = (0..<Int32(spans.count)).map { $0 }
        arena.withUnsafeBytes { a in
            let base = a.baseAddress
            ids.sort { x, y in
                let px = spans[Int(x)], py = spans[Int(y)]
                let sx = Int(px >> 32), lx = Int(px & 0xFFFF_FFFF)
                let sy = Int(py >> 32), ly = Int(py & 0xFFFF_FFFF)
                let n = min(lx, ly)
                if n > 0, let base {
                    let c = memcmp(base + sx, base + sy, n)
                    if c != 0 { return c < 0 }
                }
                return lx < ly
            }
        }
        return ids
    }
}
