/// The state each node must persist before it answers a message that depends on it: its
/// current term and the vote it cast in that term (so it never votes twice in one term, even
/// across a crash), and the commit index it knows (so a restart does not re-learn it slowly).
public struct HardState: Sendable, Equatable {
    public var term: UInt64
    /// The candidate voted for in `term`, or 0.
    public var vote: NodeID
    public var commit: UInt64

    public init(term: UInt64 = 0, vote: NodeID = 0, commit: UInt64 = 0) {
        self.term = term
        self.vote = vote
        self.commit = commit
    }

    public var isEmpty: Bool { self == HardState() }
}
