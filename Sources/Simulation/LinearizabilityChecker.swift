/// Checks that a history of register operations (one key) is linearizable: that some order of
/// the operations, consistent with real time (an operation that returned before another was
/// called comes first), explains every read. Wing & Gong's search with Lowe's memoization of
/// (set of linearized operations, state), as Porcupine does it.
///
/// Operations whose outcome is unknown (a write that timed out) have `returned == nil`: they
/// may take effect at any point after their call, or never.
public struct LinearizabilityChecker: Sendable {
    public struct Operation: Sendable, Equatable {
        public var isWrite: Bool
        /// The value written, or the value the read returned (0: unset).
        public var value: UInt64
        public var called: Int
        public var returned: Int?

        public init(isWrite: Bool, value: UInt64, called: Int, returned: Int?) {
            self.isWrite = isWrite
            self.value = value
            self.called = called
            self.returned = returned
        }
    }

    public enum Result: Sendable, Equatable {
        case linearizable
        case notLinearizable
        /// The search exceeded its budget; neither proven nor refuted.
        case unknown
    }

    public var budget: Int

    public init(budget: Int = 2_000_000) {
        self.budget = budget
    }

    private struct Event {
        var operation: Int
        var isCall: Bool
        var match: Int = -1
        var prev: Int = -1
        var next: Int = -1
    }

    private struct CacheKey: Hashable {
        var bits: [UInt64]
        var state: UInt64
    }

    public func check(_ operations: [Operation], initial: UInt64 = 0) -> Result {
        // Pending writes may also never happen: a read never needs them, and they can always be
        // placed last, so give them a return after everything.
        let end = (operations.map { max($0.called, $0.returned ?? 0) }.max() ?? 0) + 1
        var raw: [(time: Int, isCall: Bool, op: Int)] = []
        for (i, op) in operations.enumerated() {
            raw.append((op.called, true, i))
            raw.append((op.returned ?? end, false, i))
        }
        // At equal times returns come first: the checker then assumes less concurrency.
        raw.sort { ($0.time, $0.isCall ? 1 : 0, $0.op) < ($1.time, $1.isCall ? 1 : 0, $1.op) }
        // events[0] is the head sentinel.
        var events = [Event(operation: -1, isCall: false)]
        var callEvent = [Int](repeating: -1, count: operations.count)
        for item in raw {
            let index = events.count
            events.append(Event(operation: item.op, isCall: item.isCall))
            if item.isCall { callEvent[item.op] = index } else { events[callEvent[item.op]].match = index }
        }
        for i in events.indices {
            events[i].prev = i - 1
            events[i].next = i + 1 < events.count ? i + 1 : -1
        }

        func lift(_ e: Int, _ events: inout [Event]) {
            for x in [e, events[e].match] {
                let p = events[x].prev, n = events[x].next
                events[p].next = n
                if n >= 0 { events[n].prev = p }
            }
        }
        func unlift(_ e: Int, _ events: inout [Event]) {
            for x in [events[e].match, e] {
                let p = events[x].prev, n = events[x].next
                events[p].next = x
                if n >= 0 { events[n].prev = x }
            }
        }

        let words = (operations.count + 63) / 64
        var bits = [UInt64](repeating: 0, count: words)
        var state = initial
        var stack: [(event: Int, state: UInt64)] = []
        var cache: Set<CacheKey> = []
        var steps = 0
        var entry = events[0].next
        while events[0].next >= 0 {
            steps += 1
            if steps > budget { return .unknown }
            guard entry >= 0 else { return .notLinearizable }
            let event = events[entry]
            if event.isCall {
                let op = operations[event.operation]
                let ok = op.isWrite || op.value == state
                if ok {
                    let newState = op.isWrite ? op.value : state
                    var newBits = bits
                    newBits[event.operation / 64] |= 1 << UInt64(event.operation % 64)
                    if cache.insert(CacheKey(bits: newBits, state: newState)).inserted {
                        stack.append((entry, state))
                        state = newState
                        bits = newBits
                        lift(entry, &events)
                        entry = events[0].next
                        continue
                    }
                }
                entry = event.next
            } else {
                guard let (previous, previousState) = stack.popLast() else { return .notLinearizable }
                state = previousState
                let op = events[previous].operation
                bits[op / 64] &= ~(1 << UInt64(op % 64))
                unlift(previous, &events)
                entry = events[previous].next
            }
        }
        return .linearizable
    }
}
