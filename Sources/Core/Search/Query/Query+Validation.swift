extension Query {
    /// Checks a query that did not come from the parser (the JSON form) against `config`: every
    /// field exists and is searchable, and each node suits its field's type (numeric ranges on
    /// numeric fields, phrases on fields with positions...). The parser only builds valid
    /// trees, so this is for programs' queries.
    ///
    /// - Throws: `QueryError` with position 0 and a message that starts with the node's path in
    ///   the JSON (`bool.must[1].phrase`).
    public func validate(against config: IndexConfig) throws(QueryError) {
        try validate(against: config, path: "")
    }

    private func validate(against config: IndexConfig, path: String) throws(QueryError) {
        func field(_ name: String, _ kind: String, allowed: (FieldType) -> Bool, expected: String) throws(QueryError) -> FieldConfig {
            let at = path.isEmpty ? kind : "\(path).\(kind)"
            guard let f = config.field(name) else {
                throw QueryError(position: 0, message: "\(at): unknown field '\(name)'; fields: \(config.fields.map(\.name).joined(separator: ", "))")
            }
            guard allowed(f.type) else {
                throw QueryError(position: 0, message: "\(at): field '\(name)' is \(f.type.rawValue); \(kind) needs \(expected)")
            }
            return f
        }
        let terms: (FieldType) -> Bool = { $0 != .stored && $0 != .numeric && $0 != .datetime }
        switch self {
        case .term(let name, _):
            _ = try field(name, "term", allowed: terms, expected: "a field with terms (numbers and dates use ranges)")
        case .phrase(let p):
            let f = try field(p.field, "phrase", allowed: \.isAnalyzed, expected: "a text field")
            if !f.positions && p.terms.count > 1 {
                throw QueryError(position: 0, message: "\(path.isEmpty ? "phrase" : path + ".phrase"): field '\(p.field)' does not index positions")
            }
        case .prefix(let name, _):
            _ = try field(name, "prefix", allowed: \.isAnalyzed, expected: "a text, id or keyword field")
        case .wildcard(let name, _):
            _ = try field(name, "wildcard", allowed: \.isAnalyzed, expected: "a text, id or keyword field")
        case .fuzzy(let f):
            _ = try field(f.field, "fuzzy", allowed: \.isAnalyzed, expected: "a text, id or keyword field")
        case .termRange(let r):
            _ = try field(r.field, "term_range", allowed: terms, expected: "a field with terms (numbers and dates use their own ranges)")
        case .numericRange(let r):
            _ = try field(r.field, "numeric_range", allowed: { $0 == .numeric }, expected: "a numeric field")
        case .datetimeRange(let r):
            _ = try field(r.field, "datetime_range", allowed: { $0 == .datetime }, expected: "a datetime field")
        case .boolean(let b):
            let base = path.isEmpty ? "bool" : "\(path).bool"
            for (name, clauses) in [("must", b.must), ("should", b.should), ("must_not", b.mustNot), ("filter", b.filter)] {
                for (i, clause) in clauses.enumerated() {
                    try clause.validate(against: config, path: "\(base).\(name)[\(i)]")
                }
            }
        case .boost(let inner, _):
            try inner.validate(against: config, path: path.isEmpty ? "boost.query" : "\(path).boost.query")
        case .matchAll, .matchNone:
            break
        }
    }
}
