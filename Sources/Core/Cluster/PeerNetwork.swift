/// What the node uses to reach its peers. Core knows no sockets: the peer transport plugin
/// implements this over TCP, and tests can implement it in memory.
public protocol PeerNetwork: Sendable {
    /// Peer node ids and their advertised "host:port"; connections to removed peers close.
    func setPeers(_ addresses: [NodeID: String])
    /// Sends Raft messages to `message.to` without waiting; may drop when a peer is unreachable or
    /// its queue is full (Raft retries). Messages to one peer keep their order.
    func send(_ messages: [Message])
    /// A request/response call to any address (forwarded writes, join, status, snapshot reads).
    /// Throws PeerCallError on a remote error, timeout or connection failure.
    func call(_ address: String, method: String, body: [UInt8], timeout: Duration) async throws -> [UInt8]
    /// The peers whose connection is up (handshake done) right now: the status's
    /// `partner_node_status_server_<addr>`, and whom to report unreachable to Raft.
    func connectedPeers() -> Set<NodeID>
}

extension PeerNetwork {
    /// For networks that cannot tell (in-memory test doubles): none. Only status output should
    /// depend on this, never whether messages are sent.
    public func connectedPeers() -> Set<NodeID> { [] }
}

/// What the transport delivers to the node.
public protocol PeerHandler: Sendable {
    /// Raft messages from one peer, in the order that peer sent them; the transport does not
    /// deliver the next batch from the same connection until this returns (backpressure).
    func receive(_ messages: [Message]) async
    /// Answers a call; a thrown PeerCallError travels back to the caller with its code and message,
    /// any other error as code "internal".
    func handle(method: String, body: [UInt8], from address: String) async throws -> [UInt8]
}

/// A failed peer call: an error the remote handler threw (its code and message, as sent), or one
/// the transport reports itself, with these codes:
/// - `timeout`: no answer within the call's timeout (the remote may still act on the request);
/// - `unavailable`: the connection could not be made or was lost (outcome unknown if it was lost
///   after sending);
/// - `auth`: the handshake failed (different or missing cluster secret, non-loopback peer without one);
/// - `too_large`: the request or the response exceeds the frame size limit;
/// - `internal`: the remote handler failed with an error that is not a PeerCallError.
public struct PeerCallError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
