/// One hit of a page: the fields for `results.hits[i].doc.fields`, its score, and its 0-based
/// rank over the whole result (API.md's `rank` and `pos`, equal as in Whoosh).
public struct SearchHit: Sendable {
    /// The global document id within the snapshot searched (for `search_after` cursors, and
    /// meaningless in any other snapshot).
    public var doc: Int
    public var score: Float
    public var rank: Int
    /// The selected stored fields, raw JSON values as the client sent them.
    public var fields: [StoredField]
    /// The hit's value of the sort field, when the request sorted by one.
    public var sortValue: SortValue?
    /// Marked fragments of the highlighted field (empty without `highlight`, or no match in it).
    public var highlights: [String] = []

    /// The cursor to pass as `search_after` to continue after this hit.
    public var cursor: ScoredDoc { ScoredDoc(score: score, doc: doc) }
}

/// `"eq"` when `total` is exact, `"gte"` when it is a lower bound (past `track_total`).
public enum TotalRelation: String, Sendable {
    case equal = "eq"
    case greaterOrEqual = "gte"
}

/// A page of results with the counts of API.md's `results` object.
public struct SearchResult: Sendable {
    public var hits: [SearchHit]
    public var total: Int
    public var totalRelation: TotalRelation
    public var pageNum: Int
    /// One entry per requested facet field, in request order.
    public var facets: [FacetResult] = []
    /// The page length asked for (`page_len` in the response is `hits.count`, as the original).
    public var requestedPageLen: Int

    /// Pages of `requestedPageLen` hits that `total` fills.
    public var pageCount: Int {
        requestedPageLen > 0 ? (total + requestedPageLen - 1) / requestedPageLen : 0
    }

    /// Whether no hit follows this page.
    public var isLastPage: Bool { pageNum >= pageCount }
}
