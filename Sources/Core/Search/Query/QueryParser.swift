/// Parses Whoosh's default query syntax (API.md, "Query syntax") into a `Query`, analyzing
/// terms with the index config's analyzers.
///
/// Precedence, tightest first, as Whoosh 2.7.4's `OperatorsPlugin` applies its operators:
/// `NOT` / `-` / `+` (prefix), `AND`, `OR`, `ANDNOT`, `ANDMAYBE`, `REQUIRE`, and last the
/// default AND between juxtaposed clauses. So `a b OR c` is `a AND (b OR c)`, `a AND b OR c` is
/// `(a AND b) OR c`, and `a OR b ANDNOT c` is `(a OR b) ANDNOT c`.
///
/// Deliberate differences from Whoosh (each would otherwise be silent):
/// - bad syntax is a `QueryError` with a position, never a lenient reinterpretation;
/// - `-a` excludes (Whoosh took `-` as text); `+a` requires (the default anyway);
/// - an unknown field is an error listing the fields (Whoosh searched `field:x` as text);
/// - `*` alone matches all documents (Whoosh: all with a term in the default field);
/// - a fuzzy term's default prefix length is 1 (Whoosh's `FuzzyTerm` default; its parser
///   plugin used 0), edit distances are at most 2;
/// - exclusive datetime bounds exclude their whole period (Whoosh ignored `{` `}` on dates);
/// - phrases keep the positions the analyzer gives, so removed stop words keep their gap;
/// - over several default fields, a value one field cannot take (a word for a numeric field)
///   skips that field instead of failing the query (Whoosh made an error query of it).
///
/// A parser is a value: make one per index config and search field, use it from any thread.
public struct QueryParser: Sendable {
    /// The schema whose fields and analyzers terms are checked and analyzed with.
    public let config: IndexConfig
    /// The fields searched by a clause without `field:` (an OR over them, as Whoosh's
    /// `MultifieldParser`); may be empty, then such a clause is an error.
    public let defaultFields: [String]

    /// Groups and prefix operators nest at most this deep, so a hostile query cannot overflow
    /// the stack of the recursive descent.
    public static let maxDepth = 100

    /// - Parameter searchField: the request's `search_field`: a field name or a comma list of
    ///   them; nil or blank means the config's `default_search_field`.
    /// - Throws: `QueryError` (position 0) when a named field does not exist or has no terms.
    public init(config: IndexConfig, searchField: String? = nil) throws(QueryError) {
        let requested = searchField.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        let list = (requested ?? config.defaultSearchField ?? "")
            .split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        try self.init(config: config, defaultFields: list)
    }

    /// A parser whose unfielded clauses search `defaultFields` (an OR over them).
    public init(config: IndexConfig, defaultFields: [String]) throws(QueryError) {
        for name in defaultFields {
            guard let field = config.field(name) else {
                throw Self.unknownField(name, config: config, at: 0, role: "search field")
            }
            if field.type == .stored { throw FieldTermBuilder.notSearchable(field, at: 0) }
        }
        self.config = config
        self.defaultFields = defaultFields
    }

    /// Parses `text`. An empty query, or one whose every term the analyzer removed, is
    /// `.matchNone`.
    public func parse(_ text: String) throws(QueryError) -> Query {
        var run = ParseRun(tokens: try QueryLexer.tokenize(text), parser: self)
        return try run.parseQuery()
    }

    static func unknownField(_ name: String, config: IndexConfig, at position: Int, role: String = "field") -> QueryError {
        QueryError(position: position, message: "unknown \(role) '\(name)'; fields: \(config.fields.map(\.name).joined(separator: ", "))")
    }
}

/// A clause as the grammar sees it before it is placed in a boolean: nil when analysis removed
/// it, `negated` for `NOT x` / `-x` (which becomes a `mustNot` of the enclosing AND).
struct Clause {
    var query: Query?
    var negated = false

    /// The clause as a standalone query: `NOT a` alone is all documents except a's (Whoosh).
    var standalone: Query? {
        guard let query else { return nil }
        return negated ? .boolean(BooleanQuery(must: [.matchAll], mustNot: [query])) : query
    }
}

/// The state of one parse: the tokens, a cursor, the term builder and the nesting depth.
struct ParseRun {
    let tokens: [QueryToken]
    let parser: QueryParser
    var index = 0
    var depth = 0
    var builder = FieldTermBuilder()

    init(tokens: [QueryToken], parser: QueryParser) {
        self.tokens = tokens
        self.parser = parser
    }

    var current: QueryToken { tokens[index] }

    mutating func advance() { index = min(index + 1, tokens.count - 1) }

    mutating func parseQuery() throws(QueryError) -> Query {
        if case .end = current.kind { return .matchNone }
        let clause = try parseSequence(fields: nil)
        guard case .end = current.kind else {
            if case .closeParen = current.kind {
                throw QueryError(position: current.start, message: "unexpected ')' without a matching '('")
            }
            throw QueryError(position: current.start, message: "unexpected \(describe(current))")
        }
        return clause.standalone ?? .matchNone
    }

