import Core

/// Whoosh's `LowercaseFilter` (Python's `str.lower()`). ASCII is lowercased in place in one
/// pass over the whole arena (a tight loop rather than a closure per token: harmless to bytes
/// no token uses); only if a non-ASCII byte is seen are the terms that hold one lowercased
/// with full Unicode mappings, which may lengthen them (see `TermRewriter`). Offsets unchanged.
struct LowercaseFilter: TokenFilter {
    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        let high = tokens.withMutableArena { arena -> UInt8 in
            guard let p = arena.baseAddress else { return 0 }
            var high: UInt8 = 0
            for i in 0..<arena.count {
                let b = p[i]
                high |= b
                p[i] = b &- 0x41 < 26 ? b | 0x20 : b
            }
            return high
        }
        guard high >= 0x80 else { return }
        var anyNonASCII = false
        for i in 0..<tokens.count where !tokens.withTerm(i, UTF8Scalars.isASCII) {
            anyNonASCII = true
            break
        }
        guard anyNonASCII else { return }
        TermRewriter.apply(&tokens, scratch: &scratch, capacity: UnicodeLowercase.capacity) { term, out in
            if UTF8Scalars.isASCII(term) { return nil }
            return UnicodeLowercase.lowercase(term, into: out)
        }
    }
}
