import Core

/// Whoosh's `IDTokenizer`: the whole value is one token (ids, paths, tags), even when empty.
///
/// Whoosh numbers that token 1 (`start_pos + 1`, a quirk); we number it 0 like every other
/// first token, since only relative positions mean anything.
struct IDTokenizer: Tokenizer {
    func tokenize(_ text: UnsafeBufferPointer<UInt8>, mode: AnalysisMode, into output: inout TokenBuffer) {
        UTF8Scalars.withValidUTF8(text) { text in
            output.append(term: text, position: 0, startOffset: 0,
                          endOffset: Int32(truncatingIfNeeded: UTF8Scalars.codePointCount(text)))
        }
    }
}