    // MARK: Operators, loosest first

    /// Juxtaposed clauses: the default AND (loosest). Stops at `)` and the end.
    mutating func parseSequence(fields: [String]?) throws(QueryError) -> Clause {
        var clauses: [Clause] = []
        while true {
            switch current.kind {
            case .end, .closeParen:
                guard !clauses.isEmpty else {
                    throw QueryError(position: current.start, message: "expected a term, phrase, range or group")
                }
                return Combine.and(clauses)
            default:
                clauses.append(try parseBinary(level: 0, fields: fields))
            }
        }
    }

    /// The binary operators from loosest (`REQUIRE`) to tightest (`AND`), all left-associative.
    static let binaryLevels: [QueryToken.Kind] = [.require, .andMaybe, .andNot, .or, .and]

    mutating func parseBinary(level: Int, fields: [String]?) throws(QueryError) -> Clause {
        guard level < Self.binaryLevels.count else { return try parseUnary(fields: fields) }
        let op = Self.binaryLevels[level]
        var operands = [try parseBinary(level: level + 1, fields: fields)]
        while current.kind == op {
            let opToken = current
            advance()
            switch current.kind {
            case .end, .closeParen, .and, .or, .andNot, .andMaybe, .require:
                throw QueryError(position: current.start, message: "expected a term, phrase, range or group after '\(describe(opToken))'")
            default:
                break
            }
            operands.append(try parseBinary(level: level + 1, fields: fields))
        }
        guard operands.count > 1 else { return operands[0] }
        switch op {
        case .and: return Combine.and(operands)
        case .or: return Combine.or(operands)
        default: return operands.dropFirst().reduce(operands[0]) { Combine.binary(op, $0, $1) }
        }
    }

    /// `NOT x`, `-x`, `+x`, or a primary.
    mutating func parseUnary(fields: [String]?) throws(QueryError) -> Clause {
        switch current.kind {
        case .not, .minus, .plus:
            let op = current
            advance()
            if case .end = current.kind {
                throw QueryError(position: current.start, message: "expected a term, phrase, range or group after '\(describe(op))'")
            }
            try enter(at: op.start)
            defer { depth -= 1 }
            var inner = try parseUnary(fields: fields)
            if op.kind != .plus { inner.negated.toggle() }
            return inner
        default:
            return try parsePrimary(fields: fields)
        }
    }

    mutating func enter(at position: Int) throws(QueryError) {
        depth += 1
        if depth > QueryParser.maxDepth {
            throw QueryError(position: position, message: "groups and operators nest deeper than \(QueryParser.maxDepth)")
        }
    }

    // MARK: Primaries

    /// `field:`? then a term, phrase, range or group, then an optional `^boost`.
    mutating func parsePrimary(fields inherited: [String]?) throws(QueryError) -> Clause {
        var fields = inherited
        var explicitField = false
        if case .field(let name) = current.kind {
            let fieldToken = current
            advance()
            guard current.start == fieldToken.end, isPrimaryStart(current.kind) else {
                throw QueryError(position: fieldToken.end, message: "expected a term, phrase, range or group right after '\(name):'")
            }
            if name == "*" {
                guard case .word("*") = current.kind else {
                    throw QueryError(position: current.start, message: "'*:' must be followed by '*' (all documents)")
                }
                advance()
                return try applyBoost(Clause(query: .matchAll))
            }
            guard let field = parser.config.field(name) else {
                throw QueryParser.unknownField(name, config: parser.config, at: fieldToken.start)
            }
            if field.type == .stored { throw FieldTermBuilder.notSearchable(field, at: fieldToken.start) }
            fields = [name]
            explicitField = true
        }
        let token = current
        let clause: Clause
        switch token.kind {
        case .openParen:
            try enter(at: token.start)
            advance()
            if case .closeParen = current.kind {
                throw QueryError(position: current.start, message: "expected a term, phrase, range or group inside '()'")
            }
            let inner = try parseSequence(fields: fields)
            guard case .closeParen = current.kind else {
                throw QueryError(position: current.start, message: "expected ')' to close the group opened at \(token.start)")
            }
            depth -= 1
            advance()
            clause = inner
        case .word(let text):
            advance()
            clause = try word(text, quoted: false, token: token, fields: fields, explicitField: explicitField)
        case .quoted(let text):
            advance()
            clause = try word(text, quoted: true, token: token, fields: fields, explicitField: explicitField)
        case .phrase(let text, _):
            advance()
            var slop = 1
            if case .tilde(let number, let prefix) = current.kind {
                guard let number, number >= 1, prefix == nil else {
                    throw QueryError(position: current.start + 1, message: "expected a slop of 1 or more after the phrase's '~'")
                }
                slop = number
                advance()
            }
            clause = Clause(query: try overFields(fields, at: token.start) { (b, f) throws(QueryError) in
                try b.phrase(text, slop: slop, field: f, at: token.start)
            })
        case .range(let syntax):
            advance()
            clause = Clause(query: try overFields(fields, at: token.start) { (b, f) throws(QueryError) in
                try b.range(syntax, field: f, at: token.start)
            })
        default:
            throw QueryError(position: token.start, message: "expected a term, phrase, range or group, got \(describe(token))")
        }
        return try applyBoost(clause)
    }

