import Core

/// Whoosh's `StopFilter`: drops stop words and terms shorter than `minSize` or longer than
/// `maxSize` code points. With `renumber` the kept tokens get consecutive positions (from the
/// first kept token's), as Whoosh does by default, so phrases ignore the removed words.
struct StopFilter: TokenFilter {
    let stops: ByteStringSet
    let minSize: Int
    let maxSize: Int?
    let renumber: Bool

    init(stoplist: [String], minSize: Int = 2, maxSize: Int? = nil, renumber: Bool = true) {
        self.stops = ByteStringSet(stoplist)
        self.minSize = minSize
        self.maxSize = maxSize
        self.renumber = renumber
    }

    /// Copies the arena once into `scratch` and re-adds the kept tokens there as slices of that
    /// copy (no per-token copy, no closure per token), then swaps.
    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        scratch.removeAll()
        tokens.withArena { arena in
            let base = scratch.appendArenaBytes(arena)
            var position: Int32? = nil
            for i in 0..<tokens.count {
                let token = tokens[i]
                let start = Int(token.termStart)
                let term = UnsafeBufferPointer(rebasing: arena[start..<start + Int(token.termLength)])
                guard keeps(term) else { continue }
                var kept = token.position
                if renumber {
                    if let p = position { kept = p + 1 }
                    position = kept
                }
                scratch.append(sharingTermAt: base + token.termStart, length: token.termLength, position: kept,
                               startOffset: token.startOffset, endOffset: token.endOffset, flags: token.flags)
            }
        }
        swap(&tokens, &scratch)
    }

    @inline(__always)
    private func keeps(_ term: UnsafeBufferPointer<UInt8>) -> Bool {
        if let maxSize {
            let length = UTF8Scalars.codePointCount(term)
            if length < minSize || length > maxSize { return false }
        } else {
            // At least `minSize` characters: step over the first ones by their lead bytes
            // rather than counting the whole term.
            var byte = 0
            var characters = 0
            while characters < minSize && byte < term.count {
                let lead = term[byte]
                byte += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                characters += 1
            }
            if characters < minSize { return false }
        }
        return !stops.contains(term)
    }
}
