import Core

/// Whoosh's `RegexTokenizer`: each match of the expression is a token, or with `gaps` the text
/// between matches is.
///
/// Common patterns run on a byte scanner (`WordRunScanner`); any other expression goes to the
/// general engine (`GeneralRegexMatcher`), which is correct but allocates per value.
struct RegexTokenizer: Tokenizer {
    /// Whoosh's default expression: words, and words joined by single dots ("U.S.A", "3.14").
    static let defaultExpression = #"\w+(\.?\w+)*"#

    let pattern: RegexPattern
    let gaps: Bool
    let general: GeneralRegexMatcher?

    /// - Throws: `ConfigError.badValue` at `path` when the expression does not compile.
    init(expression: String = RegexTokenizer.defaultExpression, gaps: Bool = false, path: String = "expression") throws(ConfigError) {
        self.pattern = RegexPattern(expression)
        self.gaps = gaps
        if case .general(let text) = pattern {
            general = try GeneralRegexMatcher(text, path: path)
        } else {
            general = nil
        }
    }

    func tokenize(_ text: UnsafeBufferPointer<UInt8>, mode: AnalysisMode, into output: inout TokenBuffer) {
        // Match mode on a scanner pattern validates as it scans: it stops at the first invalid
        // sequence, and only then is the input repaired and scanned again.
        if !gaps, let (cls, dotted) = pattern.scannerClass {
            let first = output.count
            let scanned = cls.byteTable.withUnsafeBufferPointer { table in
                Self.scanMatches(text, cls: cls, table: table.baseAddress!, dotted: dotted,
                                 arenaBase: output.appendArenaBytes(text), into: &output)
            }
            if scanned { return }
            output.truncate(to: first)
            UTF8Scalars.withValidUTF8(text) { text in
                _ = cls.byteTable.withUnsafeBufferPointer { table in
                    Self.scanMatches(text, cls: cls, table: table.baseAddress!, dotted: dotted,
                                     arenaBase: output.appendArenaBytes(text), into: &output)
                }
            }
            return
        }
        UTF8Scalars.withValidUTF8(text) { text in
            switch pattern {
            case .run(let cls): scanGaps(text, cls: cls, dotted: false, into: &output)
            case .dottedRun(let cls): scanGaps(text, cls: cls, dotted: true, into: &output)
            case .general: general?.tokenize(text, gaps: gaps, into: &output)
            }
        }
    }

    /// Gaps mode: the text between the scanner's matches. The input is copied into the arena
    /// once and every token refers to its slice of that copy (tokens never overlap, so in-place
    /// rewrites stay safe); match mode (`scanMatches`) does the same.
    private func scanGaps(_ text: UnsafeBufferPointer<UInt8>, cls: CharacterClass, dotted: Bool, into output: inout TokenBuffer) {
        cls.byteTable.withUnsafeBufferPointer { table in
            var scanner = WordRunScanner(cls: cls, table: table.baseAddress!, dotted: dotted, text: text)
            let base = output.appendArenaBytes(text)
            var position: Int32 = 0
            func emit(_ from: Int, _ to: Int, _ start: Int, _ end: Int) {
                output.append(sharingTermAt: base + Int32(truncatingIfNeeded: from), length: Int32(truncatingIfNeeded: to - from),
                              position: position, startOffset: Int32(truncatingIfNeeded: start), endOffset: Int32(truncatingIfNeeded: end))
                position += 1
            }
            var prevByte = 0
            var prevCP = 0
            while let m = scanner.next() {
                if m.startByte > prevByte { emit(prevByte, m.startByte, prevCP, m.startCodePoint) }
                prevByte = m.endByte
                prevCP = m.endCodePoint
            }
            if prevByte < text.count { emit(prevByte, text.count, prevCP, scanner.codePoint) }
        }
    }

