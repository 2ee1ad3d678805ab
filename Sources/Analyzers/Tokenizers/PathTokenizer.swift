import Core

/// Whoosh's `PathTokenizer`: for "/a/b/c" the tokens "/a", "/a/b", "/a/b/c" (each match of
/// the expression, with everything before it), so a query for a folder finds what is below it.
struct PathTokenizer: Tokenizer {
    let matcher: RegexTokenizer

    init(expression: String = "[^/]+", path: String = "expression") throws(ConfigError) {
        matcher = try RegexTokenizer(expression: expression, gaps: false, path: path)
    }

    func tokenize(_ text: UnsafeBufferPointer<UInt8>, mode: AnalysisMode, into output: inout TokenBuffer) {
        UTF8Scalars.withValidUTF8(text) { text in
            let first = output.count
            matcher.tokenize(text, mode: mode, into: &output)
            let matches = output.count - first
            guard matches > 0, let p = text.baseAddress else { return }
            // Offsets are code points; walk the text once to turn each match's end into bytes.
            var byte = 0
            var codePoint = 0
            for k in first..<first + matches {
                let end = Int(output[k].endOffset)
                while codePoint < end && byte < text.count {
                    byte += UTF8Scalars.decode(p, byte, text.count).length
                    codePoint += 1
                }
                output.append(term: UnsafeBufferPointer(rebasing: text[0..<byte]), position: Int32(k - first),
                              startOffset: 0, endOffset: Int32(end))
            }
            var index = 0
            output.removeTokens { _ in
                defer { index += 1 }
                return index >= first && index < first + matches
            }
        }
    }
}
