/// A reusable pair of token buffers: what a writer or query parser keeps per thread to analyze
/// value after value without allocating.
public struct TokenStream: Sendable {
    /// The tokens of the last analyzed value.
    public private(set) var tokens = TokenBuffer()
    private var scratch = TokenBuffer()

    public init() {}

    /// Analyzes `text` with `analyzer`; the result is in `tokens` until the next call.
    public mutating func analyze(_ text: String, with analyzer: any Analyzer, mode: AnalysisMode = .index) {
        var text = text
        text.withUTF8 { bytes in
            analyzer.analyze(bytes, mode: mode, into: &tokens, scratch: &scratch)
        }
    }

    /// Analyzes UTF-8 bytes with `analyzer`; the result is in `tokens` until the next call.
    public mutating func analyze(_ text: UnsafeBufferPointer<UInt8>, with analyzer: any Analyzer, mode: AnalysisMode = .index) {
        analyzer.analyze(text, mode: mode, into: &tokens, scratch: &scratch)
    }
}

/// A token with its term materialized: what `cockatrice analyze` and the REST analyze endpoint
/// print, and what tests compare.
public struct AnalyzedToken: Sendable, Hashable, Codable {
    public var token: String
    public var position: Int
    public var startOffset: Int
    public var endOffset: Int

    public init(token: String, position: Int, startOffset: Int, endOffset: Int) {
        self.token = token
        self.position = position
        self.startOffset = startOffset
        self.endOffset = endOffset
    }

    enum CodingKeys: String, CodingKey {
        case token, position
        case startOffset = "start_offset"
        case endOffset = "end_offset"
    }
}

extension Analyzer {
    /// Analyzes `text` into materialized tokens. Allocates per token: for tools and tests only.
    public func analyzedTokens(_ text: String, mode: AnalysisMode = .index) -> [AnalyzedToken] {
        var stream = TokenStream()
        stream.analyze(text, with: self, mode: mode)
        let buffer = stream.tokens
        return (0..<buffer.count).map { i in
            let t = buffer[i]
            return AnalyzedToken(token: buffer.termString(i), position: Int(t.position),
                                 startOffset: Int(t.startOffset), endOffset: Int(t.endOffset))
        }
    }
}
