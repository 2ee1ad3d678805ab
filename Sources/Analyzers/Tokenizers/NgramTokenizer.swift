import Core

/// Whoosh's `NgramTokenizer`: every run of `minSize`...`maxSize` characters of the whole value
/// (grams starting at the same character share a position). In query mode only grams of one
/// size, `min(maxSize, length)`, so that a query matches indexed grams without the noise of
/// the shorter ones; an empty query value gives one empty token, as in Whoosh.
struct NgramTokenizer: Tokenizer {
    let minSize: Int
    let maxSize: Int

    func tokenize(_ text: UnsafeBufferPointer<UInt8>, mode: AnalysisMode, into output: inout TokenBuffer) {
        UTF8Scalars.withValidUTF8(text) { text in
            let length = UTF8Scalars.codePointCount(text)
            let p = text.baseAddress ?? UnsafePointer(bitPattern: 1)!
            // Byte offset of the code point after the one at `byte`.
            func step(_ byte: Int) -> Int { byte + UTF8Scalars.decode(p, byte, text.count).length }
            var position: Int32 = 0
            var startByte = 0
            if mode == .query {
                let size = min(maxSize, length)
                guard length - size >= 0 else { return }
                for start in 0...(length - size) {
                    var endByte = startByte
                    for _ in 0..<size { endByte = step(endByte) }
                    output.append(term: UnsafeBufferPointer(rebasing: text[startByte..<endByte]), position: position,
                                  startOffset: Int32(start), endOffset: Int32(start + size))
                    position += 1
                    if startByte < text.count { startByte = step(startByte) }
                }
                return
            }
            guard length >= minSize else { return }
            for start in 0...(length - minSize) {
                var endByte = startByte
                for _ in 0..<minSize { endByte = step(endByte) }
                var size = minSize
                while size <= maxSize && start + size <= length {
                    output.append(term: UnsafeBufferPointer(rebasing: text[startByte..<endByte]), position: position,
                                  startOffset: Int32(start), endOffset: Int32(start + size))
                    size += 1
                    if endByte < text.count { endByte = step(endByte) }
                }
                position += 1
                startByte = step(startByte)
            }
        }
    }
}
