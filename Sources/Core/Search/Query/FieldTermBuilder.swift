/// Turns the text the user typed for one field into leaf queries: runs the field's analyzer in
/// `.query` mode for text-like fields, parses numbers, datetimes and booleans for the others.
///
/// One builder serves one parse: it reuses a `TokenStream` for every term and remembers, per
/// field, whether the analyzer lowercases (prefix, wildcard and fuzzy terms are lowercased
/// then and otherwise left alone, as API.md says). Returning nil means "the analyzer removed
/// every token" (a stop word): the enclosing query drops the clause, as Whoosh does.
struct FieldTermBuilder {
    private var stream = TokenStream()
    private var lowercases: [String: Bool] = [:]

    // MARK: Terms

    /// A bare word: one term, the AND of several (Whoosh's default `multitoken_query`), or nil.
    mutating func word(_ text: String, field: FieldConfig, at position: Int) throws(QueryError) -> Query? {
        switch field.type {
        case .numeric:
            let value = try number(text, field: field, at: position)
            return .numericRange(NumericRangeQuery(field: field.name, lower: value, upper: value))
        case .datetime:
            let period = try datetime(text, field: field, at: position)
            return .datetimeRange(DatetimeRangeQuery(field: field.name, lower: period.lowerBound, upper: period.upperBound))
        case .boolean:
            return .term(field: field.name, text: try boolean(text, field: field, at: position) ? "true" : "false")
        case .stored:
            throw Self.notSearchable(field, at: position)
        case .id, .idlist, .keyword, .text, .ngram, .ngramwords:
            let terms = analyze(text, field: field).map(\.term)
            switch terms.count {
            case 0: return nil
            case 1: return .term(field: field.name, text: terms[0])
            default: return .boolean(BooleanQuery(must: terms.map { .term(field: field.name, text: $0) }))
            }
        }
    }

    /// A phrase: its terms at the positions the analyzer gave, relative to the first. A phrase
    /// that analyzes to one term is that term.
    mutating func phrase(_ text: String, slop: Int, field: FieldConfig, at position: Int) throws(QueryError) -> Query? {
        guard field.type.isAnalyzed else {
            // A quoted value of a numeric, datetime or boolean field is just that value.
            return try word(text, field: field, at: position)
        }
        let tokens = analyze(text, field: field)
        guard let first = tokens.first else { return nil }
        if tokens.count == 1 { return .term(field: field.name, text: first.term) }
        guard field.positions else {
            throw QueryError(position: position, message: "field '\(field.name)' does not index positions, so it cannot search phrases (give it 'phrase: true')")
        }
        return .phrase(PhraseQuery(field: field.name, terms: tokens.map(\.term),
                                   positions: tokens.map { $0.position - first.position }, slop: slop))
    }

    /// The analyzed tokens of `text`, materialized.
    private mutating func analyze(_ text: String, field: FieldConfig) -> [(term: String, position: Int)] {
        guard let analyzer = field.analyzer else { return text.isEmpty ? [] : [(text, 0)] }
        stream.analyze(text, with: analyzer, mode: .query)
        let buffer = stream.tokens
        return (0..<buffer.count).map { (buffer.termString($0), Int(buffer[$0].position)) }
    }

    // MARK: Patterns

    /// A prefix (`foo*`), wildcard (`te?t`, `t*t`) or fuzzy (`foo~2/3`) term: not analyzed, only
    /// lowercased when the field's analyzer lowercases.
    mutating func patternText(_ text: String, field: FieldConfig, kind: String, at position: Int) throws(QueryError) -> String {
        guard field.type.isAnalyzed else {
            throw QueryError(position: position, message: "\(kind) terms need a text, id or keyword field; '\(field.name)' is \(field.type.rawValue)")
        }
        return analyzerLowercases(field) ? text.lowercased() : text
    }

    /// Whether the field's analyzer lowercases: probed once per field with "A" (an analyzer that
    /// removes the probe, e.g. a minimum length filter, is probed with a longer word).
    private mutating func analyzerLowercases(_ field: FieldConfig) -> Bool {
        if let known = lowercases[field.name] { return known }
        var answer = false
        for probe in ["A", "QX", "QXZW"] {
            let tokens = analyze(probe, field: field)
            if let t = tokens.first {
                answer = t.term == probe.lowercased()
                break
            }
        }
        lowercases[field.name] = answer
        return answer
    }

