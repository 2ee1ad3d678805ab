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
    /// How long after a member's link went down the leader still keeps the log entries it
    /// lacks: a short outage catches up from the log rather than by streaming every index.
    public var compactionMemberGrace: Duration = .seconds(10)
    /// The indices' writer options. Its `refreshInterval` is ignored: the node refreshes on its
    /// own schedule (`refreshInterval` above), so that it knows which log index a refresh covers.
    public var writer: IndexWriterOptions = IndexWriterOptions()
    /// This node's advertised peer address (`host:port`), recorded in the membership so that
    /// other members reach it.
    public var advertisedAddress: String = "localhost:7070"
    /// `--seed-addr`: a member to ask to be added through, when the node has no state yet.
    public var seedAddress: String?
    /// The Raft clock: a leader heartbeats every `heartbeatTick` ticks, a follower campaigns
    /// after `electionTick` to `2 * electionTick` ticks without one. 40 ms and 10 ticks: a
    /// dead leader is replaced within about a second.
    public var tickInterval: Duration = .milliseconds(40)
    public var electionTick: Int = 10
    public var heartbeatTick: Int = 1
    /// A follower more than this many entries behind the commit index reports itself not ready
    /// (catching up).
    public var readyLagEntries: Int = 1000
    /// How long a write waits to be committed before its outcome is reported unknown.
    public var writeTimeout: Duration = .seconds(10)
    /// What this node's registry holds (`Registry.componentNames()`), reported when it founds
    /// or joins a cluster.
    public var components: [String] = []
    /// Where the backup zip is written for the admin `snapshot` command (`--snapshot-file`).
    public var snapshotFile: String = "/tmp/cockatrice/snapshot.zip"

    /// The defaults of the `server` flags (API.md).
    public init() {}
}
