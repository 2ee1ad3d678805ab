import Core

/// Whoosh's `StripFilter`: removes leading and trailing whitespace (Python's `str.strip()`)
/// from each term. Offsets stay those of the unstripped token, as in Whoosh; a term of only
/// whitespace becomes empty and is kept.
struct StripFilter: TokenFilter {
    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        Self.strip(&tokens, from: 0)
    }

    /// Strips the terms of tokens `from...` by narrowing their ranges in the arena.
    static func strip(_ tokens: inout TokenBuffer, from first: Int) {
        for i in first..<tokens.count {
            let token = tokens[i]
            let (lead, kept) = tokens.withTerm(of: token) { term -> (Int, Int) in
                guard let p = term.baseAddress else { return (0, 0) }
                var lo = 0
                var hi = term.count
                while lo < hi {
                    let (s, len) = UTF8Scalars.decode(p, lo, hi)
                    if !PythonCharacterClasses.isSpace(s) { break }
                    lo += len
                }
                while hi > lo {
                    var start = hi - 1
                    while start > lo && p[start] & 0xC0 == 0x80 { start -= 1 }
                    let (s, _) = UTF8Scalars.decode(p, start, hi)
                    if !PythonCharacterClasses.isSpace(s) { break }
                    hi = start
                }
                return (lo, hi - lo)
            }
            if lead != 0 || kept != Int(token.termLength) {
                var t = token
                t.termStart += Int32(lead)
                t.termLength = Int32(kept)
                tokens[i] = t
            }
        }
    }
}
