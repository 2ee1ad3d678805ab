/// One lexical token of a query string, with its extent in code points.
struct QueryToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A run of text: a term, prefix, wildcard or value (`foo`, `te?t`, `2018-07-04T05:41`).
        case word(String)
        /// `'...'`: text taken as one word even with spaces or operator names in it.
        case quoted(String)
        /// `"..."`: a phrase; `textStart` is where its text starts, for analyzer offsets.
        case phrase(String, textStart: Int)
        /// `name:` before a term, phrase, range or group.
        case field(String)
        /// `[a TO b}`: a range; a nil bound is open.
        case range(RangeSyntax)
        case openParen, closeParen
        /// `^2.5` right after a term, phrase, range or group.
        case boost(Double)
        /// `~`, `~2`, `~2/3`, `~/3` right after a term (fuzzy) or phrase (slop).
        case tilde(number: Int?, prefix: Int?)
        case and, or, not, andNot, andMaybe, require
        /// `+` and `-` before a term (required; excluded).
        case plus, minus
        case end
    }

    var kind: Kind
    /// First code point of the token.
    var start: Int
    /// One past its last code point.
    var end: Int
}

/// The inside of a range token.
struct RangeSyntax: Sendable, Equatable {
    var lower: String?
    var upper: String?
    var lowerStart: Int
    var upperStart: Int
    var excludeLower: Bool
    var excludeUpper: Bool
}

/// Splits a query string into tokens, following Whoosh's default syntax (its plugins'
/// regular expressions) but refusing what Whoosh would silently reinterpret.
///
/// Works on Unicode scalars so positions are code points, as API.md counts offsets. The
/// lexer is contextual in one place: right after `field:` a value is read whole, so
/// `date:2018-07-04T05:41:00` keeps its colons and `count:-5` its sign.
struct QueryLexer {
    private let s: [Unicode.Scalar]
    private var i = 0
    private var tokens: [QueryToken] = []

    /// Operator words: uppercase only, as in Whoosh; `and` is a word.
    static let operators: [String: QueryToken.Kind] = [
        "AND": .and, "OR": .or, "NOT": .not, "ANDNOT": .andNot, "ANDMAYBE": .andMaybe, "REQUIRE": .require,
    ]

    init(_ text: String) {
        s = Array(text.unicodeScalars)
    }

