/// The stable textual form of a query, for tests, logs and `explain`. Lucene's notation where
/// it is unambiguous:
///
/// - `text:foo` (a term with spaces or syntax characters is single-quoted: `text:'a b'`)
/// - `text:"quick fox"~1` (slop always shown; positions when not consecutive:
///   `text:"quick fox"~1@[0,2]`)
/// - `text:foo*` prefix, `text:wildcard(te?t)`, `text:foo~1/1` fuzzy (edits/prefix length)
/// - `title:[a TO c}`, `count:[1 TO *]`, `date:[2018-01-01T00:00:00.000000Z TO ...]`
/// - booleans `(+must -mustNot #filter should)~minimumShouldMatch` (the `~N` only when it is
///   not the default), `*:*`, `<none>`, `(...)^2` for boosts.
extension Query: CustomStringConvertible {
    public var description: String {
        switch self {
        case .term(let field, let text):
            return "\(field):\(Self.quoteTerm(text))"
        case .phrase(let p):
            let consecutive = p.positions == Array(p.positions.indices)
            let positions = consecutive ? "" : "@[" + p.positions.map(String.init).joined(separator: ",") + "]"
            return "\(p.field):\"\(p.terms.joined(separator: " "))\"~\(p.slop)\(positions)"
        case .prefix(let field, let prefix):
            return "\(field):\(Self.quoteTerm(prefix, allowEmpty: true))*"
        case .wildcard(let field, let pattern):
            return "\(field):wildcard(\(pattern))"
        case .fuzzy(let f):
            return "\(f.field):\(Self.quoteTerm(f.text))~\(f.maxEdits)/\(f.prefixLength)"
        case .termRange(let r):
            return Self.range(r.field, r.lower.map { Self.quoteTerm($0) }, r.upper.map { Self.quoteTerm($0) }, r.includeLower, r.includeUpper)
        case .numericRange(let r):
            return Self.range(r.field, r.lower.map(\.description), r.upper.map(\.description), r.includeLower, r.includeUpper)
        case .datetimeRange(let r):
            return Self.range(r.field, r.lower.map(DatetimeText.format), r.upper.map(DatetimeText.format), true, true)
        case .boolean(let b):
            var parts: [String] = []
            parts += b.must.map { "+\($0)" }
            parts += b.mustNot.map { "-\($0)" }
            parts += b.filter.map { "#\($0)" }
            parts += b.should.map(\.description)
            let msm = b.minimumShouldMatch == BooleanQuery.defaultMinimumShouldMatch(must: b.must, should: b.should, filter: b.filter)
                ? "" : "~\(b.minimumShouldMatch)"
            return "(" + parts.joined(separator: " ") + ")" + msm
        case .matchAll:
            return "*:*"
        case .matchNone:
            return "<none>"
        case .boost(let inner, let factor):
            return "\(inner)^\(Self.number(factor))"
        }
    }

    private static func range(_ field: String, _ lower: String?, _ upper: String?, _ includeLower: Bool, _ includeUpper: Bool) -> String {
        "\(field):\(includeLower ? "[" : "{")\(lower ?? "*") TO \(upper ?? "*")\(includeUpper ? "]" : "}")"
    }

    /// A double without a needless `.0` (`2`, `2.5`).
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    static func quoteTerm(_ text: String, allowEmpty: Bool = false) -> String {
        let special: Set<Character> = ["(", ")", "[", "]", "{", "}", "\"", "'", "^", "~", "*", "?", ":", "\\"]
        guard (text.isEmpty && !allowEmpty) || text.contains(where: { $0.isWhitespace || special.contains($0) }) else { return text }
        var out = "'"
        for c in text {
            if c == "'" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "'"
    }
}

extension NumericValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .int(let i): String(i)
        case .double(let d): String(d)
        }
    }
}
