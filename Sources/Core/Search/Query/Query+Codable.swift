/// The JSON form of a query, for programs that build queries instead of writing query strings.
/// Each node is an object with one key naming its kind:
///
/// ```json
/// {"bool": {"must": [{"term": {"field": "text", "text": "quick"}}],
///           "must_not": [{"phrase": {"field": "text", "terms": ["lazy", "dog"], "slop": 1}}]}}
/// ```
///
/// Kinds: `term` (field, text), `phrase` (field, terms, positions?, slop?), `prefix` (field,
/// prefix), `wildcard` (field, pattern), `fuzzy` (field, text, max_edits?, prefix_length?,
/// max_expansions?), `term_range` / `numeric_range` (field, lower?, upper?, include_lower?,
/// include_upper?), `datetime_range` (field, lower?, upper?: inclusive microseconds since the
/// epoch), `bool` (must, should, must_not, filter, minimum_should_match), `match_all`,
/// `match_none`, `boost` (query, factor). Terms are index terms: they are not analyzed.
/// Decoding checks what the parser would (slop at least 1, edits at most 2...) and throws
/// `DecodingError` naming the problem, so bad JSON is a 400, never a crash.
extension Query: Codable {
    private enum Kind: String, CodingKey, CaseIterable {
        case term, phrase, prefix, wildcard, fuzzy
        case termRange = "term_range"
        case numericRange = "numeric_range"
        case datetimeRange = "datetime_range"
        case bool
        case matchAll = "match_all"
        case matchNone = "match_none"
        case boost
    }

    private enum Keys: String, CodingKey {
        case field, text, terms, positions, slop, prefix, pattern, lower, upper, query, factor
        case maxEdits = "max_edits"
        case prefixLength = "prefix_length"
        case maxExpansions = "max_expansions"
        case includeLower = "include_lower"
        case includeUpper = "include_upper"
    }

    /// `{}`: the body of `match_all` and `match_none`. Decoding asks for an object, so
    /// `{"match_all": 3}` is refused (a synthesized empty decoder would accept anything).
    private struct Empty: Codable {
        private struct NoKeys: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init() {}

        init(from decoder: any Decoder) throws {
            _ = try decoder.container(keyedBy: NoKeys.self)
        }

        func encode(to encoder: any Encoder) throws {
            _ = encoder.container(keyedBy: NoKeys.self)
        }
    }

    /// JSON nesting deeper than this (in coding-path steps, about three per boolean level) is
    /// refused, so a hostile document cannot exhaust the stack of the recursive decoder and of
    /// everything that walks the tree afterwards.
    public static let maxJSONDepth = 300

