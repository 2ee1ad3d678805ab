import Core

/// The simulated network: every message gets a delivery time from the seed, and may be
/// dropped, duplicated or delayed (and so reordered); links can be cut to form partitions.
final class SimNetwork {
    struct InFlight {
        var deliverAt: Int
        var sequence: Int
        var message: Message
    }

    var rng: SplitMix64
    var dropPercent = 0
    var duplicatePercent = 0
    var minDelay = 1
    var maxDelay = 8
    /// Extra delay, drawn sometimes, that reorders messages.
    var longDelayPercent = 0
    var longDelay = 40
    /// Cut links, as (from, to) pairs.
    private(set) var cut: Set<Link> = []
    private var inFlight: [InFlight] = []
    private var sequence = 0

    struct Link: Hashable {
        var from: NodeID
        var to: NodeID
    }

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
    }

    func chance(_ percent: Int) -> Bool { percent > 0 && Int(rng.next() % 100) < percent }

    func canReach(_ from: NodeID, _ to: NodeID) -> Bool { !cut.contains(Link(from: from, to: to)) }

    func send(_ message: Message, now: Int) {
        guard canReach(message.from, message.to), !chance(dropPercent) else { return }
        let copies = chance(duplicatePercent) ? 2 : 1
        for _ in 0..<copies {
            var delay = minDelay + Int(rng.next() % UInt64(max(1, maxDelay - minDelay + 1)))
            if chance(longDelayPercent) { delay += Int(rng.next() % UInt64(longDelay)) }
            sequence += 1
            inFlight.append(InFlight(deliverAt: now + delay, sequence: sequence, message: message))
        }
    }

    /// The messages due at `now`, in delivery order; links cut meanwhile drop them.
    func deliverDue(now: Int) -> [Message] {
        guard inFlight.contains(where: { $0.deliverAt <= now }) else { return [] }
        var due: [InFlight] = []
        var rest: [InFlight] = []
        for item in inFlight {
            if item.deliverAt <= now { due.append(item) } else { rest.append(item) }
        }
        inFlight = rest
        due.sort { ($0.deliverAt, $0.sequence) < ($1.deliverAt, $1.sequence) }
        return due.map(\.message).filter { canReach($0.from, $0.to) }
    }

    /// Cuts every link between `a` and `b` (both directions).
    func separate(_ a: [NodeID], _ b: [NodeID]) {
        for x in a {
            for y in b where x != y {
                cut.insert(Link(from: x, to: y))
                cut.insert(Link(from: y, to: x))
            }
        }
    }

    /// Cuts the links from `a` to `b` only: `a`'s messages to `b` are lost, `b`'s to `a` arrive.
    func cutOneWay(from a: [NodeID], to b: [NodeID]) {
        for x in a {
            for y in b where x != y { cut.insert(Link(from: x, to: y)) }
        }
    }

    func heal() { cut = [] }

    var inFlightCount: Int { inFlight.count }
}
