/// A point-in-time view of an index for searching: its segments with the deletions they had
/// when the snapshot was taken. Immutable and ref-counted: as long as a search holds it, no
/// flush, merge or commit removes a file it reads.
///
/// Documents are addressed per segment (`SegmentView.reader` doc ids) or globally
/// (`docBase + doc`).
public final class IndexSnapshot: Sendable {
    /// One segment of a snapshot.
    public struct SegmentView: Sendable {
        let handle: SegmentHandle
        /// The segment; its doc ids are 0..<maxDoc.
        public var reader: SegmentReader { handle.reader }
        /// Deletions as of the snapshot; filter postings with `liveDocs.isLive(doc)`.
        public let liveDocs: LiveDocs
        /// The global id of the segment's doc 0.
        public let docBase: Int
    }

    public let segments: [SegmentView]
    /// Sum of `maxDoc` (deleted documents included).
    public let maxDoc: Int
    /// Live documents.
    public let numDocs: Int

    init(segments: [(SegmentHandle, LiveDocs)]) {
        var views: [SegmentView] = []
        var base = 0
        var live = 0
        for (handle, liveDocs) in segments {
            views.append(SegmentView(handle: handle, liveDocs: liveDocs, docBase: base))
            base += handle.reader.maxDoc
            live += liveDocs.liveCount
        }
        self.segments = views
        maxDoc = base
        numDocs = live
    }

    /// Field statistics summed over the segments (BM25's average length is
    /// `sumTotalTermFreq / numDocs` the way tantivy computes it, or `/ docCount` as Lucene does).
    public func fieldStats(_ field: String) -> FieldStats {
        var total = FieldStats()
        for s in segments {
            let f = s.reader.fieldStats(field)
            total.docCount += f.docCount
            total.sumTotalTermFreq += f.sumTotalTermFreq
            total.sumDocFreq += f.sumDocFreq
            total.termCount += f.termCount
        }
        return total
    }

    /// Document frequency of a term over all segments (deleted documents included, as in the
    /// per-segment statistics).
    public func docFreq(field: String, term: [UInt8]) throws(SegmentError) -> Int {
        var total = 0
        for s in segments {
            if let info = try s.reader.terms(field)?.lookup(term) { total += Int(info.docFreq) }
        }
        return total
    }

    /// The segment holding global doc `doc`, and the local id.
    public func locate(_ doc: Int) -> (segment: SegmentView, doc: Int32)? {
        var lo = 0, hi = segments.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let s = segments[mid]
            if doc < s.docBase { hi = mid - 1 } else if doc >= s.docBase + s.reader.maxDoc { lo = mid + 1 } else { return (s, Int32(doc - s.docBase)) }
        }
        return nil
    }

    /// The stored fields of global doc `doc`.
    public func document(_ doc: Int) throws(SegmentError) -> [StoredField] {
        guard let (segment, local) = locate(doc) else { return [] }
        return try segment.reader.document(local)
    }

    /// The names of the segments, in order (tests and status).
    public var segmentNames: [String] { segments.map { $0.reader.name } }
}
