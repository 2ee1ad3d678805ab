/// Runs searches over one reader snapshot: compiles the query once against the snapshot's
/// collection statistics, runs it on every segment with the segment's deletions applied,
/// keeps the top hits in a heap and loads the stored fields of the requested page.
///
/// Hits are ordered by score, descending, then by global document id (the snapshot's segment
/// order, oldest first, then insertion order within a segment), so equal scores always come
/// back in the same order for the same snapshot.
///
/// A value holding the snapshot: searches on it never see later changes, and the segments'
/// files stay until the last searcher and snapshot are gone. Thread-safe; each search builds
/// its own scorers.
public struct Searcher: Sendable {
    public let snapshot: IndexSnapshot
    public let config: IndexConfig
    /// Decompressed stored-field chunks, shared with the index's other searchers.
    public let storedFields: StoredFieldsCache
    /// Runs every query through the generic scorer tree instead of the block-max collectors:
    /// the reference those are tested against (scores, order and exact totals must match it).
    var referenceExecution = false

    /// - Parameter storedFields: the index's chunk cache (keep one per index and pass it to
    ///   every searcher); by default a small one for this searcher alone.
    public init(snapshot: IndexSnapshot, config: IndexConfig, storedFields: StoredFieldsCache = StoredFieldsCache(capacity: 16)) {
        self.snapshot = snapshot
        self.config = config
        self.storedFields = storedFields
    }

    /// One page of results (API.md's `results`).
    ///
    /// - Throws: `SearchError.badRequest` for a page outside 1... or a window past
    ///   `SearchRequest.maxWindow` (without `search_after`); `.segment` when a segment file
    ///   cannot be read.
    public func search(_ request: SearchRequest) throws(SearchError) -> SearchResult {
        guard request.pageNum >= 1 else {
            throw .badRequest(parameter: "page_num", message: "page_num must be 1 or more, got \(request.pageNum)")
        }
        guard request.pageLen >= 0 else {
            throw .badRequest(parameter: "page_len", message: "page_len must be 0 or more, got \(request.pageLen)")
        }
        let (window, overflow) = request.pageNum.multipliedReportingOverflow(by: request.pageLen)
        guard !overflow && window <= SearchRequest.maxWindow else {
            throw .badRequest(parameter: "page_num",
                              message: "page_num * page_len may be at most \(SearchRequest.maxWindow) (got \(request.pageNum) * \(request.pageLen)); use search_after to page deeper")
        }
        if request.sort != nil, request.searchAfter != nil, request.searchAfterSortValue == nil {
            throw .badRequest(parameter: "search_after", message: "this cursor comes from a search without sort; pass the cursor of a hit of the same sorted search")
        }
        if request.sort == nil, request.searchAfterSortValue != nil {
            throw .badRequest(parameter: "search_after", message: "this cursor comes from a sorted search; pass the same sort")
        }
        if let sort = request.sort {
            guard let field = config.field(sort.field), Self.hasSortColumn(field) else {
                throw .badRequest(parameter: "sort", message: "cannot sort by '\(sort.field)': sort needs a numeric, datetime, boolean, keyword or sortable field")
            }
        }
        for name in request.facets {
            guard let field = config.field(name), field.type == .keyword || field.type == .idlist || field.sortable else {
                throw .badRequest(parameter: "facets", message: "cannot facet on '\(name)': facets need a keyword field")
            }
        }
        var query = request.query
        if let filter = request.filter {
            query = .boolean(BooleanQuery(must: [query], filter: [filter]))
        }
        let top: TopDocs
        do {
            if request.sort != nil || !request.facets.isEmpty {
                top = try exhaustiveTopDocs(query, weightings: request.weightings, count: window, after: request.searchAfter,
                                            afterSortValue: request.searchAfterSortValue, sort: request.sort,
                                            facets: request.facets.isEmpty ? nil : FacetCounter(fields: request.facets, size: max(request.facetSize, 0)))
            } else {
                top = try topDocs(query, weightings: request.weightings, count: window, after: request.searchAfter, trackTotal: request.trackTotal)
            }
        } catch {
            throw .segment(error)
        }
        let start = (request.pageNum - 1) * request.pageLen
        var hits: [SearchHit] = []
        if start < top.hits.count {
            let wanted = request.fields.map(Set.init)
            let highlighter = request.highlight.flatMap { Highlighter(query: request.query, options: $0, config: config) }
            for (i, hit) in top.hits[start...].enumerated() {
                var fields: [StoredField] = []
                var highlights: [String] = []
                if request.loadFields || highlighter != nil {
                    do {
                        if let (segment, local) = snapshot.locate(hit.doc) {
                            fields = try storedFields.document(local, in: segment.reader)
                        }
                    } catch {
                        throw .segment(error)
                    }
                    if let highlighter, let stored = fields.first(where: { $0.name == highlighter.options.field }) {
                        highlights = highlighter.fragments(storedJSON: stored.value)
                    }
                    if !request.loadFields {
                        fields = []
                    } else if let wanted {
                        fields = fields.filter { wanted.contains($0.name) }
                    }
                }
                let sortValue = top.sortValues.map { $0[start + i] }
                hits.append(SearchHit(doc: hit.doc, score: hit.score, rank: start + i, fields: fields, sortValue: sortValue, highlights: highlights))
            }
        }
        return SearchResult(hits: hits, total: top.total, totalRelation: top.totalRelation,
                            pageNum: request.pageNum, facets: top.facets, requestedPageLen: request.pageLen)
    }

