/// Finds the matches of a `RegexPattern.run` or `.dottedRun` pattern in UTF-8 bytes, left to
/// right as Python's `finditer` does, counting code points as it goes so offsets come free.
/// Gaps mode uses it; match mode, the indexing hot path, has its own fused loop
/// (`RegexTokenizer.scanMatches`).
///
/// ASCII bytes are classified with one table load; other scalars are decoded and classified
/// with Python's Unicode semantics. The input must be valid UTF-8 (`UTF8Scalars.withValidUTF8`),
/// and `table` (the class's `byteTable`) must outlive the scanner.
struct WordRunScanner {
    let cls: CharacterClass
    let table: UnsafePointer<UInt8>
    /// Whether single dots between runs join them (`\w+(\.?\w+)*`).
    let dotted: Bool
    let base: UnsafePointer<UInt8>
    let end: Int
    /// The next byte to look at, and its code point index.
    var byte = 0
    var codePoint = 0

    init(cls: CharacterClass, table: UnsafePointer<UInt8>, dotted: Bool, text: UnsafeBufferPointer<UInt8>) {
        self.cls = cls
        self.table = table
        self.dotted = dotted
        // An empty buffer may have no base address; any non-nil pointer works as `end` is 0.
        self.base = text.baseAddress ?? UnsafePointer(bitPattern: 1)!
        self.end = text.count
    }

    /// Whether the scalar at byte `i` is in the class, and its length.
    @inline(__always)
    func member(at i: Int) -> (Bool, Int) {
        let kind = table[Int(base[i])]
        if kind < 2 { return (kind == 1, 1) }
        let (s, len) = UTF8Scalars.decode(base, i, end)
        return (cls.containsNonASCII(s), len)
    }

    /// The next match: byte range and code point range. Advances past it.
    @inline(__always)
    mutating func next() -> (startByte: Int, startCodePoint: Int, endByte: Int, endCodePoint: Int)? {
        var i = byte
        var cp = codePoint
        // Skip to the first member.
        while i < end {
            let kind = table[Int(base[i])]
            if kind == 1 { break }
            if kind == 0 {
                i += 1
            } else {
                let (s, len) = UTF8Scalars.decode(base, i, end)
                if cls.containsNonASCII(s) { break }
                i += len
            }
            cp += 1
        }
        if i >= end {
            byte = i
            codePoint = cp
            return nil
        }
        let startByte = i
        let startCP = cp
        while true {
            // Consume a run.
            while i < end {
                let kind = table[Int(base[i])]
                if kind == 1 {
                    i += 1
                } else if kind == 0 {
                    break
                } else {
                    let (s, len) = UTF8Scalars.decode(base, i, end)
                    if !cls.containsNonASCII(s) { break }
                    i += len
                }
                cp += 1
            }
            // A single dot followed by a member continues the match.
            if dotted, i + 1 < end, base[i] == 0x2E, member(at: i + 1).0 {
                i += 1
                cp += 1
                continue
            }
            break
        }
        byte = i
        codePoint = cp
        return (startByte, startCP, i, cp)
    }
}
