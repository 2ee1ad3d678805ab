/// `facets=field`: how many matching documents hold each value of a keyword field, counted
/// over every match (not only the page), per segment by ordinal and merged by value.
public struct FacetResult: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var value: String
        public var count: Int
    }

    public var field: String
    /// The most frequent values, count descending then value ascending.
    public var values: [Entry]
    /// Distinct values seen among the matches (all of them, not only the top ones).
    public var distinctValues: Int
}

/// Counts facet values while the collector visits matches.
struct FacetCounter {
    let fields: [String]
    let size: Int
    private var totals: [[String: Int]]
    /// The current segment's columns and per-ordinal counts.
    private var columns: [KeywordDocValues?] = []
    private var counts: [[Int]] = []

    init(fields: [String], size: Int) {
        self.fields = fields
        self.size = size
        totals = Array(repeating: [:], count: fields.count)
    }

    mutating func startSegment(_ reader: SegmentReader) {
        columns = fields.map { reader.keywordDocValues($0) }
        counts = columns.map { [Int](repeating: 0, count: $0?.valueCount ?? 0) }
    }

    @inline(__always)
    mutating func count(_ doc: Int32) {
        for i in columns.indices {
            guard let column = columns[i] else { continue }
            for ord in column.ordinals(doc) where ord < counts[i].count { counts[i][ord] += 1 }
        }
    }

    mutating func finishSegment() {
        for i in columns.indices {
            guard let column = columns[i] else { continue }
            for (ord, n) in counts[i].enumerated() where n > 0 {
                totals[i][String(decoding: column.value(ordinal: ord), as: UTF8.self), default: 0] += n
            }
        }
        columns = []
        counts = []
    }

    func results() -> [FacetResult] {
        fields.indices.map { i in
            let top = totals[i].sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(size)
            return FacetResult(field: fields[i], values: top.map { FacetResult.Entry(value: $0.key, count: $0.value) },
                               distinctValues: totals[i].count)
        }
    }
}
