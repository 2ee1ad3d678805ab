import Foundation
import Synchronization

/// BM25 per field, summed over fields by the executor (the project's `bm25f`, and
/// `whoosh.scoring.BM25F`): the formula of Lucene and tantivy, so scores can be checked
/// against tantivy's.
///
///     idf   = ln(1 + (N - df + 0.5) / (df + 0.5))
///     score = boost * idf * (K1 + 1) * tf / (tf + K1 * (1 - B + B * len / avglen))
///
/// `len` is the field length as its one-byte norm rounds it (tantivy's encoding,
/// `FieldNorm`), `avglen` the exact index-wide average. The idf is Lucene's, not Whoosh's
/// `ln(N / (df + 1)) + 1`: a documented change (API.md). The field's `field_boost` multiplies
/// the score through `boost`. Arithmetic is Float in tantivy's order, so scores match it.
public struct BM25FWeighting: Weighting {
    /// Term-frequency saturation: how fast repeated occurrences stop adding to the score.
    public let k1: Float
    /// Length normalization, 0 (none) to 1 (full), for fields without their own `<field>_B`.
    public let b: Float
    /// Per-field B (`<field>_B` arguments, as Whoosh's BM25F takes them).
    public let fieldB: [String: Float]

    /// Whoosh's, Lucene's and tantivy's defaults.
    public static let defaultK1: Float = 1.2
    public static let defaultB: Float = 0.75

    public init(k1: Float = defaultK1, b: Float = defaultB, fieldB: [String: Float] = [:]) {
        self.k1 = k1
        self.b = b
        self.fieldB = fieldB
    }

    public var name: String { "bm25f" }
    public var isMonotone: Bool { true }

    /// tantivy's idf (`bm25.rs`).
    public static func idf(documentFrequency df: Int64, documentCount n: Int64) -> Float {
        let df = min(df, n)
        let x = (Float(n - df) + 0.5) / (Float(df) + 0.5)
        return log(1 + x)
    }

    public func scorer(field: String, collection: CollectionStatistics, term: TermStatistics, boost: Float) -> any TermScorer {
        scorer(field: field, collection: collection,
               idf: Self.idf(documentFrequency: term.documentFrequency, documentCount: collection.documentCount), boost: boost)
    }

    /// tantivy's phrase weight: the sum of the terms' idfs.
    public func phraseScorer(field: String, collection: CollectionStatistics, terms: [TermStatistics], boost: Float) -> any TermScorer {
        let idf = terms.reduce(Float(0)) { $0 + Self.idf(documentFrequency: $1.documentFrequency, documentCount: collection.documentCount) }
        return scorer(field: field, collection: collection, idf: idf, boost: boost)
    }

    /// A scorer with a given idf: a phrase scores with the sum of its terms' idfs (tantivy).
    public func scorer(field: String, collection: CollectionStatistics, idf: Float, boost: Float) -> BM25Scorer {
        BM25Scorer(idf: idf, k1: k1, b: fieldB[field] ?? b, averageFieldLength: collection.averageFieldLength, boost: boost)
    }
}

/// BM25 for one term: `weight * tf / (tf + cache[norm])`, as tantivy's `Bm25Weight`.
public struct BM25Scorer: TermScorer {
    /// boost * idf * (K1 + 1).
    public let weight: Float
    let k1: Float
    let b: Float
    let averageFieldLength: Float
    /// K1 * (1 - B + B * length(norm) / avglen) for each of the 256 norms.
    let cache: BM25NormTable

    init(idf: Float, k1: Float, b: Float, averageFieldLength: Float, boost: Float) {
        self.weight = boost * (idf * (1 + k1))
        self.k1 = k1
        self.b = b
        self.averageFieldLength = averageFieldLength
        cache = BM25NormTable.shared(k1: k1, b: b, averageFieldLength: averageFieldLength)
    }

    public func score(termFrequency: UInt32, fieldLength: UInt32) -> Float {
        let tf = Float(termFrequency)
        let norm = k1 * (1 - b + b * Float(fieldLength) / averageFieldLength)
        return weight * (tf / (tf + norm))
    }

    public func score(termFrequency: UInt32, fieldNorm: UInt8) -> Float {
        let tf = Float(termFrequency)
        return weight * (tf / (tf + cache.values[Int(fieldNorm)]))
    }

    public func upperBound(maxTermFrequency: UInt32, minFieldNorm: UInt8) -> Float? {
        score(termFrequency: maxTermFrequency, fieldNorm: minFieldNorm)
    }
}

/// BM25's length part, `K1 * (1 - B + B * length(norm) / avglen)`, for each of the 256 norms,
/// in owned memory: `TermDocScorer` reads it per document through the raw pointer (an array
/// would cost a retain and release per document) and the scorers of every segment share one
/// table instead of copying it.
///
/// Unchecked `Sendable`: written only in `init`, read-only after.
final class BM25NormTable: @unchecked Sendable {
    static let count = 256
    /// `count` values, freed in deinit.
    let values: UnsafeMutablePointer<Float>

    init(k1: Float, b: Float, averageFieldLength: Float) {
        values = .allocate(capacity: Self.count)
        let lengths = FieldNorm.table
        for i in 0..<Self.count {
            let length = i < lengths.count ? Float(lengths[i]) : 0
            (values + i).initialize(to: k1 * (1 - b + b * length / averageFieldLength))
        }
    }

    deinit { values.deallocate() }

    /// The table for these parameters, computed once and shared: every term of every query
    /// needs one, and 256 divisions cost a rare term's query about 4% of its time. The
    /// average length changes with the index, so old tables are dropped when many collect.
    static func shared(k1: Float, b: Float, averageFieldLength: Float) -> BM25NormTable {
        let key = Key(k1: k1.bitPattern, b: b.bitPattern, averageFieldLength: averageFieldLength.bitPattern)
        if let table = tables.withLock({ $0[key] }) { return table }
        let table = BM25NormTable(k1: k1, b: b, averageFieldLength: averageFieldLength)
        tables.withLock { tables in
            if tables.count >= 64 { tables.removeAll(keepingCapacity: true) }
            tables[key] = table
        }
        return table
    }

    private struct Key: Hashable {
        let k1: UInt32
        let b: UInt32
        let averageFieldLength: UInt32
    }

    private static let tables = Mutex<[Key: BM25NormTable]>([:])
}
