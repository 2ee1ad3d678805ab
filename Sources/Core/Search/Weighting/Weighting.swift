/// A scoring model (BM25F, TF-IDF, PL2, or a plugin's): turns collection statistics and a
/// document's term frequency and field length into a score.
///
/// A weighting is chosen per field (the config's `weighting` section, or a request's override)
/// and makes one `TermScorer` per query term and field, once per search, from statistics over
/// the whole index (every segment, deleted documents included until a merge drops them, as
/// Lucene and tantivy count). Scorers are then called per candidate document, so they should
/// precompute what they can.
///
/// Implementations must be immutable and thread-safe: one instance serves every search.
public protocol Weighting: Sendable {
    /// The registry name (`bm25f`), for `explain` and listings.
    var name: String { get }

    /// Whether scores never decrease as term frequency grows and never increase as field length
    /// grows. Only then may the executor skip blocks by their impacts (largest term frequency,
    /// smallest field length): the block's best possible score is `upperBound` of them. A
    /// weighting that is not monotone (PL2) has every candidate scored.
    var isMonotone: Bool { get }

    /// The scorer for one term (or phrase, whose statistics the executor sums) in `field`.
    /// `boost` is the query boost; the scorer folds it (and nothing else) into its scores.
    func scorer(field: String, collection: CollectionStatistics, term: TermStatistics, boost: Float) -> any TermScorer

    /// The scorer for a phrase of `terms` in `field`, whose matches the executor counts as the
    /// term frequency. The default scores the phrase as its rarest term (a phrase is at most
    /// as frequent as that term); BM25F sums its terms' idfs, as tantivy does.
    func phraseScorer(field: String, collection: CollectionStatistics, terms: [TermStatistics], boost: Float) -> any TermScorer
}

extension Weighting {
    public func phraseScorer(field: String, collection: CollectionStatistics, terms: [TermStatistics], boost: Float) -> any TermScorer {
        let rarest = terms.min { $0.documentFrequency < $1.documentFrequency } ?? TermStatistics(documentFrequency: 0, totalTermFrequency: 0)
        return scorer(field: field, collection: collection, term: rarest, boost: boost)
    }
}

/// Scores one term's matches in one field.
public protocol TermScorer: Sendable {
    /// The score of a document where the term occurs `termFrequency` times in a field of
    /// `fieldLength` tokens.
    func score(termFrequency: UInt32, fieldLength: UInt32) -> Float

    /// The score with the field length given as its one-byte norm (what segments store); the
    /// hot path, which BM25 serves from a 256-entry table.
    func score(termFrequency: UInt32, fieldNorm: UInt8) -> Float

    /// The highest score any document of a block can get, from the block's impacts; nil when
    /// the weighting is not monotone (no skipping). Must never be below a real score.
    func upperBound(maxTermFrequency: UInt32, minFieldNorm: UInt8) -> Float?
}

extension TermScorer {
    public func score(termFrequency: UInt32, fieldNorm: UInt8) -> Float {
        score(termFrequency: termFrequency, fieldLength: FieldNorm.length(of: fieldNorm))
    }
}

/// Index-wide statistics of one field, summed over every segment of the reader snapshot.
public struct CollectionStatistics: Sendable, Hashable {
    /// Documents in the index, deleted ones included until merged away (tantivy's
    /// `total_num_docs`, Whoosh's `doc_count_all`): the N of idf.
    public var documentCount: Int64
    /// The sum over documents of the field's length in tokens (tantivy's `total_num_tokens`).
    public var totalFieldLength: Int64

    public init(documentCount: Int64, totalFieldLength: Int64) {
        self.documentCount = documentCount
        self.totalFieldLength = totalFieldLength
    }

    /// Average field length over all documents (those without the field count as 0, as in
    /// tantivy and Whoosh); 1 for an empty index, so nothing divides by zero.
    public var averageFieldLength: Float {
        documentCount > 0 && totalFieldLength > 0 ? Float(totalFieldLength) / Float(documentCount) : 1
    }
}

/// Index-wide statistics of one term in one field.
public struct TermStatistics: Sendable, Hashable {
    /// Documents containing the term (deleted ones included until merged away).
    public var documentFrequency: Int64
    /// Occurrences of the term over all documents (Whoosh's `frequency`, PL2's cf).
    public var totalTermFrequency: Int64

    public init(documentFrequency: Int64, totalTermFrequency: Int64) {
        self.documentFrequency = documentFrequency
        self.totalTermFrequency = totalTermFrequency
    }
}

extension ComponentKind where Product == any Weighting {
    /// Scoring models, configured by an index config's `weighting` section or a request.
    public static var weighting: ComponentKind { ComponentKind("weighting") }
}