    /// Whether segments keep a doc-value column of `field` to sort by (SegmentFieldInfo's rule).
    static func hasSortColumn(_ field: FieldConfig) -> Bool {
        switch field.type {
        case .numeric, .datetime, .boolean, .keyword, .idlist: true
        case .id: !field.unique || field.sortable
        case .stored: false
        case .text, .ngram, .ngramwords: field.sortable
        }
    }

    /// The number of live documents `query` matches (delete-by-query previews, the benchmark's
    /// count pass): no scores, no heap.
    public func count(_ query: Query, weightings: FieldWeightings = FieldWeightings()) throws(SearchError) -> Int {
        do {
            return try topDocs(query, weightings: weightings, count: 0, after: nil, trackTotal: nil).total
        } catch {
            throw .segment(error)
        }
    }

    /// The best `count` hits and the total.
    struct TopDocs {
        var hits: [ScoredDoc]
        var total: Int
        var totalRelation: TotalRelation
        /// Parallel to `hits` when sorted by a field.
        var sortValues: [SortValue]? = nil
        var facets: [FacetResult] = []
    }

    /// Every match visited (exact total), for sorting by a field and for facets.
    func exhaustiveTopDocs(_ query: Query, weightings: FieldWeightings, count: Int, after: ScoredDoc?, afterSortValue: SortValue? = nil,
                           sort: SearchSort?, facets: FacetCounter?) throws(SegmentError) -> TopDocs {
        let weight = try WeightBuilder(snapshot: snapshot, config: config, weightings: weightings).build(query)
        var facets = facets
        var scored = TopDocsCollector(capacity: sort == nil ? count : 0)
        var sorted = SortedCollector(capacity: sort == nil ? 0 : count, descending: sort?.descending ?? false)
        // Sorted paging resumes after the cursor's hit in the sort's order (value, score, doc).
        let cursor = after.map { SortedHit(value: afterSortValue ?? .missing, score: $0.score, doc: $0.doc) }
        let descending = sort?.descending ?? false
        var total = 0
        for (ordinal, segment) in snapshot.segments.enumerated() {
            facets?.startSegment(segment.reader)
            defer { facets?.finishSegment() }
            guard let scorer = try weight.scorer(in: segment, ordinal: ordinal) else { continue }
            let values = sort.map { SortValueReader(field: $0.field, reader: segment.reader) }
            let live = segment.liveDocs
            while true {
                let d = try scorer.next()
                if d == PostingsIterator.noMoreDocs { break }
                if live.hasDeletions && !live.isLive(d) { continue }
                total += 1
                facets?.count(d)
                guard count > 0 else { continue }
                let doc = segment.docBase + Int(d)
                if let values {
                    let hit = SortedHit(value: values.value(d), score: scorer.score(), doc: doc)
                    if let cursor, !SortedHit.ranksBefore(cursor, hit, descending: descending) { continue }
                    sorted.offer(hit)
                } else {
                    scored.offer(score: scorer.score(), doc: doc, after: after)
                }
            }
        }
        var top = TopDocs(hits: [], total: total, totalRelation: .equal, facets: facets?.results() ?? [])
        if sort != nil {
            sorted.compact()
            top.hits = sorted.hits.map { ScoredDoc(score: $0.score, doc: $0.doc) }
            top.sortValues = sorted.hits.map(\.value)
        } else {
            top.hits = scored.sorted()
        }
        return top
    }

