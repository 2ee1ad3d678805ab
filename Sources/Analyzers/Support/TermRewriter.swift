import Core

/// Runs a per-term rewrite over a token buffer: in place while results fit in the old term
/// (lowercasing, stemming, stripping nearly always shorten or keep length), falling back to
/// rebuilding the rest of the buffer in `scratch` the first time a result grows.
enum TermRewriter {
    /// - Parameters:
    ///   - capacity: the most bytes `rewrite` may write for a term of the given length.
    ///   - rewrite: writes the new term into its second argument and returns its length, or
    ///     returns nil to keep the term unchanged. Called exactly once per token.
    static func apply(
        _ tokens: inout TokenBuffer, scratch: inout TokenBuffer, capacity: (Int) -> Int,
        _ rewrite: (UnsafeBufferPointer<UInt8>, UnsafeMutableBufferPointer<UInt8>) -> Int?
    ) {
        var index = 0
        var grown = false
        while index < tokens.count {
            tokens.withMutableTerm(index) { term in
                let old = term.count
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, capacity(old))) { out in
                    guard let n = rewrite(UnsafeBufferPointer(term), out) else { return old }
                    if n > old {
                        grown = true
                        return old
                    }
                    if n > 0 {
                        term.baseAddress!.update(from: out.baseAddress!, count: n)
                    }
                    return n
                }
            }
            if grown { break }
            index += 1
        }
        guard grown else { return }
        // Token `index` and the ones after it are not rewritten yet: rebuild from there.
        scratch.removeAll()
        for i in 0..<index { scratch.append(tokens[i], from: tokens) }
        for i in index..<tokens.count {
            let token = tokens[i]
            scratch.startTerm()
            tokens.withTerm(i) { term in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, capacity(term.count))) { out in
                    if let n = rewrite(term, out) {
                        scratch.appendTermBytes(UnsafeBufferPointer(rebasing: out[0..<n]))
                    } else {
                        scratch.appendTermBytes(term)
                    }
                }
            }
            scratch.finishTerm(position: token.position, startOffset: token.startOffset, endOffset: token.endOffset, flags: token.flags)
        }
        swap(&tokens, &scratch)
    }
}
