import Foundation

/// Whoosh's `TF_IDF` (`tf_idf`, `whoosh.scoring.TF_IDF`): `tf * idf` with Whoosh's idf
/// `ln(N / (df + 1)) + 1`; the field length plays no part. Monotone.
public struct TFIDFWeighting: Weighting {
    public init() {}

    public var name: String { "tf_idf" }
    public var isMonotone: Bool { true }

    /// Whoosh's `WeightingModel.idf`.
    public static func idf(documentFrequency df: Int64, documentCount n: Int64) -> Float {
        Float(log(Double(max(n, 1)) / Double(df + 1)) + 1)
    }

    public func scorer(field: String, collection: CollectionStatistics, term: TermStatistics, boost: Float) -> any TermScorer {
        TFIDFScorer(weight: boost * Self.idf(documentFrequency: term.documentFrequency, documentCount: collection.documentCount))
    }
}

struct TFIDFScorer: TermScorer {
    /// boost * idf.
    let weight: Float

    func score(termFrequency: UInt32, fieldLength: UInt32) -> Float { weight * Float(termFrequency) }
    func score(termFrequency: UInt32, fieldNorm: UInt8) -> Float { weight * Float(termFrequency) }

    func upperBound(maxTermFrequency: UInt32, minFieldNorm: UInt8) -> Float? {
        // A negative idf (a term in almost every document) would make the largest frequency
        // the lowest score; the bound must still be an upper bound.
        max(weight * Float(maxTermFrequency), weight)
    }
}
