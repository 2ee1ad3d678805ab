/// A node's role, as the node layer sees it.
public enum RaftRole: Sendable, Equatable {
    case follower, preCandidate, candidate, leader
}

/// Volatile state that is useful to the node layer but never persisted.
public struct SoftState: Sendable, Equatable {
    public var leader: NodeID
    public var role: RaftRole
}
