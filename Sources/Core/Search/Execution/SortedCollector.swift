/// A hit with its sort value, for the sorted collector.
struct SortedHit {
    var value: SortValue
    var score: Float
    var doc: Int

    /// The sort's order, then score descending, then global doc ascending. Missing values
    /// stay last whatever the direction.
    static func ranksBefore(_ a: SortedHit, _ b: SortedHit, descending: Bool) -> Bool {
        var c = SortValue.compare(a.value, b.value)
        if descending, a.value != .missing, b.value != .missing { c = -c }
        if c != 0 { return c < 0 }
        if a.score != b.score { return a.score > b.score }
        return a.doc < b.doc
    }
}

/// Keeps the best `capacity` hits by a sort: appends, and every time the buffer doubles,
/// sorts and truncates (O(n log k) overall, no comparator-generic heap needed).
struct SortedCollector {
    let capacity: Int
    let descending: Bool
    private(set) var hits: [SortedHit] = []

    init(capacity: Int, descending: Bool) {
        self.capacity = capacity
        self.descending = descending
    }

    mutating func offer(_ hit: SortedHit) {
        guard capacity > 0 else { return }
        hits.append(hit)
        if hits.count >= 2 * capacity + 64 { compact() }
    }

    mutating func compact() {
        let d = descending
        hits.sort { SortedHit.ranksBefore($0, $1, descending: d) }
        if hits.count > capacity { hits.removeLast(hits.count - capacity) }
    }
}
