import Core
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The peer transport: Raft messages and request/response calls between nodes (and from the
/// admin commands) over SwiftNIO TCP, as `PeerNetwork` promises them to the node.
///
/// Frames are length-prefixed and XXH64-checksummed (see `PeerFrame`); a bad frame closes its
/// connection and nothing else. When a cluster secret is set, both ends of every connection
/// prove they hold it in the handshake (`PeerHandshake`); without one the server accepts
/// loopback peers only. Each peer gets one outbound connection (`PeerLink`) that batches
/// queued messages into one write, pipelines, and reconnects with capped, jittered backoff.
///
/// Threading: every method may be called from any thread or task.
public final class PeerTransport: PeerNetwork, Transport {
    private let host: String
    private let port: Int
    private let server: PeerServer?
    private let settings: PeerLinkSettings
    private let logger: Logger
    private let state = Mutex(State())
    private let nextCallID = Atomic<UInt64>(1)

    private struct State {
        var peers: [NodeID: String] = [:]
        var links: [String: PeerLink] = [:]
        var boundPort: Int?
        var shutDown = false
    }

    /// A transport that will listen on `host:port` (every address `host` resolves to) once
    /// `start` or `run` is called, and deliver what arrives to `handler`.
    ///
    /// - Parameters:
    ///   - secret: the cluster secret; nil or empty means none (loopback peers only).
    ///   - maxFrameSize: the largest frame body accepted or sent.
    public init(host: String, port: Int, secret: String?, handler: any PeerHandler, logger: Logger,
                maxFrameSize: Int = 64 << 20) {
        self.host = host
        self.port = port
        var logger = logger
        logger[metadataKey: "component"] = "peer"
        self.logger = logger
        let handshake = PeerHandshake(secret: secret)
        server = PeerServer(handler: handler, handshake: handshake, logger: logger, maxBodySize: maxFrameSize)
        settings = PeerLinkSettings(group: MultiThreadedEventLoopGroup.singleton, handshake: handshake, logger: logger,
                                    maxBodySize: maxFrameSize)
    }

    private init(secret: String?, logger: Logger) {
        host = ""
        port = 0
        var logger = logger
        logger[metadataKey: "component"] = "peer"
        self.logger = logger
        server = nil
        settings = PeerLinkSettings(group: MultiThreadedEventLoopGroup.singleton, handshake: PeerHandshake(secret: secret),
                                    logger: logger, maxBodySize: PeerFrame.defaultMaxBodySize)
    }

    /// A transport that only makes calls (the admin commands): it never listens, and `run`
    /// merely waits for shutdown. Call `shutdown()` when done.
    public static func client(secret: String?, logger: Logger) -> PeerTransport {
        PeerTransport(secret: secret, logger: logger)
    }

    // MARK: Serving

    /// Binds the peer port (if not bound yet) and returns the port number, which tells tests
    /// what port 0 became. Connections are accepted from then on.
    @discardableResult
    public func start() async throws -> Int {
        guard let server else { return 0 }
        if let port = state.withLock({ $0.boundPort }) { return port }
        if !server.handshake.isAuthenticated {
            logger.warning("no cluster secret set: peers are accepted from loopback addresses only (set --cluster-secret or COCKATRICE_CLUSTER_SECRET to run across machines)")
        }
        let bound = try await server.bind(host: host, port: port, group: settings.group)
        state.withLock { $0.boundPort = bound }
        return bound
    }

    /// Serves until the task is cancelled or the service group shuts down gracefully, then
    /// stops accepting, lets calls in flight finish (up to 5 s) and closes every connection.
    public func run() async throws {
        try await start()
        try? await gracefulShutdown()
        // In a task of its own: the caller's task is usually cancelled by now, and the shutdown
        // must still wait for calls in flight.
        await Task { await self.shutdown() }.value
    }

    /// Closes the listeners and every connection; pending calls fail as `unavailable`.
    public func shutdown() async {
        let links: [PeerLink] = state.withLock { s in
            s.shutDown = true
            return Array(s.links.values)
        }
        await server?.shutdown(grace: .seconds(5))
        for link in links { link.close(permanently: true) }
    }

    // MARK: PeerNetwork

    public func setPeers(_ addresses: [NodeID: String]) {
        let (added, removed): ([PeerLink], [PeerLink]) = state.withLock { s in
            guard !s.shutDown else { return ([], []) }
            s.peers = addresses
            let wanted = Set(addresses.values)
            var added: [PeerLink] = []
            for address in wanted {
                if let link = s.links[address] {
                    if !link.isPeer { added.append(link) }
                } else {
                    let link = PeerLink(address: address, isPeer: true, settings: settings)
                    s.links[address] = link
                    added.append(link)
                }
            }
            var removed: [PeerLink] = []
            for (address, link) in s.links where !wanted.contains(address) && link.isPeer {
                removed.append(link)
                s.links[address] = nil
            }
            return (added, removed)
        }
        for link in removed { link.close(permanently: true) }
        for link in added { link.setPeer(true) }
    }

    public func send(_ messages: [Message]) {
        guard !messages.isEmpty else { return }
        var byPeer: [NodeID: [Message]] = [:]
        for message in messages { byPeer[message.to, default: []].append(message) }
        let targets: [(PeerLink, [Message])] = state.withLock { s in
            byPeer.compactMap { id, batch in
                guard let address = s.peers[id], let link = s.links[address] else { return nil }
                return (link, batch)
            }
        }
        for (link, batch) in targets { link.enqueue(batch) }
    }

    public func call(_ address: String, method: String, body: [UInt8], timeout: Duration) async throws -> [UInt8] {
        let link: PeerLink? = state.withLock { s in
            guard !s.shutDown else { return nil }
            if let link = s.links[address] { return link }
            let link = PeerLink(address: address, isPeer: false, settings: settings)
            s.links[address] = link
            return link
        }
        guard let link else { throw PeerCallError(code: "unavailable", message: "the peer transport is shut down") }
        let id = nextCallID.wrappingAdd(1, ordering: .relaxed).oldValue
        return try await link.call(id: id, method: method, body: body, timeout: TimeAmount(timeout))
    }

    public func connectedPeers() -> Set<NodeID> {
        let links: [(NodeID, PeerLink)] = state.withLock { s in
            s.peers.compactMap { id, address in s.links[address].map { (id, $0) } }
        }
        return Set(links.filter { $0.1.isConnected }.map(\.0))
    }

    /// The connections other nodes (or admin commands) have open to this one, handshake done
    /// or not.
    public var inboundConnections: Int { server?.connectionCount ?? 0 }

    /// Raft messages dropped so far because a peer was unreachable or its queue was full.
    public var droppedMessages: Int {
        state.withLock { s in s.links.values.reduce(0) { $0 + $1.droppedMessages } }
    }
}
