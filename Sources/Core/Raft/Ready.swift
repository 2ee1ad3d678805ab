/// Everything the node layer must do after feeding Raft, in this order:
///
/// 1. persist `snapshot` (if any), then `entries` and `hardState` (if any) and fsync them
///    (one fsync for all of it: this is the group commit);
/// 2. only then send `messages` (they may vote, acknowledge or carry entries, which is safe
///    only once what they promise is durable);
/// 3. install `snapshot` in the state machine, then apply `committedEntries` in order;
/// 4. serve `readStates` once the state machine has applied their index;
/// 5. call `RaftNode.advance(_:)` with this value.
///
/// `ready()` returns nothing new until `advance` is called.
public struct Ready: Sendable {
    public var softState: SoftState?
    public var hardState: HardState?
    public var entries: [Entry]
    public var snapshot: Snapshot?
    public var committedEntries: [Entry]
    public var messages: [Message]
    public var readStates: [ReadState]

    /// Whether anything must be fsynced before `messages` may be sent: new entries, a
    /// snapshot, or a new term or vote. A hard state whose only change is the commit index is
    /// written but need not be synced (as in etcd): a commit index lost in a crash is learned
    /// again, since a committed entry is durable on a quorum and is committed anew by the next
    /// leader. Syncing it anyway cost a lone voter a second fsync per write.
    public var mustSync: Bool

    public init(softState: SoftState?, hardState: HardState?, entries: [Entry], snapshot: Snapshot?,
                committedEntries: [Entry], messages: [Message], readStates: [ReadState], mustSync: Bool) {
        self.softState = softState
        self.hardState = hardState
        self.entries = entries
        self.snapshot = snapshot
        self.committedEntries = committedEntries
        self.messages = messages
        self.readStates = readStates
        self.mustSync = mustSync
    }

    /// Whether there is anything at all to do.
    public var isEmpty: Bool {
        softState == nil && hardState == nil && entries.isEmpty && snapshot == nil && committedEntries.isEmpty
            && messages.isEmpty && readStates.isEmpty
    }
}