    // MARK: Ranges

    /// A range on any searchable field: numbers and datetimes by value, others by term.
    mutating func range(_ syntax: RangeSyntax, field: FieldConfig, at position: Int) throws(QueryError) -> Query {
        switch field.type {
        case .numeric:
            let lower = try syntax.lower.map { (text) throws(QueryError) in try number(text, field: field, at: syntax.lowerStart) }
            let upper = try syntax.upper.map { (text) throws(QueryError) in try number(text, field: field, at: syntax.upperStart) }
            return .numericRange(NumericRangeQuery(field: field.name, lower: lower, upper: upper,
                                                   includeLower: !syntax.excludeLower, includeUpper: !syntax.excludeUpper))
        case .datetime:
            // A bound is a period: an inclusive start covers its period's first instant, an
            // exclusive one starts after its period; likewise for the end. (Whoosh ignored
            // exclusivity on dates.)
            var lower: Int64?
            var upper: Int64?
            if let text = syntax.lower {
                let p = try datetime(text, field: field, at: syntax.lowerStart)
                lower = syntax.excludeLower ? (p.upperBound == .max ? .max : p.upperBound + 1) : p.lowerBound
            }
            if let text = syntax.upper {
                let p = try datetime(text, field: field, at: syntax.upperStart)
                upper = syntax.excludeUpper ? (p.lowerBound == .min ? .min : p.lowerBound - 1) : p.upperBound
            }
            return .datetimeRange(DatetimeRangeQuery(field: field.name, lower: lower, upper: upper))
        case .stored:
            throw Self.notSearchable(field, at: position)
        case .boolean, .id, .idlist, .keyword, .text, .ngram, .ngramwords:
            let lower = try syntax.lower.map { (text) throws(QueryError) in try rangeTerm(text, field: field) }
            let upper = try syntax.upper.map { (text) throws(QueryError) in try rangeTerm(text, field: field) }
            return .termRange(TermRangeQuery(field: field.name, lower: lower, upper: upper,
                                             includeLower: !syntax.excludeLower, includeUpper: !syntax.excludeUpper))
        }
    }

    /// A term-range bound: the analyzer's single token when it gives one (Whoosh analyzes
    /// bounds without tokenizing); otherwise the text, lowercased if the analyzer lowercases.
    private mutating func rangeTerm(_ text: String, field: FieldConfig) throws(QueryError) -> String {
        if field.type == .boolean { return text }
        let tokens = analyze(text, field: field)
        if tokens.count == 1 { return tokens[0].term }
        return analyzerLowercases(field) ? text.lowercased() : text
    }

    // MARK: Values

    private func number(_ text: String, field: FieldConfig, at position: Int) throws(QueryError) -> NumericValue {
        let kind = field.numeric?.kind ?? .int
        if kind == .int {
            if let i = Int64(text) { return .int(i) }
            throw QueryError(position: position, message: "field '\(field.name)' holds integers; '\(text)' is not one")
        }
        guard let d = Double(text), d.isFinite, text.unicodeScalars.allSatisfy({ $0.isASCII }) else {
            throw QueryError(position: position, message: "field '\(field.name)' holds numbers; '\(text)' is not one")
        }
        return .double(d)
    }

    private func datetime(_ text: String, field: FieldConfig, at position: Int) throws(QueryError) -> ClosedRange<Int64> {
        guard let period = DatetimeText.period(text) else {
            throw QueryError(position: position, message: "field '\(field.name)' holds datetimes; '\(text)' is not one (use YYYYMMDDhhmmss or a prefix of it like 2018 or 201807, or ISO 8601)")
        }
        return period
    }

    private func boolean(_ text: String, field: FieldConfig, at position: Int) throws(QueryError) -> Bool {
        switch text.lowercased() {
        case "true", "yes", "t", "y", "1", "on": return true
        case "false", "no", "f", "n", "0", "off": return false
        default:
            throw QueryError(position: position, message: "field '\(field.name)' is boolean; expected true/false, yes/no or 1/0, got '\(text)'")
        }
    }

    static func notSearchable(_ field: FieldConfig, at position: Int) -> QueryError {
        QueryError(position: position, message: "field '\(field.name)' is stored only and cannot be searched")
    }
}