    /// The match-mode scan as one loop over locals (the hot path of indexing): the code point
    /// count is kept as `i - extra`, where `extra` grows only on multi-byte characters. Runs of
    /// ASCII letters and digits are classified eight bytes at a time (`ASCIIWordMask`) when the
    /// class is `[^\W_]` or `\w`, so a word costs about one unpredictable branch. Returns false,
    /// having appended some tokens, at the first invalid UTF-8 sequence.
    private static func scanMatches(_ text: UnsafeBufferPointer<UInt8>, cls: CharacterClass, table: UnsafePointer<UInt8>, dotted: Bool,
                                    arenaBase: Int32, into output: inout TokenBuffer) -> Bool {
        guard let p = text.baseAddress else { return true }
        let n = text.count
        let swar = cls.wordMask
        var i = 0
        var extra = 0
        var position: Int32 = 0
        var invalid = false
        /// Whether the character at `j` is a member; advances `j` and `extra` past it if so.
        @inline(__always) func consumeMember(_ j: inout Int, _ extra: inout Int) -> Bool {
            let kind = table[Int(p[j])]
            if kind == 1 {
                j += 1
                return true
            }
            if kind == 0 { return false }
            let (s, len) = UTF8Scalars.decode(p, j, n)
            if s == UTF8Scalars.replacement && len == 1 {
                invalid = true
                return false
            }
            guard cls.containsNonASCII(s) else { return false }
            j += len
            extra += len - 1
            return true
        }
        /// Consumes a run of members starting at `i`.
        @inline(__always) func consumeRun(_ i: inout Int, _ extra: inout Int) {
            while i < n {
                if let swar, i + 8 <= n {
                    let word = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                    if word & ASCIIWordMask.high == 0 {
                        let outside = ~swar.members(word) & ASCIIWordMask.high
                        if outside == 0 {
                            i += 8
                            continue
                        }
                        i += outside.trailingZeroBitCount >> 3
                        if table[Int(p[i])] != 2 { return }
                    }
                }
                if !consumeMember(&i, &extra) { return }
            }
        }
        while i < n {
            // Skip non-members, eight ASCII bytes at a time where possible.
            if let swar, i + 8 <= n {
                let word = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                if word & ASCIIWordMask.high == 0 {
                    let inside = swar.members(word)
                    if inside == 0 {
                        i += 8
                        continue
                    }
                    i += inside.trailingZeroBitCount >> 3
                }
            }
            let kind = table[Int(p[i])]
            if kind == 0 {
                i += 1
                continue
            }
            if kind == 2 {
                let (s, len) = UTF8Scalars.decode(p, i, n)
                if s == UTF8Scalars.replacement && len == 1 { return false }
                if !cls.containsNonASCII(s) {
                    i += len
                    extra += len - 1
                    continue
                }
            }
            let start = i
            let startCP = i - extra
            consumeRun(&i, &extra)
            if dotted {
                while !invalid && i + 1 < n && p[i] == 0x2E {
                    var j = i + 1
                    var e = extra
                    guard consumeMember(&j, &e) else { break }
                    i = j
                    extra = e
                    consumeRun(&i, &extra)
                }
            }
            if invalid { return false }
            output.append(sharingTermAt: arenaBase &+ Int32(truncatingIfNeeded: start), length: Int32(truncatingIfNeeded: i - start),
                          position: position, startOffset: Int32(truncatingIfNeeded: startCP), endOffset: Int32(truncatingIfNeeded: i - extra))
            position += 1
        }
        return true
    }
}

/// Classifies eight ASCII bytes at once for the two classes most text fields use, `[^\W_]`
/// (letters and digits) and `\w` (the same plus `_`): exact per-byte range tests with no
/// carries between bytes, valid only when no byte has its high bit set.
struct ASCIIWordMask: Sendable, Equatable {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let high: UInt64 = 0x8080_8080_8080_8080
    let underscore: Bool

    /// nil unless the ASCII members (`low`, `high`: bitmaps of 0..<64 and 64..<128) are
    /// exactly letters and digits (plus `_` or not).
    init?(low: UInt64, high: UInt64) {
        var alnumLow: UInt64 = 0
        var alnumHigh: UInt64 = 0
        for c in UInt32(0)..<128 where (c | 0x20) &- 0x61 < 26 || c &- 0x30 < 10 {
            if c < 64 { alnumLow |= 1 << UInt64(c) } else { alnumHigh |= 1 << UInt64(c - 64) }
        }
        if low == alnumLow && high == alnumHigh {
            underscore = false
        } else if low == alnumLow && high == alnumHigh | (1 << (0x5F - 64)) {
            underscore = true
        } else {
            return nil
        }
    }

    /// The high bit of each byte of `x` (all < 0x80) whose value is in `lo...hi`.
    @inline(__always)
    static func inRange(_ x: UInt64, _ lo: UInt64, _ hi: UInt64) -> UInt64 {
        (x &+ (0x80 - lo) &* ones) & ~(x &+ (0x7F - hi) &* ones) & high
    }

    /// The high bit of each member byte.
    @inline(__always)
    func members(_ x: UInt64) -> UInt64 {
        var m = Self.inRange(x | 0x2020_2020_2020_2020, 0x61, 0x7A) | Self.inRange(x, 0x30, 0x39)
        if underscore {
            let v = x ^ (0x5F &* Self.ones)
            m |= ~(((v & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | v | 0x7F7F_7F7F_7F7F_7F7F)
        }
        return m
    }
}
