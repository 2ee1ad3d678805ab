import Synchronization
@testable import Core

/// An in-memory network of nodes for cluster tests: messages and calls go straight to the
/// addressed node's handler; a node can be cut off (its messages and calls in both directions
/// fail), as a crash or a partition looks to the others.
final class MemoryPeerHub: Sendable {
    private let handlers = Mutex<[String: any PeerHandler]>([:])
    private let isolated = Mutex<Set<String>>([])

    func register(_ address: String, _ handler: any PeerHandler) {
        handlers.withLock { $0[address] = handler }
    }

    func isolate(_ address: String) { isolated.withLock { _ = $0.insert(address) } }
    func heal(_ address: String) { isolated.withLock { _ = $0.remove(address) } }

    func handler(from: String, to: String) -> (any PeerHandler)? {
        let cut = isolated.withLock { $0.contains(from) || $0.contains(to) }
        return cut ? nil : handlers.withLock { $0[to] }
    }
}

final class MemoryPeerNetwork: PeerNetwork {
    let hub: MemoryPeerHub
    let address: String
    private let peers = Mutex<[NodeID: String]>([:])

    init(hub: MemoryPeerHub, address: String) {
        self.hub = hub
        self.address = address
    }

    func setPeers(_ addresses: [NodeID: String]) {
        peers.withLock { $0 = addresses }
    }

    func send(_ messages: [Message]) {
        let routes = peers.withLock { $0 }
        for message in messages {
            guard let to = routes[message.to], let handler = hub.handler(from: address, to: to) else { continue }
            Task { await handler.receive([message]) }
        }
    }

    /// Every peer that is not cut off (nor is this node).
    func connectedPeers() -> Set<NodeID> {
        Set(peers.withLock { $0 }.filter { hub.handler(from: address, to: $0.value) != nil }.keys)
    }

    func call(_ address: String, method: String, body: [UInt8], timeout: Duration) async throws -> [UInt8] {
        guard let handler = hub.handler(from: self.address, to: address) else {
            throw PeerCallError(code: "unavailable", message: "\(address) is unreachable")
        }
        return try await handler.handle(method: method, body: body, from: self.address)
    }
}
