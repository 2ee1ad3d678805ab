/// XXH64 (Yann Collet's xxHash, 64-bit variant), streaming: the checksum in every segment
/// file's footer.
///
/// Chosen over CRC32 because Core links no C library and a pure-Swift XXH64 consumes 8 bytes
/// per multiply (several GB/s in release builds), so verifying every file of a segment when it
/// is first opened costs little next to the mmap itself. It detects bit flips, zeroed ranges and
/// truncation (the length is part of the hash).
public struct Checksum: Sendable {
    @usableFromInline static let p1: UInt64 = 11_400_714_785_074_694_791
    @usableFromInline static let p2: UInt64 = 14_029_467_366_897_019_727
    @usableFromInline static let p3: UInt64 = 1_609_587_929_392_839_161
    @usableFromInline static let p4: UInt64 = 9_650_029_242_287_828_579
    @usableFromInline static let p5: UInt64 = 2_870_177_450_012_600_261

    private var v1: UInt64
    private var v2: UInt64
    private var v3: UInt64
    private var v4: UInt64
    private var total: UInt64 = 0
    /// Up to 31 bytes that do not fill a 32-byte stripe yet.
    private var pending: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var pendingCount = 0

    public init(seed: UInt64 = 0) {
        v1 = seed &+ Self.p1 &+ Self.p2
        v2 = seed &+ Self.p2
        v3 = seed
        v4 = seed &- Self.p1
    }

    @inline(__always)
    private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        var acc = acc &+ input &* p2
        acc = (acc << 31) | (acc >> 33)
        return acc &* p1
    }

    @inline(__always)
    private static func merge(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        let acc = acc ^ round(0, value)
        return acc &* p1 &+ p4
    }

    /// Feeds `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var base = bytes.baseAddress, !bytes.isEmpty else { return }
        var remaining = bytes.count
        total &+= UInt64(remaining)
        if pendingCount > 0 {
            let take = min(32 - pendingCount, remaining)
            withUnsafeMutableBytes(of: &pending) { p in
                p.baseAddress!.advanced(by: pendingCount).copyMemory(from: base, byteCount: take)
            }
            pendingCount += take
            base += take
            remaining -= take
            if pendingCount < 32 { return }
            let (a, b, c, d) = pending
            v1 = Self.round(v1, UInt64(littleEndian: a))
            v2 = Self.round(v2, UInt64(littleEndian: b))
            v3 = Self.round(v3, UInt64(littleEndian: c))
            v4 = Self.round(v4, UInt64(littleEndian: d))
            pendingCount = 0
        }
        var a = v1, b = v2, c = v3, d = v4
        while remaining >= 32 {
            a = Self.round(a, UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)))
            b = Self.round(b, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            c = Self.round(c, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
            d = Self.round(d, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
            base += 32
            remaining -= 32
        }
        v1 = a; v2 = b; v3 = c; v4 = d
        if remaining > 0 {
            withUnsafeMutableBytes(of: &pending) { p in
                p.baseAddress!.copyMemory(from: base, byteCount: remaining)
            }
            pendingCount = remaining
        }
    }

    /// Feeds the bytes of an array.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The hash of everything fed so far (the state is not consumed).
    public func finalize() -> UInt64 {
        var h: UInt64
        if total >= 32 {
            h = ((v1 << 1) | (v1 >> 63)) &+ ((v2 << 7) | (v2 >> 57)) &+ ((v3 << 12) | (v3 >> 52)) &+ ((v4 << 18) | (v4 >> 46))
            h = Self.merge(h, v1)
            h = Self.merge(h, v2)
            h = Self.merge(h, v3)
            h = Self.merge(h, v4)
        } else {
            h = v3 &+ Self.p5
        }
        h &+= total
        var tail = pending
        let count = pendingCount
        withUnsafeBytes(of: &tail) { p in
            var i = 0
            while i + 8 <= count {
                let k = Self.round(0, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                h ^= k
                h = ((h << 27) | (h >> 37)) &* Self.p1 &+ Self.p4
                i += 8
            }
            if i + 4 <= count {
                h ^= UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self))) &* Self.p1
                h = ((h << 23) | (h >> 41)) &* Self.p2 &+ Self.p3
                i += 4
            }
            while i < count {
                h ^= UInt64(p[i]) &* Self.p5
                h = ((h << 11) | (h >> 53)) &* Self.p1
                i += 1
            }
        }
        h ^= h >> 33
        h &*= Self.p2
        h ^= h >> 29
        h &*= Self.p3
        h ^= h >> 32
        return h
    }

    /// The XXH64 of `bytes` with seed 0.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var c = Checksum()
        c.update(bytes)
        return c.finalize()
    }
}
