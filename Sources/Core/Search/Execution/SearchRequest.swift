/// What one search asks for (API.md, "Search parameters"), with the query already parsed and
/// the weightings already resolved by the caller (the REST layer: `QueryParser`,
/// `FieldWeightings.resolve`).
public struct SearchRequest: Sendable {
    /// The scoring query.
    public var query: Query
    /// `filter=`: restricts the hits without adding to their scores.
    public var filter: Query?
    /// 1-based page.
    public var pageNum: Int
    /// Hits per page.
    public var pageLen: Int
    /// Count hits exactly up to this many (API.md's `track_total`); nil: always exactly.
    public var trackTotal: Int?
    /// Stored fields to return per hit; nil: every stored field.
    public var fields: [String]?
    /// Per-field weightings for this search.
    public var weightings: FieldWeightings
    /// `search_after`: only hits ranking after this one (from the last hit of the previous
    /// page); paging then starts over at this cursor and is not bound by the window.
    public var searchAfter: ScoredDoc?
    /// With `sort`: the sort value of the `searchAfter` hit (its cursor carries it), so paging
    /// resumes after it in the sort's order.
    public var searchAfterSortValue: SortValue?
    /// Whether to load stored fields for the page (the benchmark's count pass does not).
    public var loadFields: Bool
    /// `sort=`: order by a doc-value column (ties: score, then doc) instead of by score.
    public var sort: SearchSort?
    /// `facets=`: keyword fields whose top values are counted over every match.
    public var facets: [String]
    /// Values returned per facet.
    public var facetSize: Int
    /// `highlight=`: fragments of a stored text field with the matches marked.
    public var highlight: HighlightOptions?

    /// `page_num * page_len` may not exceed this (Elasticsearch's `max_result_window`): deeper
    /// pages need `search_after`.
    public static let maxWindow = 10_000
    /// API.md's default `track_total`.
    public static let defaultTrackTotal = 10_000

    public init(query: Query, filter: Query? = nil, pageNum: Int = 1, pageLen: Int = 10, trackTotal: Int? = defaultTrackTotal,
                fields: [String]? = nil, weightings: FieldWeightings = FieldWeightings(), searchAfter: ScoredDoc? = nil,
                loadFields: Bool = true, sort: SearchSort? = nil, facets: [String] = [], facetSize: Int = 10,
                highlight: HighlightOptions? = nil, searchAfterSortValue: SortValue? = nil) {
        self.query = query
        self.filter = filter
        self.pageNum = pageNum
        self.pageLen = pageLen
        self.trackTotal = trackTotal
        self.fields = fields
        self.weightings = weightings
        self.searchAfter = searchAfter
        self.searchAfterSortValue = searchAfterSortValue
        self.loadFields = loadFields
        self.sort = sort
        self.facets = facets
        self.facetSize = facetSize
        self.highlight = highlight
    }
}

/// Why a search was refused or failed; the REST layer maps `.badRequest` to 400.
public enum SearchError: Error, Sendable, Equatable {
    /// A parameter out of range, with a message that names it and the limit.
    case badRequest(parameter: String, message: String)
    /// A segment could not be read (corruption, I/O): a 500, and an alarm.
    case segment(SegmentError)

    public static func == (a: SearchError, b: SearchError) -> Bool {
        switch (a, b) {
        case let (.badRequest(p1, m1), .badRequest(p2, m2)): p1 == p2 && m1 == m2
        case let (.segment(e1), .segment(e2)): "\(e1)" == "\(e2)"
        default: false
        }
    }
}
