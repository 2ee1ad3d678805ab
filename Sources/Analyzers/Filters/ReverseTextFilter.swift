import Core

/// Whoosh's `ReverseTextFilter`: each term's characters (code points) in reverse order, for
/// indexing suffixes as prefixes.
struct ReverseTextFilter: TokenFilter {
    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        for i in 0..<tokens.count {
            tokens.withMutableTerm(i) { term in
                guard let p = term.baseAddress, term.count > 1 else { return term.count }
                // Reverse all bytes, then put each multi-byte sequence back in order.
                Self.reverse(p, 0, term.count - 1)
                var j = 0
                while j < term.count {
                    var k = j
                    while k < term.count && p[k] & 0xC0 == 0x80 { k += 1 }
                    if k > j && k < term.count { Self.reverse(p, j, k) }
                    j = k + 1
                }
                return term.count
            }
        }
    }

    private static func reverse(_ p: UnsafeMutablePointer<UInt8>, _ from: Int, _ to: Int) {
        var a = from
        var b = to
        while a < b {
            let t = p[a]
            p[a] = p[b]
            p[b] = t
            a += 1
            b -= 1
        }
    }
}