    /// Runs `query` over every segment. A term or an OR of terms goes through `BlockMaxUnion`
    /// and an AND of those through `BlockMaxConjunction`, which may skip blocks once
    /// `trackTotal` hits were counted, and an OR with phrases
    /// through `PhraseUnion`, which may leave hopeless candidates unverified (then `total` is
    /// a lower bound); everything else visits every match, so `total` is exact (also beyond
    /// `track_total`: API.md only promises exactness up to it). Without `trackTotal` (every hit
    /// counted) and for counts alone, the same collectors run and never prune: their window
    /// loops are several times faster than the generic scorer tree on frequent terms.
    func topDocs(_ query: Query, weightings: FieldWeightings, count: Int, after: ScoredDoc?, trackTotal: Int?) throws(SegmentError) -> TopDocs {
        let weight = try WeightBuilder(snapshot: snapshot, config: config, weightings: weightings).build(query)
        var collector = TopDocsCollector(capacity: count)
        var skipped = false
        let fast = !referenceExecution
        let union = fast ? BlockMaxUnion(weight) : nil
        let conjunction = fast && union == nil ? BlockMaxConjunction(weight) : nil
        let phrases = fast && union == nil && conjunction == nil ? PhraseUnion(weight) : nil
        for (ordinal, segment) in snapshot.segments.enumerated() {
            if let conjunction {
                if try conjunction.collect(segment, ordinal: ordinal, into: &collector, after: after, trackTotal: trackTotal) { skipped = true }
                continue
            }
            if let union {
                if try union.collect(segment, ordinal: ordinal, into: &collector, after: after, trackTotal: trackTotal) { skipped = true }
                continue
            }
            if let phrases {
                if try phrases.collect(segment, ordinal: ordinal, into: &collector, after: after, trackTotal: trackTotal) { skipped = true }
                continue
            }
            guard let scorer = try weight.scorer(in: segment, ordinal: ordinal) else { continue }
            try collect(scorer, segment: segment, into: &collector, after: after)
        }
        return TopDocs(hits: collector.sorted(), total: collector.total, totalRelation: skipped ? .greaterOrEqual : .equal)
    }

    /// The per-segment loop: live documents only, scores only when a heap wants them.
    private func collect(_ scorer: any DocScorer, segment: IndexSnapshot.SegmentView, into collector: inout TopDocsCollector,
                         after: ScoredDoc?) throws(SegmentError) {
        let live = segment.liveDocs
        let checkLive = live.hasDeletions
        let base = segment.docBase
        let scoring = collector.capacity > 0
        while true {
            let d = try scorer.next()
            if d == PostingsIterator.noMoreDocs { return }
            if checkLive && !live.isLive(d) { continue }
            guard scoring else {
                collector.countOnly()
                continue
            }
            collector.offer(score: scorer.score(), doc: base + Int(d), after: after)
        }
    }
}
