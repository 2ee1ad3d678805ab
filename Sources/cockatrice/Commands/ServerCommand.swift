import ArgumentParser
import Foundation

/// `cockatrice server`: start a node, standalone or as part of a cluster. Flag names and
/// defaults are the original's (API.md).
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Start a node (standalone, or part of a cluster).",
        discussion: """
            Without --seed-addr and without state in --index-dir, the node bootstraps a new cluster \
            (a one-node cluster is the standalone mode). With --seed-addr it asks that member to add it. \
            A node restarted with the same flags is the same node and rejoins by itself.
            """
    )

    @Option(help: "Name the peer (Raft) port binds and advertises.")
    var host: String = "localhost"

    @Option(help: "Peer port: Raft RPCs between nodes, and the admin commands.")
    var port: Port = Port(7070)

    @Option(name: .customLong("http-port"), help: "REST API port.")
    var httpPort: Port = Port(8080)

    @Option(name: .customLong("seed-addr"), help: ArgumentHelp("HOST:PORT of any existing member to join through.", valueName: "host:port"))
    var seedAddr: HostPort?

    @Option(name: .customLong("snapshot-file"), help: "Where this node writes its backup zip.")
    var snapshotFile: String = "/tmp/cockatrice/snapshot.zip"

    @Option(name: .customLong("index-dir"), help: "Where the indices and the node's state live.")
    var indexDir: String = "/tmp/cockatrice/index"

    @Option(name: .customLong("log-compaction-min-entries"), help: "Raft log entries before a snapshot / log compaction is considered.")
    var logCompactionMinEntries: Int = 5000

    @Option(name: .customLong("log-compaction-min-time"), help: "Seconds between log compactions.")
    var logCompactionMinTime: Int = 300

    @Option(name: .customLong("log-level"), help: "Logging level.")
    var logLevel: LogLevel = .info

    @Option(name: .customLong("log-file"), help: "Log to this file instead of stderr.")
    var logFile: String?

    @OptionGroup var pluginOptions: PluginOptions

    @Option(help: "A backup zip (GET /snapshot) to start from, on an empty --index-dir.")
    var restore: String?

    @Option(name: .customLong("cluster-secret"), help: "Shared secret with which peers authenticate each other (or COCKATRICE_CLUSTER_SECRET).")
    var clusterSecret: String?

    mutating func validate() throws {
        guard logCompactionMinEntries >= 1 else {
            throw ValidationError("--log-compaction-min-entries: must be at least 1, got \(logCompactionMinEntries)")
        }
        guard logCompactionMinTime >= 0 else {
            throw ValidationError("--log-compaction-min-time: must not be negative, got \(logCompactionMinTime)")
        }
        guard port.value != httpPort.value else {
            throw ValidationError("--port and --http-port: both are \(port.value); they must differ")
        }
        if let restore, !FileManager.default.isReadableFile(atPath: restore) {
            throw ValidationError("--restore: cannot read '\(restore)'")
        }
        if clusterSecret == nil {
            clusterSecret = ProcessInfo.processInfo.environment["COCKATRICE_CLUSTER_SECRET"]
        }
    }

    func run() async throws {
        // Build the registry now so that plugin problems are reported even before the node exists.
        _ = try pluginOptions.makeRegistry()
        throw NotAvailableYet(feature: "cockatrice server")
    }
}
