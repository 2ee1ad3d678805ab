/// Splits a JSON array that arrives in pieces (a bulk body read off the socket) into the bytes
/// of its elements, handing each one over as soon as it is complete, so a large bulk is never
/// held whole nor parsed into one tree: only the element in progress is buffered (and not even
/// that when it lies within one piece).
///
/// It only finds the elements' boundaries (strings, escapes and nesting are tracked so that a
/// `,` or `]` inside them does not count); each element is validated by whoever parses it. The
/// array itself must be well formed: `[`, elements separated by single commas, `]`, and nothing
/// but whitespace after it.
public struct JSONArraySplitter {
    private enum Phase {
        /// Before the opening `[`.
        case start
        /// After `[` or `,`: whitespace, then an element (or `]` right after `[`).
        case beforeElement(afterComma: Bool)
        case element
        /// After `]`: only whitespace.
        case end
    }

    private var phase = Phase.start
    /// Brackets and braces open inside the current element.
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// The current element's bytes from earlier pieces.
    private var pending: [UInt8] = []
    /// Bytes consumed in earlier pieces (for error positions).
    private var consumed = 0
    private let maxDepth: Int
    /// Elements handed over so far.
    public private(set) var count = 0

    public init(maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    /// Consumes the next piece of the body; calls `element` with each element completed in it.
    ///
    /// - Throws: `RequestBodyError.malformed` naming the byte where the array went wrong, or
    ///   what `element` throws.
    public mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, _ element: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var elementStart = 0
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch phase {
            case .start:
                if byte == UInt8(ascii: "[") {
                    phase = .beforeElement(afterComma: false)
                } else if !Self.isWhitespace(byte) {
                    throw malformed("a bulk body must be a JSON array of documents, it starts with '\(Self.show(byte))'", at: i)
                }
            case .beforeElement(let afterComma):
                if Self.isWhitespace(byte) { break }
                if byte == UInt8(ascii: "]"), !afterComma {
                    phase = .end
                } else if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") {
                    throw malformed("expected a document, got '\(Self.show(byte))'", at: i)
                } else {
                    phase = .element
                    elementStart = i
                    depth = 0
                    continue  // scan this byte as part of the element
                }
            case .element:
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                    guard depth <= maxDepth else { throw malformed("nested deeper than \(maxDepth) levels", at: i) }
                } else if depth > 0, byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                } else if depth == 0, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") {
                    try emit(UnsafeBufferPointer(rebasing: bytes[elementStart..<i]), element)
                    phase = byte == UInt8(ascii: ",") ? .beforeElement(afterComma: true) : .end
                }
            case .end:
                if !Self.isWhitespace(byte) {
                    throw malformed("unexpected '\(Self.show(byte))' after the end of the array", at: i)
                }
            }
            i += 1
        }
        if case .element = phase { pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[elementStart...])) }
        consumed += bytes.count
    }

    /// Hands over the element that ended at a separator: the earlier pieces' bytes joined
    /// with this piece's, or this piece's bytes alone when it lies within it.
    private mutating func emit(_ tail: UnsafeBufferPointer<UInt8>, _ element: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        count += 1
        if pending.isEmpty {
            try element(tail)
        } else {
            pending.append(contentsOf: tail)
            try pending.withUnsafeBufferPointer { try element($0) }
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// The body ended: the array must have been closed.
    public func finish() throws(RequestBodyError) {
        switch phase {
        case .end:
            return
        case .start:
            throw .malformed("the body is empty: a bulk body must be a JSON array of documents")
        case .beforeElement, .element:
            throw .malformed("the body ends before the array is closed (byte \(consumed))")
        }
    }

    private func malformed(_ reason: String, at index: Int) -> RequestBodyError {
        .malformed("\(reason) at byte \(consumed + index)")
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func show(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
    }
}
