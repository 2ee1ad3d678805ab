/// A strict JSON parser (RFC 8259) for request bodies.
///
/// Strict because a search server must not guess: invalid UTF-8, unpaired surrogate escapes,
/// control characters in strings, trailing commas, `NaN`, leading zeros, duplicate keys and
/// trailing garbage are errors with the byte offset, and nesting is bounded so a hostile body
/// cannot exhaust the stack. It also reports where each member of the top-level object was in
/// the input, so a stored field can keep the exact bytes the client sent.
public struct JSONParser {
    /// The deepest nesting accepted; documents are flat, so this is generous.
    public static let defaultMaxDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Parses one JSON value filling all of `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
        var parser = JSONParser(bytes, maxDepth: maxDepth)
        let value = try parser.parseDocument()
        return value
    }

    /// Parses `text` (convenience for tests and small bodies).
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONError> = text.withUTF8 { bytes in
            Result { () throws(JSONError) -> JSONValue in try parse(bytes, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    /// Parses a top-level object and also returns the byte range of each member's value, for
    /// keeping the exact text of stored fields.
    public static func parseObjectWithSpans(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONError)
        -> (members: [(key: String, value: JSONValue)], spans: [Range<Int>])
    {
        var parser = JSONParser(bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        guard parser.peek() == UInt8(ascii: "{") else {
            throw parser.error(parser.index >= bytes.count ? "expected a JSON object, found the end of the input" : "expected a JSON object")
        }
        var spans: [Range<Int>] = []
        let members = try parser.parseObjectMembers(depth: 1, spans: &spans)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return (members, spans)
    }

    /// Parses a top-level array; each element that is an object comes with the byte ranges of
    /// its members' values (bulk bodies), others as they are for the caller to refuse by position.
    public static func parseArrayWithSpans(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONError)
        -> [(value: JSONValue, spans: [Range<Int>]?)]
    {
        var parser = JSONParser(bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        guard parser.peek() == UInt8(ascii: "[") else { throw parser.error("expected a JSON array") }
        parser.index += 1
        var items: [(value: JSONValue, spans: [Range<Int>]?)] = []
        parser.skipWhitespace()
        if parser.peek() == UInt8(ascii: "]") {
            parser.index += 1
        } else {
            while true {
                parser.skipWhitespace()
                if parser.peek() == UInt8(ascii: "{") {
                    var spans: [Range<Int>] = []
                    let members = try parser.parseObjectMembers(depth: 2, spans: &spans)
                    items.append((.object(members), spans))
                } else {
                    items.append((try parser.parseValue(depth: 1), nil))
                }
                parser.skipWhitespace()
                switch parser.peek() {
                case UInt8(ascii: ",")?: parser.index += 1
                case UInt8(ascii: "]")?: parser.index += 1
                case nil: throw parser.error("unexpected end of input, expected ',' or ']'")
                default: throw parser.error("expected ',' or ']'")
                }
                if bytes[parser.index - 1] == UInt8(ascii: "]") { break }
            }
        }
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return items
    }

    private mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected text after the JSON value") }
        return value
    }

    private func error(_ reason: String) -> JSONError {
        JSONError(offset: index, reason: reason)
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ literal: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        for i in 0..<count where bytes[index + i] != literal.utf8Start[i] {
            throw error("unexpected character")
        }
        index += count
        return value
    }

    private mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard let byte = peek() else { throw error("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            var ignored: [Range<Int>] = []
            return .object(try parseObjectMembers(depth: depth + 1, spans: &ignored, recordSpans: false))
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character, expected a value")
        }
    }

    private mutating func parseObjectMembers(depth: Int, spans: inout [Range<Int>], recordSpans: Bool = true) throws(JSONError)
        -> [(key: String, value: JSONValue)]
    {
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
        index += 1  // {
        var members: [(key: String, value: JSONValue)] = []
        var seen: Set<String> = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyOffset = index
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw JSONError(offset: keyOffset, reason: "duplicate key '\(key)'")
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
            index += 1
            skipWhitespace()
            let start = index
            let value = try parseValue(depth: depth)
            if recordSpans { spans.append(start..<index) }
            members.append((key, value))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ",")?: index += 1
            case UInt8(ascii: "}")?:
                index += 1
                return members
            case nil: throw error("unexpected end of input, expected ',' or '}'")
            default: throw error("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
        index += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ",")?: index += 1
            case UInt8(ascii: "]")?:
                index += 1
                return .array(items)
            case nil: throw error("unexpected end of input, expected ',' or ']'")
            default: throw error("expected ',' or ']'")
            }
        }
    }

    private mutating func parseNumber() throws(JSONError) -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), first >= 48 && first <= 57 else { throw error("expected a digit") }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek(), next >= 48 && next <= 57 { throw error("leading zeros are not allowed") }
        } else {
            while let d = peek(), d >= 48 && d <= 57 { index += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let d = peek(), d >= 48 && d <= 57 else { throw error("expected a digit after '.'") }
            while let d = peek(), d >= 48 && d <= 57 { index += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let d = peek(), d >= 48 && d <= 57 else { throw error("expected a digit in the exponent") }
            while let d = peek(), d >= 48 && d <= 57 { index += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private mutating func parseString() throws(JSONError) -> String {
        index += 1  // "
        let start = index
        // Fast path: no escapes, ASCII or valid UTF-8 checked below.
        var hasEscapes = false
        var hasNonASCII = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                index += 2
                continue
            }
            if byte < 0x20 { throw error("control character in a string (escape it)") }
            if byte >= 0x80 { hasNonASCII = true }
            index += 1
        }
        guard index < bytes.count else { throw JSONError(offset: start - 1, reason: "unterminated string") }
        let end = index
        index += 1  // closing quote
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if hasNonASCII {
            try Self.validateUTF8(raw, offset: start)
        }
        if !hasEscapes {
            return String(decoding: raw, as: UTF8.self)
        }
        return try Self.unescape(raw, offset: start)
    }

    private static func validateUTF8(_ raw: UnsafeBufferPointer<UInt8>, offset: Int) throws(JSONError) {
        var iterator = raw.makeIterator()
        var decoder = UTF8()
        var position = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): position += UTF8.width(scalar)
            case .emptyInput: return
            case .error: throw JSONError(offset: offset + position, reason: "invalid UTF-8")
            }
        }
    }

    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>, offset: Int) throws(JSONError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) throws(JSONError) -> UInt32 {
            guard at + 4 <= raw.count else { throw JSONError(offset: offset + at, reason: "truncated \\u escape") }
            var value: UInt32 = 0
            for j in 0..<4 {
                let c = raw[at + j]
                let digit: UInt32
                switch c {
                case 48...57: digit = UInt32(c - 48)
                case 65...70: digit = UInt32(c - 55)
                case 97...102: digit = UInt32(c - 87)
                default: throw JSONError(offset: offset + at + j, reason: "invalid hex digit in \\u escape")
                }
                value = value << 4 | digit
            }
            return value
        }
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            guard i + 1 < raw.count else { throw JSONError(offset: offset + i, reason: "truncated escape") }
            let kind = raw[i + 1]
            i += 2
            switch kind {
            case UInt8(ascii: "\""): out.append(34)
            case UInt8(ascii: "\\"): out.append(92)
            case UInt8(ascii: "/"): out.append(47)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "u"):
                var code = try hex4(i)
                i += 4
                if (0xD800...0xDBFF).contains(code) {
                    guard i + 6 <= raw.count, raw[i] == 92, raw[i + 1] == UInt8(ascii: "u") else {
                        throw JSONError(offset: offset + i - 6, reason: "unpaired surrogate in \\u escape")
                    }
                    let low = try hex4(i + 2)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw JSONError(offset: offset + i - 6, reason: "unpaired surrogate in \\u escape")
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00...0xDFFF).contains(code) {
                    throw JSONError(offset: offset + i - 6, reason: "unpaired surrogate in \\u escape")
                }
                guard let scalar = Unicode.Scalar(code) else {
                    throw JSONError(offset: offset + i - 6, reason: "invalid \\u escape")
                }
                out.append(contentsOf: String(Character(scalar)).utf8)
            default:
                throw JSONError(offset: offset + i - 2, reason: "invalid escape '\\\(Character(Unicode.Scalar(kind)))'")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A JSON syntax error with the byte offset where it was found.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
