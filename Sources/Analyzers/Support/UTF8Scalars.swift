import Core

/// UTF-8 decoding and encoding over raw bytes, for the tokenizers and filters that walk terms
/// without making `String`s. Invalid sequences decode as U+FFFD one byte at a time, so offsets
/// stay defined for any input (a valid `String` never has them).
enum UTF8Scalars {
    static let replacement: UInt32 = 0xFFFD

    /// Decodes the scalar at `i` (which must be `< end`): its value and byte length.
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (scalar: UInt32, length: Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xC2 { return (replacement, 1) }
        if b0 < 0xE0 {
            guard i + 1 < end, p[i + 1] & 0xC0 == 0x80 else { return (replacement, 1) }
            return ((b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2)
        }
        if b0 < 0xF0 {
            guard i + 2 < end, p[i + 1] & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80 else { return (replacement, 1) }
            let s = (b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F)
            if s < 0x800 || (s >= 0xD800 && s <= 0xDFFF) { return (replacement, 1) }
            return (s, 3)
        }
        if b0 < 0xF5 {
            guard i + 3 < end, p[i + 1] & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80, p[i + 3] & 0xC0 == 0x80 else {
                return (replacement, 1)
            }
            let s = (b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6 | UInt32(p[i + 3] & 0x3F)
            if s < 0x10000 || s > 0x10FFFF { return (replacement, 1) }
            return (s, 4)
        }
        return (replacement, 1)
    }

    /// Number of bytes `scalar` takes in UTF-8.
    @inline(__always)
    static func encodedLength(_ scalar: UInt32) -> Int {
        scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4
    }

    /// Writes `scalar` at `out` (room for 4 bytes) and returns the number of bytes written.
    @inline(__always)
    static func encode(_ scalar: UInt32, to out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            out[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            out[0] = UInt8(0xC0 | scalar >> 6)
            out[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            out[0] = UInt8(0xE0 | scalar >> 12)
            out[1] = UInt8(0x80 | (scalar >> 6) & 0x3F)
            out[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            out[0] = UInt8(0xF0 | scalar >> 18)
            out[1] = UInt8(0x80 | (scalar >> 12) & 0x3F)
            out[2] = UInt8(0x80 | (scalar >> 6) & 0x3F)
            out[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }

    /// Appends `scalar` to the pending term of `buffer`.
    @inline(__always)
    static func append(_ scalar: UInt32, to buffer: inout TokenBuffer) {
        if scalar < 0x80 {
            buffer.appendTermByte(UInt8(scalar))
            return
        }
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let n = encode(scalar, to: p)
            buffer.appendTermBytes(UnsafeBufferPointer(start: p, count: n))
        }
    }

    /// Number of code points in `bytes` (what Python's `len` gives for the same text): the
    /// bytes that do not continue a sequence. `bytes` must be valid UTF-8, as every term after
    /// a tokenizer is.
    @inline(__always)
    static func codePointCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for b in bytes where b & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Whether every byte is ASCII.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in bytes where b >= 0x80 { return false }
        return true
    }

    /// Decodes `bytes` into scalars at `out` (room for `bytes.count` scalars); returns how many.
    static func decodeAll(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt32>) -> Int {
        guard let p = bytes.baseAddress else { return 0 }
        var i = 0
        var n = 0
        while i < bytes.count {
            let (s, len) = decode(p, i, bytes.count)
            out[n] = s
            n += 1
            i += len
        }
        return n
    }
}

extension UTF8Scalars {
    /// Whether `bytes` is well-formed UTF-8; eight ASCII bytes at a time.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            if p[i] < 0x80 {
                i += 1
                continue
            }
            let (s, len) = decode(p, i, n)
            if s == replacement && len == 1 { return false }
            i += len
        }
        return true
    }

    /// Calls `body` with `bytes` if they are valid UTF-8, else with a repaired copy (invalid
    /// sequences replaced by U+FFFD, as `String(decoding:)` does), so that tokenizers emit
    /// only valid terms and every later stage may assume valid UTF-8.
    @inline(__always)
    static func withValidUTF8<R>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if isValid(bytes) { return body(bytes) }
        var repaired = String(decoding: bytes, as: UTF8.self)
        return repaired.withUTF8 { body($0) }
    }
}

extension UTF8Scalars {
    /// Decodes `text` noting where each code point starts: `offsets[k]` for code point k and
    /// `offsets[count]` = `text.count`; `scalars[k]` is its value when `scalars` is given. Both
    /// need room for `text.count + 1`. Returns the number of code points. For filters that
    /// slice terms by characters (n-grams, word parts, bigrams).
    static func decode(_ text: UnsafeBufferPointer<UInt8>, offsets: UnsafeMutablePointer<Int>, scalars: UnsafeMutablePointer<UInt32>?) -> Int {
        var n = 0
        var byte = 0
        if let p = text.baseAddress {
            while byte < text.count {
                let (s, len) = decode(p, byte, text.count)
                scalars?[n] = s
                offsets[n] = byte
                n += 1
                byte += len
            }
        }
        offsets[n] = text.count
        return n
    }
}