    /// The text of `scalars`, encoded straight into a new string's UTF-8: going through
    /// `String.UnicodeScalarView` costs several times more, and every token of every query
    /// pays it.
    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        String(unsafeUninitializedCapacity: scalars.count * 4) { buffer in
            var n = 0
            for scalar in scalars {
                Unicode.UTF8.encode(scalar) { unit in
                    buffer[n] = unit
                    n += 1
                }
            }
            return n
        }
    }

    /// All tokens, ending with `.end`.
    static func tokenize(_ text: String) throws(QueryError) -> [QueryToken] {
        var lexer = QueryLexer(text)
        try lexer.run()
        return lexer.tokens
    }

    /// ASCII first: Unicode properties are a table lookup that shows in a query's latency.
    private static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x80 ? c.value == 0x20 || (0x09...0x0D).contains(c.value) : c.properties.isWhitespace
    }

    /// Characters that end a word (besides whitespace).
    private static func endsWord(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "(", ")", "\"", "^", "~", "]", "}": true
        default: isSpace(c)
        }
    }

    /// Characters allowed in a field name (FieldBuilder.validateName).
    private static func isFieldNameChar(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 {
            return ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-" || c == "."
        }
        return c.properties.isAlphabetic
    }

    private var previousEnd: Int? { tokens.last?.end }

    /// Whether the next token touches the previous one (no space between).
    private var touchesPrevious: Bool { previousEnd == i && !tokens.isEmpty }

    private mutating func emit(_ kind: QueryToken.Kind, from start: Int) {
        tokens.append(QueryToken(kind: kind, start: start, end: i))
    }

    private mutating func run() throws(QueryError) {
        while true {
            while i < s.count && Self.isSpace(s[i]) { i += 1 }
            guard i < s.count else { break }
            let start = i
            let afterField: Bool
            if case .field? = tokens.last?.kind, touchesPrevious { afterField = true } else { afterField = false }
            switch s[i] {
            case "(":
                i += 1
                emit(.openParen, from: start)
            case ")":
                i += 1
                emit(.closeParen, from: start)
            case "\"":
                try lexPhrase()
            case "'":
                try lexQuoted()
            case "[", "{":
                try lexRange()
            case "]", "}":
                throw QueryError(position: i, message: "unexpected '\(s[i])' outside a range")
            case "^":
                try lexBoost()
            case "~":
                try lexTilde()
            case "+" where !afterField, "-" where !afterField:
                let sign = s[i]
                i += 1
                if i >= s.count || Self.isSpace(s[i]) || s[i] == ")" {
                    throw QueryError(position: i, message: "expected a term, phrase or group after '\(sign)'")
                }
                emit(sign == "+" ? .plus : .minus, from: start)
            default:
                lexWord(afterField: afterField)
            }
        }
        tokens.append(QueryToken(kind: .end, start: s.count, end: s.count))
    }

    private mutating func lexWord(afterField: Bool) {
        let start = i
        while i < s.count && !Self.endsWord(s[i]) { i += 1 }
        if !afterField, let colon = s[start..<i].firstIndex(of: ":"), colon > start {
            let name = s[start..<colon]
            if name.allSatisfy(Self.isFieldNameChar) || (name.count == 1 && name.first == "*") {
                i = colon + 1
                emit(.field(Self.string(name)), from: start)
                return
            }
        }
        let text = Self.string(s[start..<i])
        if !afterField, let op = Self.operators[text] {
            emit(op, from: start)
        } else {
            emit(.word(text), from: start)
        }
    }

    private mutating func lexPhrase() throws(QueryError) {
        let open = i
        let text = try quoted(by: "\"", what: "phrase")
        emit(.phrase(text, textStart: open + 1), from: open)
    }

    private mutating func lexQuoted() throws(QueryError) {
        let open = i
        emit(.quoted(try quoted(by: "'", what: "quoted term")), from: open)
    }

    /// The text between the quote at `i` and the next `quote`; moves past the closing one.
    private mutating func quoted(by quote: Unicode.Scalar, what: String) throws(QueryError) -> String {
        let open = i
        i += 1
        guard let close = s[i...].firstIndex(of: quote) else {
            let shown = quote == "'" ? "\"'\"" : "'\(quote)'"
            throw QueryError(position: s.count, message: "expected \(shown) to close the \(what) opened at \(open)")
        }
        let text = Self.string(s[i..<close])
        i = close + 1
        return text
    }

    /// `[` or `{`, an optional bound, `TO` (any case, as Whoosh), an optional bound, `]` or `}`.
    /// A bound is a run of non-space text or a `'quoted'` string.
    private mutating func lexRange() throws(QueryError) {
        let open = i
        let excludeLower = s[i] == "{"
        i += 1
        skipSpaces()
        var lower: String?
        let lowerStart = i
        if !atTo() {
            lower = try rangeBound(open: open)
            skipSpaces()
            guard atTo() else {
                throw QueryError(position: i, message: i >= s.count ? "expected 'TO' and ']' or '}' to close the range opened at \(open)"
                                                                      : "expected 'TO' in the range opened at \(open)")
            }
        }
        i += 2
        skipSpaces()
        let upperStart = i
        var upper: String?
        if i < s.count && s[i] != "]" && s[i] != "}" {
            upper = try rangeBound(open: open)
            skipSpaces()
        }
        guard i < s.count, s[i] == "]" || s[i] == "}" else {
            throw QueryError(position: i, message: "expected ']' or '}' to close the range opened at \(open)")
        }
        let excludeUpper = s[i] == "}"
        i += 1
        if lower == nil && upper == nil {
            throw QueryError(position: open, message: "a range needs at least one bound")
        }
        emit(.range(RangeSyntax(lower: lower, upper: upper, lowerStart: lowerStart, upperStart: upperStart,
                                excludeLower: excludeLower, excludeUpper: excludeUpper)), from: open)
    }

    private mutating func skipSpaces() {
        while i < s.count && Self.isSpace(s[i]) { i += 1 }
    }

    /// `TO` as a whole word at `i`.
    private func atTo() -> Bool {
        guard i + 1 < s.count, s[i] == "T" || s[i] == "t", s[i + 1] == "O" || s[i + 1] == "o" else { return false }
        return i + 2 == s.count || Self.isSpace(s[i + 2]) || s[i + 2] == "]" || s[i + 2] == "}"
    }

    private mutating func rangeBound(open: Int) throws(QueryError) -> String {
        guard i < s.count else {
            throw QueryError(position: i, message: "expected a bound, 'TO' and ']' or '}' to close the range opened at \(open)")
        }
        if s[i] == "'" { return try quoted(by: "'", what: "quoted bound") }
        let start = i
        while i < s.count && !Self.isSpace(s[i]) && s[i] != "]" && s[i] != "}" { i += 1 }
        return Self.string(s[start..<i])
    }

    /// `^` and a number, Whoosh's `[0-9]*(\.[0-9]+)?`.
    private mutating func lexBoost() throws(QueryError) {
        let start = i
        guard touchesPrevious, isBoostable(tokens.last?.kind) else {
            throw QueryError(position: i, message: "'^' (boost) must directly follow a term, phrase, range or group")
        }
        i += 1
        let numberStart = i
        while i < s.count && (("0"..."9").contains(s[i]) || s[i] == ".") { i += 1 }
        let text = Self.string(s[numberStart..<i])
        guard !text.isEmpty, let value = Double(text), value.isFinite, value >= 0 else {
            throw QueryError(position: numberStart, message: "expected a number after '^'")
        }
        if i < s.count && !Self.isSpace(s[i]) && s[i] != ")" {
            throw QueryError(position: i, message: "expected a space or ')' after the boost")
        }
        emit(.boost(value), from: start)
    }

    private func isBoostable(_ kind: QueryToken.Kind?) -> Bool {
        switch kind {
        case .word?, .quoted?, .phrase?, .range?, .closeParen?, .tilde?: true
        default: false
        }
    }

    /// `~`, then optional digits, then optional `/` and digits (Whoosh's fuzzy syntax; a
    /// phrase's slop uses the digits only).
    private mutating func lexTilde() throws(QueryError) {
        let start = i
        guard touchesPrevious else {
            throw QueryError(position: i, message: "'~' must directly follow a term (fuzzy) or a phrase (slop)")
        }
        i += 1
        let number = try digits()
        var prefix: Int?
        if i < s.count && s[i] == "/" {
            i += 1
            guard let p = try digits() else {
                throw QueryError(position: i, message: "expected a prefix length after '/'")
            }
            prefix = p
        }
        if i < s.count && !Self.endsWord(s[i]) {
            throw QueryError(position: i, message: "expected a space after '~'")
        }
        emit(.tilde(number: number, prefix: prefix), from: start)
    }

    private mutating func digits() throws(QueryError) -> Int? {
        let start = i
        while i < s.count && ("0"..."9").contains(s[i]) { i += 1 }
        guard i > start else { return nil }
        guard i - start <= 6, let value = Int(Self.string(s[start..<i])) else {
            throw QueryError(position: start, message: "number too large")
        }
        return value
    }
}
