/// One token of an analyzed value.
///
/// A token does not own its term text: the bytes live in the arena of the `TokenBuffer` that
/// holds it, so analyzing a value allocates no `String` per token. Terms become `String`s (or
/// index keys) only when they enter the index or leave the process.
public struct Token: Sendable, Equatable {
    /// Where the term's UTF-8 bytes start in the owning buffer's arena.
    public var termStart: Int32
    /// The term's length in bytes.
    public var termLength: Int32
    /// Absolute position, counted from 0 for the value. A filter that removes tokens without
    /// renumbering leaves a gap, so phrase queries see the removed words as distance
    /// (`positionIncrement` of the next token is then greater than 1).
    public var position: Int32
    /// Start offset in Unicode code points of the original text (as Whoosh counts), so that
    /// clients in any language can slice the stored text for highlighting.
    public var startOffset: Int32
    /// End offset (exclusive) in Unicode code points.
    public var endOffset: Int32
    /// Flags that later filters respect (a keyword token is not stemmed or split).
    public var flags: Flags

    @inlinable
    public init(termStart: Int32, termLength: Int32, position: Int32, startOffset: Int32, endOffset: Int32, flags: Flags = []) {
        self.termStart = termStart
        self.termLength = termLength
        self.position = position
        self.startOffset = startOffset
        self.endOffset = endOffset
        self.flags = flags
    }

    /// Token flags, kept in one byte so that a token stays 21 bytes of payload.
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Protected from rewriting filters (stemming, splitting), as Lucene's KeywordAttribute.
        public static let keyword = Flags(rawValue: 1 << 0)
    }
}

/// Whether a value is analyzed for indexing or for a query. Some components behave differently
/// at query time, as in Whoosh: an n-gram tokenizer emits only its longest grams for a query, and
/// word-merging filters do not merge.
public enum AnalysisMode: Sendable, Hashable {
    case index
    case query
}
