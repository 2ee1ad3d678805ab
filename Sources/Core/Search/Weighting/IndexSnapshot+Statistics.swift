extension IndexSnapshot {
    /// The statistics weightings score `field` with, over every segment of the snapshot:
    /// all documents (deleted ones too, until a merge drops them: tantivy's and Whoosh's N)
    /// and the sum of the field's lengths.
    public func collectionStatistics(field: String) -> CollectionStatistics {
        CollectionStatistics(documentCount: Int64(maxDoc), totalFieldLength: fieldStats(field).sumTotalTermFreq)
    }

    /// Document frequency and total frequency of `term` in `field` over every segment (deleted
    /// documents included, as the segments count them).
    public func termStatistics(field: String, term: [UInt8]) throws(SegmentError) -> TermStatistics {
        var stats = TermStatistics(documentFrequency: 0, totalTermFrequency: 0)
        for segment in segments {
            guard let info = try segment.reader.terms(field)?.lookup(term) else { continue }
            stats.documentFrequency += Int64(info.docFreq)
            stats.totalTermFrequency += info.totalTermFreq
        }
        return stats
    }
}
