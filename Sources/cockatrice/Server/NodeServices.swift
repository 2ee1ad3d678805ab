import Core
import Logging
import ServiceLifecycle

/// The node's background work (refresh, commit schedule, log compaction) as a service. On
/// graceful shutdown it stops, makes a last commit and closes the indices; it is the first
/// service of the group, so it stops only after the transports have finished their requests.
struct NodeService: Service {
    let node: StandaloneNode
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await node.runMaintenance()
        }
        await node.handOverLeadership()
        do {
            try await node.close()
            logger.info("node closed: every index committed")
        } catch {
            logger.error("closing the node failed: \(error)")
            throw error
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
