import Core

/// Whoosh's `NgramFilter`: replaces each term by its n-grams of `minSize`...`maxSize` code
/// points (all of them, or only those at the start or end of the word with `at`); grams keep
/// the word's position. Terms shorter than `minSize` are dropped. In query mode only grams of
/// one size, `min(maxSize, length)`, are emitted, as in Whoosh.
struct NgramFilter: TokenFilter {
    enum Anchor: Sendable { case anywhere, start, end }

    let minSize: Int
    let maxSize: Int
    let at: Anchor

    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        scratch.removeAll()
        for i in 0..<tokens.count {
            let token = tokens[i]
            tokens.withTerm(i) { text in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: text.count + 1) { offsets in
                    let length = UTF8Scalars.decode(text, offsets: offsets.baseAddress!, scalars: nil)
                    guard length >= minSize else { return }
                    func emit(_ from: Int, _ to: Int, _ start: Int32, _ end: Int32) {
                        scratch.append(term: UnsafeBufferPointer(rebasing: text[offsets[from]..<offsets[to]]),
                                       position: token.position, startOffset: start, endOffset: end, flags: token.flags)
                    }
                    let startChar = token.startOffset
                    if mode == .query {
                        let size = min(maxSize, length)
                        switch at {
                        case .start: emit(0, size, startChar, startChar + Int32(size))
                        case .end: emit(length - size, length, token.endOffset - Int32(size), token.endOffset)
                        case .anywhere:
                            for start in 0...(length - size) {
                                emit(start, start + size, startChar + Int32(start), startChar + Int32(start + size))
                            }
                        }
                        return
                    }
                    switch at {
                    case .start:
                        let limit = min(maxSize, length)
                        if limit >= minSize {
                            for size in minSize...limit { emit(0, size, startChar, startChar + Int32(size)) }
                        }
                    case .end:
                        let first = max(0, length - maxSize)
                        if first <= length - minSize {
                            for k in first...(length - minSize) { emit(k, length, startChar + Int32(k), token.endOffset) }
                        }
                    case .anywhere:
                        for start in 0...(length - minSize) {
                            var size = minSize
                            while size <= maxSize && start + size <= length {
                                emit(start, start + size, startChar + Int32(start), startChar + Int32(start + size))
                                size += 1
                            }
                        }
                    }
                }
            }
        }
        swap(&tokens, &scratch)
    }
}
