import Logging
import Synchronization

/// A way in to a node from outside (the REST API, the peer protocol), registered by name so
/// that a plugin can add one the same way the built-ins do.
///
/// A transport serves until its task is cancelled or the service group it runs in shuts down
/// gracefully; it must stop accepting, finish in-flight requests and then return, because the
/// node commits and closes only after every transport has returned.
public protocol Transport: Sendable {
    func run() async throws
}

/// Where a transport finds the node: empty while the node opens (replaying its log can take a
/// while), so the transport can listen, answer liveness and say it is not ready meanwhile.
public final class NodeSlot: Sendable {
    private let value = Mutex<ClusterNode?>(nil)

    public init(_ node: ClusterNode? = nil) {
        value.withLock { $0 = node }
    }

    /// The node, once it is open.
    public var node: ClusterNode? { value.withLock { $0 } }

    public func fill(_ node: ClusterNode) {
        value.withLock { $0 = node }
    }
}

/// What a transport is given to serve: the node, where to listen, and how to report.
public struct TransportContext: Sendable {
    /// The node requests are served by (empty until it has opened).
    public var nodeSlot: NodeSlot
    /// The address to bind.
    public var host: String
    public var port: Int
    /// The node's advertised peer address (`host:port`), for status output.
    public var advertisedAddress: String
    /// Where the node writes its backup zip (`PUT /snapshot`).
    public var snapshotFile: String
    /// The largest request body accepted; larger ones are refused before they are read whole.
    public var maxBodyBytes: Int
    public var logger: Logger
    /// The registry, for the analyzers an `analyze` request names.
    public var registry: Registry
    /// Renders the process's metrics in Prometheus text format (the metrics backend is the
    /// process's, bootstrapped once by the executable).
    public var renderMetrics: @Sendable () -> [UInt8]

    public init(nodeSlot: NodeSlot, host: String, port: Int, advertisedAddress: String, snapshotFile: String,
                maxBodyBytes: Int, logger: Logger, registry: Registry, renderMetrics: @escaping @Sendable () -> [UInt8]) {
        self.nodeSlot = nodeSlot
        self.host = host
        self.port = port
        self.advertisedAddress = advertisedAddress
        self.snapshotFile = snapshotFile
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
        self.registry = registry
        self.renderMetrics = renderMetrics
    }
}

/// Makes a transport for a node; what the registry holds under the `transport` kind.
public protocol TransportFactory: Sendable {
    func makeTransport(_ context: TransportContext) throws -> any Transport
}

extension ComponentKind where Product == any TransportFactory {
    public static var transport: ComponentKind { ComponentKind("transport") }
}
