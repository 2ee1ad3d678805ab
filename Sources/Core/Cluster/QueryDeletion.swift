/// Delete-by-query as the state machine applies it: the query string parsed with the index's
/// config, then matched (no scores) over one view of every segment of the writer.
struct QueryDeletion {
    let config: IndexConfig
    let query: String
    let searchField: String?

    /// The parsed query, or the parser's message (the REST layer checks queries before they
    /// are logged, but every replica must refuse an unparseable one the same way anyway).
    func parse() -> Result<Query, QueryError> {
        do {
            let parser = try QueryParser(config: config, searchField: searchField)
            return .success(try parser.parse(query))
        } catch {
            return .failure(error)
        }
    }

    /// The live documents `query` matches in each segment of `snapshot`, in segment order.
    ///
    /// Compiled once over the whole snapshot, so multi-term expansions see every dictionary,
    /// exactly as a search of the same documents would.
    static func matches(_ query: Query, in snapshot: IndexSnapshot, config: IndexConfig) throws(SegmentError) -> [[Int32]] {
        let weight = try WeightBuilder(snapshot: snapshot, config: config, weightings: FieldWeightings()).build(query, scoring: false)
        var result: [[Int32]] = []
        for (ordinal, segment) in snapshot.segments.enumerated() {
            var docs: [Int32] = []
            if let scorer = try weight.scorer(in: segment, ordinal: ordinal) {
                while true {
                    let doc = try scorer.next()
                    if doc == PostingsIterator.noMoreDocs { break }
                    if segment.liveDocs.isLive(doc) { docs.append(doc) }
                }
            }
            result.append(docs)
        }
        return result
    }
}
