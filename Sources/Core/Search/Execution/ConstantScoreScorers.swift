/// The members of a `DocBitSet`, each with the same score.
final class BitSetDocScorer: DocScorer {
    private let bits: DocBitSet
    private(set) var doc: Int32 = -1
    let cost: Int
    private let constant: Float

    init(bits: DocBitSet, score: Float) {
        self.bits = bits
        self.cost = bits.count
        self.constant = score
    }

    func next() throws(SegmentError) -> Int32 {
        doc = bits.nextSetBit(from: Int(doc) + 1)
        return doc
    }

    func advance(to target: Int32) throws(SegmentError) -> Int32 {
        if doc >= target { return doc }
        doc = bits.nextSetBit(from: Int(target))
        return doc
    }

    func score() -> Float { constant }
}

/// Every document of a segment (deleted ones are dropped by the collector), each with the same
/// score: `*:*`, and the positive side of a lone `NOT`.
final class AllDocsScorer: DocScorer {
    private let maxDoc: Int32
    private(set) var doc: Int32 = -1
    let cost: Int
    private let constant: Float

    init(maxDoc: Int, score: Float) {
        self.maxDoc = Int32(clamping: maxDoc)
        self.cost = maxDoc
        self.constant = score
    }

    func next() throws(SegmentError) -> Int32 {
        doc = doc + 1 < maxDoc ? doc + 1 : PostingsIterator.noMoreDocs
        return doc
    }

    func advance(to target: Int32) throws(SegmentError) -> Int32 {
        if doc >= target { return doc }
        doc = target < maxDoc ? target : PostingsIterator.noMoreDocs
        return doc
    }

    func score() -> Float { constant }
}
