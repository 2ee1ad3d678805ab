/// How an `IndexWriter` buffers, refreshes and merges.
public struct IndexWriterOptions: Sendable {
    /// Heap the in-memory segment may use before it is flushed as a segment. Peak memory of
    /// indexing is bounded by this (plus merges), not by the corpus.
    public var ramBudgetBytes: Int
    /// How often buffered documents become searchable without a commit; nil: only on
    /// `refresh()` (and when the RAM budget flushes).
    public var refreshInterval: Duration?
    public var mergePolicy: any MergePolicy
    /// Merges running at once in the background.
    public var maxConcurrentMerges: Int
    /// Whether flushes schedule background merges (off: only `forceMerge`).
    public var backgroundMerges: Bool
    /// Segment names carry a random part after their number; with a seed it is drawn from it,
    /// so a simulation replays to the same files (nil: the system's randomness).
    public var segmentNameSeed: UInt64?

    public init(ramBudgetBytes: Int = 64 << 20, refreshInterval: Duration? = .seconds(1), mergePolicy: any MergePolicy = TieredMergePolicy(),
                maxConcurrentMerges: Int = 1, backgroundMerges: Bool = true) {
        self.ramBudgetBytes = ramBudgetBytes
        self.refreshInterval = refreshInterval
        self.mergePolicy = mergePolicy
        self.maxConcurrentMerges = maxConcurrentMerges
        self.backgroundMerges = backgroundMerges
    }
}