    public init(from decoder: any Decoder) throws {
        guard decoder.codingPath.count <= Self.maxJSONDepth else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "the query nests deeper than \(Self.maxJSONDepth) levels"))
        }
        let outer = try decoder.container(keyedBy: Kind.self)
        guard outer.allKeys.count == 1, let kind = outer.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a query is an object with exactly one of the keys \(Kind.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        if kind == .bool {
            self = .boolean(try outer.decode(BooleanQuery.self, forKey: .bool))
            return
        }
        if kind == .matchAll || kind == .matchNone {
            _ = try outer.decode(Empty.self, forKey: kind)
            self = kind == .matchAll ? .matchAll : .matchNone
            return
        }
        let c = try outer.nestedContainer(keyedBy: Keys.self, forKey: kind)
        func fail(_ key: Keys, _ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: message)
        }
        switch kind {
        case .term:
            self = .term(field: try c.decode(String.self, forKey: .field), text: try c.decode(String.self, forKey: .text))
        case .phrase:
            let terms = try c.decode([String].self, forKey: .terms)
            let positions = try c.decodeIfPresent([Int].self, forKey: .positions) ?? Array(terms.indices)
            let slop = try c.decodeIfPresent(Int.self, forKey: .slop) ?? 1
            guard !terms.isEmpty else { throw fail(.terms, "a phrase needs at least one term") }
            guard positions.count == terms.count, positions.first == 0, zip(positions, positions.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw fail(.positions, "positions must start at 0, not decrease, and be one per term")
            }
            guard slop >= 1 else { throw fail(.slop, "slop must be 1 or more (1 is the exact phrase)") }
            self = .phrase(PhraseQuery(field: try c.decode(String.self, forKey: .field), terms: terms, positions: positions, slop: slop))
        case .prefix:
            self = .prefix(field: try c.decode(String.self, forKey: .field), prefix: try c.decode(String.self, forKey: .prefix))
        case .wildcard:
            self = .wildcard(field: try c.decode(String.self, forKey: .field), pattern: try c.decode(String.self, forKey: .pattern))
        case .fuzzy:
            let edits = try c.decodeIfPresent(Int.self, forKey: .maxEdits) ?? FuzzyQuery.defaultMaxEdits
            let prefix = try c.decodeIfPresent(Int.self, forKey: .prefixLength) ?? FuzzyQuery.defaultPrefixLength
            let expansions = try c.decodeIfPresent(Int.self, forKey: .maxExpansions) ?? FuzzyQuery.defaultMaxExpansions
            guard (0...FuzzyQuery.maxAllowedEdits).contains(edits) else { throw fail(.maxEdits, "max_edits must be 0, 1 or 2") }
            guard prefix >= 0 else { throw fail(.prefixLength, "prefix_length must not be negative") }
            guard (1...10_000).contains(expansions) else { throw fail(.maxExpansions, "max_expansions must be from 1 to 10000") }
            self = .fuzzy(FuzzyQuery(field: try c.decode(String.self, forKey: .field), text: try c.decode(String.self, forKey: .text),
                                     maxEdits: edits, prefixLength: prefix, maxExpansions: expansions))
        case .termRange:
            self = .termRange(try Self.decodeRange(c, String.self))
        case .numericRange:
            self = .numericRange(try Self.decodeRange(c, NumericValue.self))
        case .datetimeRange:
            // The tree keeps inclusive microsecond bounds; an exclusive one moves by a microsecond.
            let r = try Self.decodeRange(c, Int64.self)
            let lower = r.includeLower ? r.lower : r.lower.map { $0 == .max ? $0 : $0 + 1 }
            let upper = r.includeUpper ? r.upper : r.upper.map { $0 == .min ? $0 : $0 - 1 }
            self = .datetimeRange(DatetimeRangeQuery(field: r.field, lower: lower, upper: upper))
        case .boost:
            let factor = try c.decode(Double.self, forKey: .factor)
            guard factor.isFinite, factor >= 0 else { throw fail(.factor, "factor must be a finite number, 0 or more") }
            self = .boost(try c.decode(Query.self, forKey: .query), factor: factor)
        case .bool, .matchAll, .matchNone:
            throw fail(.field, "unreachable")
        }
    }

    private static func decodeRange<Bound: Decodable & Sendable & Hashable>(_ c: KeyedDecodingContainer<Keys>, _: Bound.Type) throws -> RangeQuery<Bound> {
        RangeQuery(field: try c.decode(String.self, forKey: .field), lower: try c.decodeIfPresent(Bound.self, forKey: .lower),
                   upper: try c.decodeIfPresent(Bound.self, forKey: .upper),
                   includeLower: try c.decodeIfPresent(Bool.self, forKey: .includeLower) ?? true,
                   includeUpper: try c.decodeIfPresent(Bool.self, forKey: .includeUpper) ?? true)
    }

    /// A range's keys; `inclusive` nil for datetime ranges, whose bounds are always inclusive.
    private static func encodeRange<Bound: Encodable>(_ c: inout KeyedEncodingContainer<Keys>, _ field: String, _ lower: Bound?, _ upper: Bound?,
                                                      inclusive: (lower: Bool, upper: Bool)?) throws {
        try c.encode(field, forKey: .field)
        try c.encodeIfPresent(lower, forKey: .lower)
        try c.encodeIfPresent(upper, forKey: .upper)
        if let inclusive {
            try c.encode(inclusive.lower, forKey: .includeLower)
            try c.encode(inclusive.upper, forKey: .includeUpper)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var outer = encoder.container(keyedBy: Kind.self)
        switch self {
        case .boolean(let b):
            try outer.encode(b, forKey: .bool)
            return
        case .matchAll:
            try outer.encode(Empty(), forKey: .matchAll)
            return
        case .matchNone:
            try outer.encode(Empty(), forKey: .matchNone)
            return
        default:
            break
        }
        switch self {
        case .term(let field, let text):
            var c = outer.nestedContainer(keyedBy: Keys.self, forKey: .term)
            try c.encode(field, forKey: .field)
            try c.encode(text, forKey: .text)
        case .phrase(let p):
            var c = outer.nestedContainer(keyedBy: Keys.self, forKey: .phrase)
            try c.encode(p.field, forKey: .field)
            try c.encode(p.terms, forKey: .terms)
            try c.encode(p.positions, forKey: .positions)
            try c.encode(p.slop, forKey: .slop)
        case .prefix(let field, let prefix):
            var c = outer.nestedContainer(keyedBy: Keys.self, forKey: .prefix)
            try c.encode(field, forKey: .field)
            try c.encode(prefix, forKey: .prefix)
        case .wildcard(let field, let pattern):
            var c = outer.nestedContainer(keyedBy: Keys.self, forKey: .wildcard)
            try c.encode(field, forKey: .field)
            try c.encode(pattern, forKey: .pattern)
        case .fuzzy(let f):
            var c = outer.nestedContainer(keyedBy: Keys.self, forKey: .fuzzy)
            try c.encode(f.field, forKey: .field)
            try c.encode(f.text, forKey: .text)
            try c.encode(f.maxEdits, forKey: .maxEdits)
            try c.encode(f.prefixLength, forKey: .prefixLength)
            try c.encode(f.maxExpansions, forKey: .maxExpansions)
        case .termRange(let r):
            var c = outer.nestedContainer(keyedBy: Keys.self, forKey: .termRange)
            try Self.encodeRange(&c, r.field, r.lower, r.upper, inclusive: (r.includeLower, r.includeUpper))
        case .numericRange(let r):
            var c = outer.nestedContainer(keyedBy: Keys.self, forKey: .numericRange)
            try Self.encodeRange(&c, r.field, r.lower, r.upper, inclusive: (r.includeLower, r.includeUpper))
        case .datetimeRange(let r):
            var c = outer.nestedContainer(keyedBy: Keys.self, forKey: .datetimeRange)
            try Self.encodeRange(&c, r.field, r.lower, r.upper, inclusive: nil)
        case .boost(let inner, let factor):
            var c = outer.nestedContainer(keyedBy: Keys.self, forKey: .boost)
            try c.encode(inner, forKey: .query)
            try c.encode(factor, forKey: .factor)
        case .boolean, .matchAll, .matchNone:
            break
        }
    }
}