    func isPrimaryStart(_ kind: QueryToken.Kind) -> Bool {
        switch kind {
        case .word, .quoted, .phrase, .range, .openParen: true
        default: false
        }
    }

    mutating func applyBoost(_ clause: Clause) throws(QueryError) -> Clause {
        guard case .boost(let factor) = current.kind else { return clause }
        advance()
        var boosted = clause
        if let q = clause.query, factor != 1 { boosted.query = .boost(q, factor: factor) }
        return boosted
    }

    /// A word: term, prefix, wildcard or (with a following `~`) fuzzy term.
    mutating func word(_ text: String, quoted: Bool, token: QueryToken, fields: [String]?, explicitField: Bool) throws(QueryError) -> Clause {
        var fuzzy: (edits: Int, prefix: Int)?
        if case .tilde(let number, let prefix) = current.kind {
            let edits = number ?? FuzzyQuery.defaultMaxEdits
            guard edits <= FuzzyQuery.maxAllowedEdits else {
                throw QueryError(position: current.start + 1, message: "a fuzzy term's edit distance must be 0, 1 or 2")
            }
            fuzzy = (edits, prefix ?? FuzzyQuery.defaultPrefixLength)
            advance()
        }
        let hasWildcard = !quoted && text.contains(where: { $0 == "*" || $0 == "?" })
        if hasWildcard && fuzzy != nil {
            throw QueryError(position: token.end, message: "'~' (fuzzy) cannot follow a wildcard term")
        }
        if hasWildcard && text == "*" && !explicitField {
            return Clause(query: .matchAll)
        }
        if let fuzzy {
            return Clause(query: try overFields(fields, at: token.start) { (b, f) throws(QueryError) in
                .fuzzy(FuzzyQuery(field: f.name, text: try b.patternText(text, field: f, kind: "fuzzy", at: token.start),
                                  maxEdits: fuzzy.edits, prefixLength: fuzzy.prefix))
            })
        }
        if hasWildcard {
            let body = text.dropLast()
            let isPrefix = text.last == "*" && !body.contains(where: { $0 == "*" || $0 == "?" })
            return Clause(query: try overFields(fields, at: token.start) { (b, f) throws(QueryError) in
                if isPrefix {
                    return .prefix(field: f.name, prefix: try b.patternText(String(body), field: f, kind: "prefix", at: token.start))
                }
                return .wildcard(field: f.name, pattern: try b.patternText(text, field: f, kind: "wildcard", at: token.start))
            })
        }
        return Clause(query: try overFields(fields, at: token.start) { (b, f) throws(QueryError) in
            try b.word(text, field: f, at: token.start)
        })
    }

    /// Builds the clause for each field of the scope and ORs them (Whoosh's MultifieldParser).
    mutating func overFields(_ fields: [String]?, at position: Int,
                             _ build: (inout FieldTermBuilder, FieldConfig) throws(QueryError) -> Query?) throws(QueryError) -> Query? {
        let names = fields ?? parser.defaultFields
        guard !names.isEmpty else {
            throw QueryError(position: position, message: "no default search field: name one (field:term), or set search_field or default_search_field")
        }
        var queries: [Query] = []
        var firstError: QueryError?
        var anyBuilt = false
        for name in names {
            guard let field = parser.config.field(name) else {
                throw QueryParser.unknownField(name, config: parser.config, at: position)
            }
            do {
                if let q = try build(&builder, field) { queries.append(q) }
                anyBuilt = true
            } catch {
                // Over several default fields, a value that one field cannot take ("python"
                // for a numeric field) only skips that field (Elasticsearch's lenient
                // multi_match); it is an error when no field can take it, or the field was named.
                guard fields == nil && names.count > 1 else { throw error }
                firstError = firstError ?? error
            }
        }
        if !anyBuilt, let firstError { throw firstError }
        switch queries.count {
        case 0: return nil
        case 1: return queries[0]
        default: return .boolean(BooleanQuery(should: queries))
        }
    }

    func describe(_ token: QueryToken) -> String {
        switch token.kind {
        case .word(let w): "'\(w)'"
        case .quoted(let w): "'\(w)'"
        case .phrase: "a phrase"
        case .field(let f): "'\(f):'"
        case .range: "a range"
        case .openParen: "'('"
        case .closeParen: "')'"
        case .boost: "'^'"
        case .tilde: "'~'"
        case .and: "AND"
        case .or: "OR"
        case .not: "NOT"
        case .andNot: "ANDNOT"
        case .andMaybe: "ANDMAYBE"
        case .require: "REQUIRE"
        case .plus: "'+'"
        case .minus: "'-'"
        case .end: "the end of the query"
        }
    }
}

extension Substring {
    /// Without leading and trailing whitespace (no Foundation needed).
    var trimmingSpaces: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
