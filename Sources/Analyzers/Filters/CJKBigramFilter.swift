import Core

/// Splits runs of Han, Hiragana, Katakana and Hangul characters into overlapping bigrams
/// ("東京都" -> "東京", "京都"; a lone character stays a unigram), as Lucene's CJKBigramFilter
/// does, so Chinese and Japanese text is searchable without a dictionary: a query analyzed the
/// same way becomes a phrase of bigrams. Not in Whoosh. Parts of a token outside those
/// scripts ("iPhone" in "iPhone用") become tokens of their own. Each emitted token takes the
/// next position, so phrase distances between words are kept.
struct CJKBigramFilter: TokenFilter {
    static func isCJK(_ s: UInt32) -> Bool {
        switch s {
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF65...0xFF9F,
             0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF, 0x20000...0x2FFFF:
            return true
        default:
            return false
        }
    }

    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        scratch.removeAll()
        var lastIn: Int32? = nil
        var lastOut: Int32 = -1
        for i in 0..<tokens.count {
            let token = tokens[i]
            // Keep the gap to the previous token (removed stop words), then number consecutively.
            var next = lastIn.map { lastOut + max(0, token.position - $0) } ?? token.position
            if let lastIn, token.position == lastIn { next = lastOut }  // stacked tokens stay stacked
            lastIn = token.position
            tokens.withTerm(i) { text in
                guard !UTF8Scalars.isASCII(text) else {
                    scratch.append(term: text, position: next, startOffset: token.startOffset, endOffset: token.endOffset, flags: token.flags)
                    lastOut = next
                    return
                }
                withUnsafeTemporaryAllocation(of: Int.self, capacity: text.count + 1) { offsets in
                    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: text.count + 1) { scalars in
                        let n = UTF8Scalars.decode(text, offsets: offsets.baseAddress!, scalars: scalars.baseAddress!)
                        func cjk(_ k: Int) -> Bool { Self.isCJK(scalars[k]) }
                        var position = next
                        var first = true
                        func emit(_ a: Int, _ b: Int) {
                            if !first { position += 1 }
                            first = false
                            scratch.append(term: UnsafeBufferPointer(rebasing: text[offsets[a]..<offsets[b]]), position: position,
                                           startOffset: token.startOffset + Int32(a), endOffset: token.startOffset + Int32(b), flags: token.flags)
                        }
                        var k = 0
                        while k < n {
                            var end = k
                            while end < n && cjk(end) == cjk(k) { end += 1 }
                            if !cjk(k) || end - k == 1 {
                                emit(k, end)
                            } else {
                                for a in k..<(end - 1) { emit(a, a + 2) }
                            }
                            k = end
                        }
                        lastOut = position
                    }
                }
            }
        }
        swap(&tokens, &scratch)
    }
}
