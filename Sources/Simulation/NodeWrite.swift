import Core

/// One client write of the node-level simulation, from its proposal on the leader to its
/// acknowledgement and, for a synchronous one, to its documents being searchable on the node
/// the client asked.
struct NodeWrite {
    enum State: Equatable {
        /// Proposed; waiting for the leader to apply its entry.
        case proposed
        /// Acknowledged; a synchronous write then waits for the contact node to apply it too.
        case awaitingVisibility
        case acknowledged
        /// No answer (leader lost, entry replaced, timeout): its outcome is unknown.
        case unknown
    }

    var command: NodeCommand
    /// The node the client asked (which forwarded the write to the leader).
    var contact: NodeID
    /// The leader that proposed it, and where: acknowledged when that leader applies `index`
    /// with `term` (ClusterNode.acknowledge).
    var leader: NodeID
    var index: UInt64
    var term: UInt64
    var sync: Bool
    var deadline: Int
    var state = State.proposed
    /// The ids the write touches (put, patch, delete by id).
    var ids: [String]

    func isFinished(now: Int) -> Bool {
        state == .acknowledged || state == .unknown || deadline < now
    }

    var wasAcknowledged: Bool { state == .acknowledged || state == .awaitingVisibility }
}
