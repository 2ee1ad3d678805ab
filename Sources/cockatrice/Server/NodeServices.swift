import Core
import Foundation
import Logging
import PeerTransport
import ServiceLifecycle

/// The node as a service: it opens the node (replaying its log, which can take a while, on a
/// thread of its own so the REST port already answers liveness and says it is not ready),
/// starts the peer transport with the node as its handler, then runs the node's background
/// work (Raft clock, refresh, commit schedule, log compaction, joining). On graceful shutdown
/// it stops that work, hands over leadership, makes a last commit, closes the indices and
/// only then stops the peer transport. It is the first service of the group, so the REST
/// transport has finished its requests by then.
struct NodeService: Service {
    let slot: NodeSlot
    let logger: Logger
    let open: @Sendable () throws -> ClusterNode
    let makePeer: @Sendable (ClusterNode) -> PeerTransport

    func run() async throws {
        let node = try await Self.onThread(open)
        let applied = await node.appliedIndex
        logger.info("node open", metadata: ["applied": "\(applied)", "node": "\(node.nodeID)"])
        let peer = makePeer(node)
        do {
            try await peer.start()
        } catch {
            throw ServerError("the peer port: cannot listen: \(error)")
        }
        await node.attach(network: peer)
        slot.fill(node)
        await cancelWhenGracefulShutdown {
            await node.runMaintenance()
        }
        await node.handOverLeadership()
        do {
            try await node.close()
            logger.info("node closed: every index committed")
        } catch {
            logger.error("closing the node failed: \(error)")
            await peer.shutdown()
            throw error
        }
        await peer.shutdown()
    }

    /// Runs blocking work (the log replay) off Swift's cooperative threads.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}

/// A transport (REST, peers) as a service of the node's group.
struct TransportService: Service, CustomStringConvertible {
    let name: String
    let transport: any Transport

    func run() async throws {
        try await transport.run()
    }

    var description: String { "transport \(name)" }
}
