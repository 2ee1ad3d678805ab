/// The append messages sent to one follower and not yet acknowledged, bounded in count and in
/// bytes: the leader's flow control. Without a bound, a slow or partitioned follower would make
/// the leader queue every new entry for it at once.
struct Inflights {
    let maxCount: Int
    /// 0 means no byte limit.
    let maxBytes: Int
    /// (last index of the message, its bytes), in sending order.
    private var items: [(index: UInt64, bytes: Int)] = []
    private var head = 0
    private(set) var bytes = 0

    init(maxCount: Int, maxBytes: Int) {
        self.maxCount = max(1, maxCount)
        self.maxBytes = maxBytes
    }

    var count: Int { items.count - head }
    var isFull: Bool { count >= maxCount || (maxBytes > 0 && bytes >= maxBytes) }

    mutating func add(index: UInt64, bytes: Int) {
        items.append((index, bytes))
        self.bytes += bytes
    }

    /// Frees every message whose last index is <= `index` (the follower acknowledged them).
    mutating func freeLE(_ index: UInt64) {
        while head < items.count, items[head].index <= index {
            bytes -= items[head].bytes
            head += 1
        }
        compactIfNeeded()
    }

    /// Frees the oldest message, so a heartbeat response can unstick a full window whose
    /// acknowledgements were lost.
    mutating func freeFirstOne() {
        guard head < items.count else { return }
        bytes -= items[head].bytes
        head += 1
        compactIfNeeded()
    }

    mutating func reset() {
        items = []
        head = 0
        bytes = 0
    }

    private mutating func compactIfNeeded() {
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}
