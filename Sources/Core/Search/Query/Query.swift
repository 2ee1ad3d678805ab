/// A parsed query: what the query parser produces from a query string, what a program may send
/// as JSON instead (`Query+Codable.swift`), and what the executor runs against each segment.
///
/// Terms in the tree are final index terms: the parser has already run the field's analyzer
/// (or parsed the number, date or boolean), so execution never analyzes. A JSON query is taken
/// as written, without analysis: a program that builds queries sends index terms.
///
/// The tree is a value (`Hashable`, `Sendable`) so it can be cached, compared in tests and
/// printed in a stable form (`description`) for tests and `explain`.
public indirect enum Query: Sendable, Hashable {
    /// Documents whose `field` holds `text`.
    case term(field: String, text: String)
    /// Documents where the phrase's terms occur in order (see `PhraseQuery` for slop).
    case phrase(PhraseQuery)
    /// Documents with a term of `field` starting with `prefix` (the empty prefix: any term).
    case prefix(field: String, prefix: String)
    /// Documents with a term of `field` matching `pattern`: `?` one character, `*` any run.
    case wildcard(field: String, pattern: String)
    /// Documents with a term within an edit distance of `text`.
    case fuzzy(FuzzyQuery)
    /// Documents with a term of `field` in a range of terms (byte order of their UTF-8).
    case termRange(TermRangeQuery)
    /// Documents whose numeric `field` value lies in a range (doc values).
    case numericRange(NumericRangeQuery)
    /// Documents whose datetime `field` value lies in a range (doc values).
    case datetimeRange(DatetimeRangeQuery)
    /// Clauses combined: required, optional, excluded and non-scoring required.
    case boolean(BooleanQuery)
    /// Every live document, each with score 1 (`*`, `*:*`).
    case matchAll
    /// No document. What a query becomes when the analyzer removed every term (a query of
    /// stop words): an explicit value, so the caller can tell it from a parse failure.
    case matchNone
    /// `query` with its scores multiplied by `factor` (`term^2`, `(a b)^3`).
    case boost(Query, factor: Double)
}

/// A phrase: terms at relative positions.
///
/// `positions` come from the analyzer, so a stop word removed from `"the quick fox"` on a field
/// with a stop filter still counts as a position (the phrase matches "quick _ fox" only where a
/// word stood between them, as at indexing). Positions start at 0 and increase.
///
/// `slop` has Whoosh's meaning, not Lucene's: each term must occur 1 to `slop` positions after
/// the previous one (measured from where the previous term matched, plus any gap the analyzer
/// left), so `slop == 1` is the exact phrase.
public struct PhraseQuery: Sendable, Hashable {
    public var field: String
    public var terms: [String]
    public var positions: [Int]
    public var slop: Int

    public init(field: String, terms: [String], positions: [Int]? = nil, slop: Int = 1) {
        self.field = field
        self.terms = terms
        self.positions = positions ?? Array(terms.indices)
        self.slop = slop
    }
}

/// A fuzzy term: terms of `field` within `maxEdits` (Damerau-Levenshtein: insertions,
/// deletions, substitutions, transpositions) of `text` that share its first `prefixLength`
/// characters. At most `maxExpansions` terms (the closest) are searched, so a short term
/// against a large dictionary cannot blow up into a huge disjunction.
public struct FuzzyQuery: Sendable, Hashable {
    public var field: String
    public var text: String
    /// Most edits allowed (0...2).
    public var maxEdits: Int
    /// Leading characters that must match exactly (they also bound the dictionary scan).
    public var prefixLength: Int
    /// Most dictionary terms the query expands to.
    public var maxExpansions: Int

    /// Whoosh's `FuzzyTerm` defaults: 1 edit, a prefix of 1. Lucene's expansion cap (50).
    public static let defaultMaxEdits = 1
    public static let defaultPrefixLength = 1
    public static let defaultMaxExpansions = 50
    /// Edit distances above 2 match nearly everything and cost a full dictionary scan
    /// (Lucene refuses them too).
    public static let maxAllowedEdits = 2

    public init(field: String, text: String, maxEdits: Int = defaultMaxEdits, prefixLength: Int = defaultPrefixLength,
                maxExpansions: Int = defaultMaxExpansions) {
        self.field = field
        self.text = text
        self.maxEdits = maxEdits
        self.prefixLength = prefixLength
        self.maxExpansions = maxExpansions
    }
}

/// A range of a field's values; a nil bound is open. Term ranges compare terms (UTF-8 byte
/// order), numeric ranges compare numbers (doc values); `count:5` is the numeric range [5, 5].
public struct RangeQuery<Bound: Sendable & Hashable>: Sendable, Hashable {
    public var field: String
    public var lower: Bound?
    public var upper: Bound?
    public var includeLower: Bool
    public var includeUpper: Bool

    public init(field: String, lower: Bound?, upper: Bound?, includeLower: Bool = true, includeUpper: Bool = true) {
        self.field = field
        self.lower = lower
        self.upper = upper
        self.includeLower = includeLower
        self.includeUpper = includeUpper
    }
}

/// A range of terms of a text, id or keyword field.
public typealias TermRangeQuery = RangeQuery<String>

/// A range of a numeric field's values.
public typealias NumericRangeQuery = RangeQuery<NumericValue>

/// A number as a numeric field holds it: integers stay exact (an Int64 above 2^53 is not a
/// Double), floats are Doubles.
public enum NumericValue: Sendable, Hashable {
    case int(Int64)
    case double(Double)

    /// The value as a Double, for comparing against float doc values.
    public var doubleValue: Double {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        }
    }
}

/// A range of a datetime field's values, in microseconds since 1970-01-01T00:00:00Z (as the
/// index stores them). Both bounds are inclusive and nil is open: the parser has already
/// widened a prefix like `2018` to its whole period and turned exclusive ends into inclusive
/// ones (`{2018 TO 2020}` is all of 2019).
public struct DatetimeRangeQuery: Sendable, Hashable {
    public var field: String
    public var lower: Int64?
    public var upper: Int64?

    public init(field: String, lower: Int64?, upper: Int64?) {
        self.field = field
        self.lower = lower
        self.upper = upper
    }
}

/// Clauses and how they combine (Lucene's BooleanQuery).
///
/// A document matches when it matches every `must` and `filter` clause, no `mustNot` clause,
/// and at least `minimumShouldMatch` of the `should` clauses. Its score is the sum of the
/// scores of the `must` and matching `should` clauses; `filter` clauses restrict without
/// scoring (Whoosh's `REQUIRE`). A boolean with no `must`, `filter` or `should` clause matches
/// nothing: the parser writes `NOT a` as `+*:* -a`.
public struct BooleanQuery: Sendable, Hashable {
    public var must: [Query]
    public var should: [Query]
    public var mustNot: [Query]
    public var filter: [Query]
    public var minimumShouldMatch: Int

    public init(must: [Query] = [], should: [Query] = [], mustNot: [Query] = [], filter: [Query] = [], minimumShouldMatch: Int? = nil) {
        self.must = must
        self.should = should
        self.mustNot = mustNot
        self.filter = filter
        self.minimumShouldMatch = minimumShouldMatch ?? Self.defaultMinimumShouldMatch(must: must, should: should, filter: filter)
    }

    /// 1 when the should clauses are all there is (an OR must match one of them), else 0
    /// (they only add to the score), as in Lucene.
    public static func defaultMinimumShouldMatch(must: [Query], should: [Query], filter: [Query]) -> Int {
        must.isEmpty && filter.isEmpty && !should.isEmpty ? 1 : 0
    }
}
