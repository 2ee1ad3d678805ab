/// How a brand-new group starts: every founding node's log begins with the same conf-change
/// entries (term 1) that add each founding voter, committed from the start. Joining nodes are
/// not bootstrapped: they start empty and learn the membership from the leader's log.
public enum RaftBootstrap {
    /// The founding entries for `voters` (ids in the given order).
    public static func entries(voters: [NodeID]) -> [Entry] {
        voters.enumerated().map { i, id in
            Entry(term: 1, index: UInt64(i + 1), type: .confChange, data: ConfChange(type: .addVoter, nodeID: id).encoded())
        }
    }

    /// The hard state that goes with `entries(voters:)`.
    public static func hardState(voters: [NodeID]) -> HardState {
        HardState(term: 1, vote: 0, commit: UInt64(voters.count))
    }
}
