/// Why Raft refused a request from the node layer.
public enum RaftError: Error, Sendable, Equatable {
    /// No leader is known, a leader transfer is in progress, or this node cannot lead: retry
    /// on another node or later.
    case proposalDropped(reason: String)
    /// A membership change is already pending, or the new leader has not yet committed an
    /// entry of its term, or the change is invalid.
    case confChangeRejected(reason: String)
}
