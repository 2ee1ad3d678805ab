import Core

/// A snapshot a node of the node-level simulation is installing: the Raft snapshot's index,
/// and the transfer under way (files of a member's pinned commit points streaming into the
/// node's staging), if one is.
struct SnapshotInstall {
    var index: UInt64
    var transfer: Transfer?
    /// When to look for a member to fetch from again, after a failed attempt.
    var retryAt = 0

    struct Transfer {
        var source: NodeID
        let pinned: SnapshotTransferSource
        let staging: SnapshotStaging
        /// Set when the source crashed: the receiver's next read fails, and it starts over.
        var broken = false
    }
}
