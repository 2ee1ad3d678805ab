/// The leader's pending ReadIndex requests (Raft dissertation, section 6.4): each records the
/// commit index when it arrived and is answered once a quorum has acknowledged a heartbeat sent
/// after it, which proves no newer leader existed at that moment.
struct ReadIndexQueue {
    struct Request {
        var index: UInt64
        /// Who asked: the leader itself (answer with a `ReadState`) or a follower.
        var from: NodeID
        var context: [UInt8]
        var acks: Set<NodeID>
    }

    private(set) var queue: [Request] = []

    mutating func add(index: UInt64, from: NodeID, context: [UInt8], selfID: NodeID) {
        if queue.contains(where: { $0.context == context }) { return }
        queue.append(Request(index: index, from: from, context: context, acks: [selfID]))
    }

    /// The context that the next heartbeat round carries: the newest request's.
    var lastContext: [UInt8]? { queue.last?.context }

    /// Records that `from` acknowledged the heartbeat carrying `context`; an acknowledgement of
    /// a request also covers every older one (they were sent before it). Returns the requests
    /// now confirmed by `voters`' quorum, removing them.
    mutating func acknowledge(context: [UInt8], from: NodeID, confState: ConfState) -> [Request] {
        guard let position = queue.firstIndex(where: { $0.context == context }) else { return [] }
        for i in 0...position { queue[i].acks.insert(from) }
        var ready = 0
        for i in 0...position where hasQuorum(queue[i].acks, confState) { ready = i + 1 }
        guard ready > 0 else { return [] }
        let released = Array(queue[0..<ready])
        queue.removeFirst(ready)
        return released
    }

    private func hasQuorum(_ acks: Set<NodeID>, _ confState: ConfState) -> Bool {
        confState.voters.filter { acks.contains($0) }.count >= confState.quorum
    }

    mutating func reset() { queue = [] }
}
