/// Tunables of a node; the server maps its flags onto these (API.md, `server` flags). Tests
/// shorten the intervals rather than sleep.
public struct NodeOptions: Sendable {
    /// How often applied writes are published to searchers (DESIGN.md: every second).
    public var refreshInterval: Duration = .seconds(1)
    /// How often every index is committed, so a restart replays little of the log.
    public var commitInterval: Duration = .seconds(30)
    /// Commit after about this much log (entry bytes) since the last commit, whatever the time:
    /// it bounds the replay after a crash and lets the log be compacted.
    public var commitLogBytes: Int = 256 << 20
    /// `--log-compaction-min-entries`: entries in the log before a compaction is considered.
    public var logCompactionMinEntries: Int = 5000
    /// `--log-compaction-min-time`: the least time between two compactions.
    public var logCompactionMinTime: Duration = .seconds(300)
    /// The indices' writer options. Its `refreshInterval` is ignored: the node refreshes on its
    /// own schedule (`refreshInterval` above), so that it knows which log index a refresh covers.
    public var writer: IndexWriterOptions = IndexWriterOptions()

    /// The defaults of the `server` flags (API.md).
    public init() {}
}
