/// A group's membership: the voters (whose majority elects leaders and commits entries) and
/// the learners (who receive the log but neither vote nor count for commit; a joining node is a
/// learner until it has caught up, so adding it never stalls commits).
///
/// Stored sorted so two equal memberships compare equal and encode identically.
public struct ConfState: Sendable, Equatable {
    public private(set) var voters: [NodeID]
    public private(set) var learners: [NodeID]
    /// Ids removed from the group. They are never admitted again: ids are not reused, so a
    /// message from an old incarnation can never pass for a new member's.
    public private(set) var removed: [NodeID]

    public init(voters: [NodeID] = [], learners: [NodeID] = [], removed: [NodeID] = []) {
        self.voters = Array(Set(voters)).sorted()
        self.learners = Array(Set(learners).subtracting(voters)).sorted()
        self.removed = Array(Set(removed).subtracting(voters).subtracting(learners)).sorted()
    }

    /// Every member, voters first.
    public var members: [NodeID] { voters + learners }

    public func isVoter(_ id: NodeID) -> Bool { voters.contains(id) }
    public func isLearner(_ id: NodeID) -> Bool { learners.contains(id) }
    public func contains(_ id: NodeID) -> Bool { isVoter(id) || isLearner(id) }

    /// The number of voters that make a majority.
    public var quorum: Int { voters.count / 2 + 1 }

    /// The membership after `change`; changes are single-server, so this is the whole rule.
    public func applying(_ change: ConfChange) -> ConfState {
        var voters = Set(voters)
        var learners = Set(learners)
        var removed = Set(removed)
        if removed.contains(change.nodeID) { return self }
        switch change.type {
        case .addLearner:
            if !voters.contains(change.nodeID) { learners.insert(change.nodeID) }
        case .addVoter:
            learners.remove(change.nodeID)
            voters.insert(change.nodeID)
        case .removeNode:
            voters.remove(change.nodeID)
            learners.remove(change.nodeID)
            removed.insert(change.nodeID)
        }
        return ConfState(voters: Array(voters), learners: Array(learners), removed: Array(removed))
    }
}
