/// What the term dictionary knows about one term of one field: its statistics and where its
/// postings and positions start.
public struct TermInfo: Sendable, Equatable {
    /// Number of documents containing the term (deleted ones included until a merge).
    public var docFreq: Int32
    /// Total occurrences of the term in the field over all documents.
    public var totalTermFreq: Int64
    /// Offset of the postings in the `.doc` file; unused when `docFreq == 1`.
    public var postingsOffset: Int
    /// Offset of the positions in the `.pos` file (0 when the field has no positions).
    public var positionsOffset: Int
    /// For a term in a single document, that document: its postings live in the dictionary.
    public var singleDoc: Int32

    public init(docFreq: Int32, totalTermFreq: Int64, postingsOffset: Int, positionsOffset: Int, singleDoc: Int32 = -1) {
        self.docFreq = docFreq
        self.totalTermFreq = totalTermFreq
        self.postingsOffset = postingsOffset
        self.positionsOffset = positionsOffset
        self.singleDoc = singleDoc
    }
}
