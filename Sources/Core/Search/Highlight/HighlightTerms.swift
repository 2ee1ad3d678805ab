/// What of a query can match tokens of one field: its terms, phrases, and patterns (prefix,
/// wildcard, fuzzy), gathered from the positive clauses of the tree (must-not clauses mark
/// nothing).
struct HighlightTerms {
    var terms: Set<String> = []
    var phrases: [PhraseQuery] = []
    var prefixes: [String] = []
    var wildcards: [[Unicode.Scalar]] = []
    var fuzzy: [FuzzyQuery] = []

    init(_ query: Query, field: String) {
        collect(query, field)
    }

    var isEmpty: Bool { terms.isEmpty && phrases.isEmpty && prefixes.isEmpty && wildcards.isEmpty && fuzzy.isEmpty }

    private mutating func collect(_ query: Query, _ field: String) {
        switch query {
        case .term(let f, let text) where f == field: terms.insert(text)
        case .phrase(let p) where p.field == field:
            if p.terms.count == 1 { terms.insert(p.terms[0]) } else { phrases.append(p) }
        case .prefix(let f, let prefix) where f == field: prefixes.append(prefix)
        case .wildcard(let f, let pattern) where f == field: wildcards.append(Array(pattern.unicodeScalars))
        case .fuzzy(let q) where q.field == field: fuzzy.append(q)
        case .boost(let inner, _): collect(inner, field)
        case .boolean(let b):
            for q in b.must + b.should + b.filter { collect(q, field) }
        default: break
        }
    }

    /// Whether a single token matches a term or pattern (phrases are matched separately).
    func matches(_ token: String) -> Bool {
        if terms.contains(token) { return true }
        if prefixes.contains(where: { token.hasPrefix($0) }) { return true }
        if wildcards.isEmpty && fuzzy.isEmpty { return false }
        let scalars = Array(token.unicodeScalars)
        if wildcards.contains(where: { TermPatterns.wildcardMatches($0, scalars) }) { return true }
        for f in fuzzy {
            let target = Array(f.text.unicodeScalars)
            let prefix = target.prefix(max(f.prefixLength, 0))
            guard scalars.starts(with: prefix) else { continue }
            if TermPatterns.editDistance(scalars, target, limit: min(f.maxEdits, FuzzyQuery.maxAllowedEdits)) != nil { return true }
        }
        return false
    }
}
