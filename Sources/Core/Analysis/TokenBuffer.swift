/// The tokens of one analyzed value, with their term bytes in one arena.
///
/// Buffers are meant to be reused: `removeAll()` keeps capacity, so a writer that analyzes
/// millions of values allocates only while its buffers grow. Tokenizers append; filters either
/// rewrite terms in place (`withMutableTerm`, for rewrites that do not grow the term) or build a
/// second buffer and swap (see `TokenFilter`).
public struct TokenBuffer: Sendable {
    @usableFromInline var arena: [UInt8]
    @usableFromInline var items: [Token]
    @usableFromInline var pendingStart: Int

    public init() {
        arena = []
        items = []
        pendingStart = 0
    }

    /// Number of tokens.
    @inlinable public var count: Int { items.count }
    @inlinable public var isEmpty: Bool { items.isEmpty }

    /// The token records; term bytes are read through `withTerm`.
    @inlinable public var tokens: [Token] { items }

    /// Read or replace one token's metadata (position, offsets, flags). Replacing the term range
    /// is allowed only with a range this buffer's arena holds.
    @inlinable
    public subscript(index: Int) -> Token {
        get { items[index] }
        set { items[index] = newValue }
    }

    /// Empties the buffer and keeps its capacity.
    @inlinable
    public mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        items.removeAll(keepingCapacity: true)
        pendingStart = 0
    }

    /// Keeps the first `count` tokens (their arena bytes stay until `removeAll`).
    @inlinable
    public mutating func truncate(to count: Int) {
        items.removeLast(items.count - count)
    }

    /// Removes the tokens for which `isRemoved` is true, keeping order.
    @inlinable
    public mutating func removeTokens(where isRemoved: (Token) throws -> Bool) rethrows {
        try items.removeAll(where: isRemoved)
    }

    /// Calls `body` with the term bytes of token `index`. The pointer is valid only inside `body`.
    @inlinable
    public func withTerm<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let token = items[index]
        return try withTerm(of: token, body)
    }

    /// Calls `body` with the term bytes of `token`, which must belong to this buffer.
    @inlinable
    public func withTerm<R>(of token: Token, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[Int(token.termStart)..<Int(token.termStart + token.termLength)]))
        }
    }

    /// The whole arena, for filters that scan many terms at once without a closure per token.
    @inlinable
    public func withArena<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer(body)
    }

    /// The whole arena, mutable, for filters that rewrite every term in place in one pass
    /// without a closure per token (ASCII lowercasing). Bytes may be changed, not added or
    /// removed; bytes of removed tokens are in there too, so the rewrite must be harmless to them.
    @inlinable
    public mutating func withMutableArena<R>(_ body: (UnsafeMutableBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Copies `bytes` into the arena without making a token and returns where they start. A
    /// tokenizer whose terms are slices of its input copies the input once this way and adds
    /// its tokens with `append(sharingTermAt:)`, instead of one copy per term.
    @inlinable
    public mutating func appendArenaBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let start = arena.count
        arena.append(contentsOf: bytes)
        pendingStart = arena.count
        return Int32(start)
    }

    /// Rewrites token `index`'s term in place. `body` gets the term's bytes and returns the new
    /// length, which must not exceed the old one (lowercasing ASCII, stripping, stemming that
    /// only shortens). Longer rewrites build a new term with `startTerm`/`finishTerm`.
    @inlinable
    public mutating func withMutableTerm(_ index: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) throws -> Int) rethrows {
        let token = items[index]
        let start = Int(token.termStart)
        let length = Int(token.termLength)
        let newLength = try arena.withUnsafeMutableBufferPointer { all in
            try body(UnsafeMutableBufferPointer(rebasing: all[start..<start + length]))
        }
        precondition(newLength >= 0 && newLength <= length, "withMutableTerm may only shorten a term")
        items[index].termLength = Int32(newLength)
    }

    /// The term of token `index` as a `String`: for output and tests, not for the hot path.
    public func termString(_ index: Int) -> String {
        withTerm(index) { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: Appending

    /// Appends a token whose term is `term`.
    @inlinable
    public mutating func append(term: UnsafeBufferPointer<UInt8>, position: Int32, startOffset: Int32, endOffset: Int32, flags: Token.Flags = []) {
        let start = arena.count
        arena.append(contentsOf: term)
        items.append(Token(termStart: Int32(start), termLength: Int32(term.count), position: position,
                           startOffset: startOffset, endOffset: endOffset, flags: flags))
    }

    /// Appends a token with the term and metadata of `token` from `other` (a filter copying what
    /// it keeps into its output buffer).
    @inlinable
    public mutating func append(_ token: Token, from other: TokenBuffer) {
        other.withTerm(of: token) { term in
            append(term: term, position: token.position, startOffset: token.startOffset, endOffset: token.endOffset, flags: token.flags)
        }
    }

    /// Appends a token that refers to term bytes already in this buffer's arena (a filter that
    /// emits several tokens from one term, e.g. n-grams of a word, without copying).
    @inlinable
    public mutating func append(sharingTermAt termStart: Int32, length: Int32, position: Int32, startOffset: Int32, endOffset: Int32, flags: Token.Flags = []) {
        precondition(Int(termStart) + Int(length) <= arena.count && termStart >= 0 && length >= 0)
        items.append(Token(termStart: termStart, termLength: length, position: position,
                           startOffset: startOffset, endOffset: endOffset, flags: flags))
    }

    /// Begins a term that is written byte by byte (`appendTermByte`, `appendTermBytes`) and
    /// completed by `finishTerm`. Only one term may be pending at a time.
    @inlinable
    public mutating func startTerm() {
        pendingStart = arena.count
    }

    @inlinable
    public mutating func appendTermByte(_ byte: UInt8) {
        arena.append(byte)
    }

    @inlinable
    public mutating func appendTermBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        arena.append(contentsOf: bytes)
    }

    /// Bytes written to the pending term so far.
    @inlinable
    public var pendingTermLength: Int { arena.count - pendingStart }

    /// Drops the bytes of the pending term (a filter that decides not to emit it).
    @inlinable
    public mutating func discardTerm() {
        arena.removeLast(arena.count - pendingStart)
    }

    /// Completes the pending term as a token.
    @inlinable
    public mutating func finishTerm(position: Int32, startOffset: Int32, endOffset: Int32, flags: Token.Flags = []) {
        items.append(Token(termStart: Int32(pendingStart), termLength: Int32(arena.count - pendingStart),
                           position: position, startOffset: startOffset, endOffset: endOffset, flags: flags))
        pendingStart = arena.count
    }

    /// The distance from the previous token's position (1 for adjacent words; more where a
    /// filter removed tokens without renumbering; 0 for a token stacked on the previous one).
    @inlinable
    public func positionIncrement(_ index: Int) -> Int {
        index == 0 ? Int(items[0].position) + 1 : Int(items[index].position - items[index - 1].position)
    }
}
