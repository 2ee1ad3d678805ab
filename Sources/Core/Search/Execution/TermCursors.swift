/// Term cursors in owned memory, stepped in place through `terms`: the block-max collectors'
/// per-document loops then pay no reference counting (a class instance read out of an array is
/// retained and released around every call on it). Freed with the object: keep it alive
/// (`withExtendedLifetime`) while `terms` is in use.
final class TermCursors {
    let terms: UnsafeMutablePointer<TermCursor>
    let count: Int

    init(_ cursors: [TermCursor]) {
        count = cursors.count
        terms = .allocate(capacity: max(cursors.count, 1))
        terms.initialize(from: cursors, count: cursors.count)
    }

    deinit {
        terms.deinitialize(count: count)
        terms.deallocate()
    }
}

extension TermCursor {
    /// Offers every document from the current one up to `end` (inclusive) to `collector`,
    /// scored alone: `BlockMaxUnion`'s loop for a window where no other term has a document,
    /// without its per-document pass over the terms. With `stopAtPruning`, stops (returning
    /// true, on the next document) as soon as the collector may prune with that `track_total`,
    /// so the caller can bound the rest of the window.
    mutating func collectRun(upTo end: Int32, into collector: inout TopDocsCollector, base: Int, live: LiveDocs, checkLive: Bool,
                             after: ScoredDoc?, stopAtPruning trackTotal: Int?) throws(SegmentError) -> Bool {
        let watch = trackTotal != nil
        while doc <= end && doc != PostingsIterator.noMoreDocs {
            if !checkLive || live.isLive(doc) { collector.offer(score: score(), doc: base + Int(doc), after: after) }
            _ = try next()
            if watch && collector.mayPrune(trackTotal: trackTotal) { return doc <= end && doc != PostingsIterator.noMoreDocs }
        }
        return false
    }
}
