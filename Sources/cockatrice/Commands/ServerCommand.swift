import ArgumentParser
import Core
import Foundation
import Logging
import Metrics
import PeerTransport
import Prometheus
import RESTTransport
import ServiceLifecycle

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

    @Option(name: .customLong("max-body-size"), help: "Largest request body accepted, in bytes (413 past it).")
    var maxBodySize: Int = 100 << 20

    mutating func validate() throws {
        guard maxBodySize >= 1024 else {
            throw ValidationError("--max-body-size: must be at least 1024 bytes, got \(maxBodySize)")
        }
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
        ServerSignals.unblock()
        let logger = try bootstrapLogging()
        let metricsRegistry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metricsRegistry))
        let (registry, loaded) = try pluginOptions.makeRegistry()
        try RESTTransportFactory.register(into: registry)
        for plugin in loaded { logger.info("plugin loaded", metadata: ["path": "\(plugin.path)"]) }

        let fileIO = LocalFileIO()
        if let restore {
            do {
                try ClusterNode.restore(from: restore, into: indexDir, fileIO: fileIO)
            } catch {
                throw ServerError("--restore: \(restore): \(error)")
            }
            logger.info("restored from backup as a new cluster", metadata: ["file": "\(restore)", "index-dir": "\(indexDir)"])
        }
        let advertised = "\(host):\(port.value)"
        var options = NodeOptions()
        options.logCompactionMinEntries = logCompactionMinEntries
        options.logCompactionMinTime = .seconds(logCompactionMinTime)
        options.advertisedAddress = advertised
        options.seedAddress = seedAddr?.description
        options.snapshotFile = snapshotFile
        options.components = registry.componentNames()
        let root = indexDir
        let nodeOptions = options
        let slot = NodeSlot()
        let context = TransportContext(
            nodeSlot: slot, host: host, port: httpPort.value, advertisedAddress: advertised, snapshotFile: snapshotFile,
            maxBodyBytes: maxBodySize, logger: logger, registry: registry,
            renderMetrics: { metricsRegistry.emitToBuffer() })
        let rest = try registry.make(.transport, name: "rest", args: ComponentArgs(path: "transport"), path: "transport")
            .makeTransport(context)
        let (host, peerPort, secret) = (host, port.value, clusterSecret)
        let nodeService = NodeService(
            slot: slot, logger: logger,
            open: {
                do {
                    return try ClusterNode(root: root, fileIO: fileIO, registry: registry, options: nodeOptions)
                } catch {
                    throw ServerError("cannot open the node in --index-dir=\(root): \(error)")
                }
            },
            makePeer: { node in PeerTransport(host: host, port: peerPort, secret: secret, handler: node, logger: logger) })
        // The REST port listens at once (liveness answers, readiness says the node is opening);
        // the node opens and starts the peer port. Shut down in reverse order: the REST transport
        // finishes its requests first, then the node hands over leadership, commits, closes and
        // stops the peer transport.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: nodeService, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: TransportService(name: "rest", transport: rest), successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.info("REST API listening", metadata: ["url": "http://\(host):\(httpPort.value)"])
        try await group.run()
        logger.info("stopped")
    }

    private func bootstrapLogging() throws -> Logger {
        let level = Logger.Level(rawValue: logLevel.rawValue) ?? .info
        if let logFile {
            let sink: FileLogHandler.Sink
            do { sink = try FileLogHandler.Sink(path: logFile) } catch { throw ServerError("--log-file: cannot write '\(logFile)': \(error)") }
            LoggingSystem.bootstrap { label in
                var handler = FileLogHandler(label: label, sink: sink)
                handler.logLevel = level
                return handler
            }
        } else {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: "cockatrice")
    }
}

/// A failure to start that the user can act on; printed without a stack of types.
struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
