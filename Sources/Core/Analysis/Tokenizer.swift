/// Splits a field value into tokens.
///
/// Implementations must be safe to call from many threads at once (they are shared by every
/// writer and searcher of an index), so per-call state lives on the stack or in `output`.
public protocol Tokenizer: Sendable {
    /// Appends the tokens of `text` (UTF-8, not necessarily valid: treat invalid bytes as
    /// U+FFFD) to `output`. Positions start at 0 and offsets count code points from the start
    /// of `text`.
    func tokenize(_ text: UnsafeBufferPointer<UInt8>, mode: AnalysisMode, into output: inout TokenBuffer)
}

/// Transforms the tokens a tokenizer produced (lowercasing, stop words, stemming, n-grams...).
public protocol TokenFilter: Sendable {
    /// Transforms `tokens`. A filter that can work in place (the common case) edits `tokens`
    /// and ignores `scratch`; one that emits a different set writes it into `scratch` (which the
    /// filter must first `removeAll()`) and then swaps the two, so the result is always in
    /// `tokens` and both buffers keep their capacity for the next value.
    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode)
}

/// Turns a field value into the tokens that are indexed or searched.
public protocol Analyzer: Sendable {
    /// Replaces the contents of `tokens` with the analysis of `text`. `scratch` is a second
    /// buffer the analyzer may use; its contents afterwards are unspecified.
    func analyze(_ text: UnsafeBufferPointer<UInt8>, mode: AnalysisMode, into tokens: inout TokenBuffer, scratch: inout TokenBuffer)
}

/// A tokenizer followed by filters: what the `tokenizer` + `filters` form of an index config
/// builds, and what most built-in analyzers are.
public struct ChainAnalyzer: Analyzer {
    public let tokenizer: any Tokenizer
    public let filters: [any TokenFilter]

    public init(tokenizer: any Tokenizer, filters: [any TokenFilter] = []) {
        self.tokenizer = tokenizer
        self.filters = filters
    }

    public func analyze(_ text: UnsafeBufferPointer<UInt8>, mode: AnalysisMode, into tokens: inout TokenBuffer, scratch: inout TokenBuffer) {
        tokens.removeAll()
        tokenizer.tokenize(text, mode: mode, into: &tokens)
        for filter in filters {
            filter.apply(&tokens, scratch: &scratch, mode: mode)
        }
    }
}