extension BooleanQuery: Codable {
    enum CodingKeys: String, CodingKey {
        case must, should, filter
        case mustNot = "must_not"
        case minimumShouldMatch = "minimum_should_match"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let must = try c.decodeIfPresent([Query].self, forKey: .must) ?? []
        let should = try c.decodeIfPresent([Query].self, forKey: .should) ?? []
        let mustNot = try c.decodeIfPresent([Query].self, forKey: .mustNot) ?? []
        let filter = try c.decodeIfPresent([Query].self, forKey: .filter) ?? []
        let msm = try c.decodeIfPresent(Int.self, forKey: .minimumShouldMatch)
        if let msm, msm < 0 || msm > should.count {
            throw DecodingError.dataCorruptedError(forKey: .minimumShouldMatch, in: c,
                                                   debugDescription: "minimum_should_match must be from 0 to the number of should clauses (\(should.count))")
        }
        self.init(must: must, should: should, mustNot: mustNot, filter: filter, minimumShouldMatch: msm)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !must.isEmpty { try c.encode(must, forKey: .must) }
        if !should.isEmpty { try c.encode(should, forKey: .should) }
        if !mustNot.isEmpty { try c.encode(mustNot, forKey: .mustNot) }
        if !filter.isEmpty { try c.encode(filter, forKey: .filter) }
        if minimumShouldMatch != Self.defaultMinimumShouldMatch(must: must, should: should, filter: filter) {
            try c.encode(minimumShouldMatch, forKey: .minimumShouldMatch)
        }
    }
}

/// A JSON number: an integer stays `.int` (exact), anything else is `.double`.
extension NumericValue: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int64.self) {
            self = .int(i)
            return
        }
        let d = try c.decode(Double.self)
        guard d.isFinite else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "a bound must be a finite number")
        }
        self = .double(d)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        }
    }
}
