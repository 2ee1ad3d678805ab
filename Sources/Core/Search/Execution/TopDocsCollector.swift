/// A scored hit by its global document id (the snapshot's `docBase + doc`).
public struct ScoredDoc: Sendable, Hashable {
    public var score: Float
    public var doc: Int

    public init(score: Float, doc: Int) {
        self.score = score
        self.doc = doc
    }

    /// The result order: higher score first, then lower global doc id. Global ids follow the
    /// snapshot's segment order (oldest segment first) and each segment's insertion order, so
    /// ties resolve to the document indexed first, deterministically for one snapshot.
    @inline(__always)
    func ranksBefore(_ other: ScoredDoc) -> Bool {
        score > other.score || (score == other.score && doc < other.doc)
    }
}

/// Keeps the best `capacity` hits in a binary min-heap whose root is the worst kept hit, and
/// counts every hit offered.
///
/// Documents arrive in ascending global order, so a newcomer that ties the root's score ranks
/// after it: `threshold` can reject on `score <= root.score` alone.
struct TopDocsCollector {
    let capacity: Int
    private(set) var heap: [ScoredDoc] = []
    /// Hits offered (the exact total, when every match was offered).
    private(set) var total = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 0)
        heap.reserveCapacity(min(self.capacity, 1 << 16))
    }

    /// The score a new hit must beat to enter, or -infinity while the heap is not full.
    var threshold: Float {
        heap.count == capacity && capacity > 0 ? heap[0].score : -.infinity
    }

    /// Whether hits may now be skipped by their bounds: the heap is full and `trackTotal` hits
    /// were counted (nil: every hit must be counted, so never).
    @inline(__always)
    func mayPrune(trackTotal: Int?) -> Bool {
        guard let trackTotal else { return false }
        return capacity > 0 && heap.count >= capacity && total >= trackTotal
    }

    mutating func countOnly() { total += 1 }

    @inline(__always)
    mutating func offer(score: Float, doc: Int) {
        total += 1
        guard capacity > 0 else { return }
        if heap.count < capacity {
            heap.append(ScoredDoc(score: score, doc: doc))
            siftUp(heap.count - 1)
        } else if score > heap[0].score {
            heap[0] = ScoredDoc(score: score, doc: doc)
            siftDown(0)
        }
    }

    /// Offers a hit unless it ranks at or before the `search_after` cursor (then it is only
    /// counted: the total covers the whole result, not what follows the cursor).
    @inline(__always)
    mutating func offer(score: Float, doc: Int, after: ScoredDoc?) {
        if let after, !after.ranksBefore(ScoredDoc(score: score, doc: doc)) {
            countOnly()
        } else {
            offer(score: score, doc: doc)
        }
    }

    /// The kept hits, best first.
    func sorted() -> [ScoredDoc] {
        heap.sorted { $0.ranksBefore($1) }
    }

    /// Whether `a` is a worse hit than `b` (the heap's order: worst at the root).
    @inline(__always)
    private func worse(_ a: ScoredDoc, _ b: ScoredDoc) -> Bool { b.ranksBefore(a) }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard worse(heap[i], heap[parent]) else { return }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let l = 2 * i + 1
            guard l < n else { return }
            var m = l
            let r = l + 1
            if r < n && worse(heap[r], heap[l]) { m = r }
            guard worse(heap[m], heap[i]) else { return }
            heap.swapAt(i, m)
            i = m
        }
    }
}
