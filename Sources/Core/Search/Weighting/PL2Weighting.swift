import Foundation

/// Whoosh's `PL2` (`pl2`, `whoosh.scoring.PL2`), the Poisson model with Laplace after-effect
/// and normalization 2 from Terrier, with its free parameter `c`:
///
///     TF    = tf * ln(1 + c * avglen / len)
///     f     = cf / N
///     score = boost * (TF * ln(1/f) + f * log2(e) + 0.5 * ln(2π TF) + TF * (ln TF - log2(e))) / (TF + 1)
///
/// Not monotone in term frequency, so it never uses block-max skipping: every candidate is
/// scored (Lucene dropped a PL2 variant for the same reason). Computed in Double as Whoosh.
public struct PL2Weighting: Weighting {
    /// Normalization 2's free parameter: larger values weaken the field-length normalization.
    public let c: Double

    /// Whoosh's default.
    public static let defaultC = 1.0

    public init(c: Double = defaultC) {
        self.c = c
    }

    public var name: String { "pl2" }
    public var isMonotone: Bool { false }

    public func scorer(field: String, collection: CollectionStatistics, term: TermStatistics, boost: Float) -> any TermScorer {
        PL2Scorer(collectionFrequency: Double(max(term.totalTermFrequency, 1)), documentCount: Double(max(collection.documentCount, 1)),
                  averageFieldLength: Double(collection.averageFieldLength), c: c, boost: Double(boost))
    }
}

struct PL2Scorer: TermScorer {
    let collectionFrequency: Double
    let documentCount: Double
    let averageFieldLength: Double
    let c: Double
    let boost: Double

    static let log2OfE = 1 / log(2.0)

    func score(termFrequency: UInt32, fieldLength: UInt32) -> Float {
        let length = Double(max(fieldLength, 1))
        let tfn = Double(termFrequency) * log(1 + c * averageFieldLength / length)
        guard tfn > 0 else { return 0 }
        let f = collectionFrequency / documentCount
        let s = (tfn * log(1 / f) + f * Self.log2OfE + 0.5 * log(2 * Double.pi * tfn) + tfn * (log(tfn) - Self.log2OfE)) / (tfn + 1)
        return Float(boost * s)
    }

    func upperBound(maxTermFrequency: UInt32, minFieldNorm: UInt8) -> Float? { nil }
}
