import Core
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The listening side of the transport: the bound sockets, the open inbound connections and
/// the calls being answered, so that shutdown can stop accepting, let the calls finish, and
/// close everything.
final class PeerServer: Sendable {
    let handler: any PeerHandler
    let handshake: PeerHandshake
    let logger: Logger
    let maxBodySize: Int
    let handshakeTimeout: TimeAmount = .seconds(10)
    private let state = Mutex(State())

    private struct State {
        var listeners: [any Channel] = []
        var connections: [ObjectIdentifier: any Channel] = [:]
        var calls: [Int: Task<Void, Never>] = [:]
        var nextCall = 0
        var stopping = false
    }

    init(handler: any PeerHandler, handshake: PeerHandshake, logger: Logger, maxBodySize: Int) {
        self.handler = handler
        self.handshake = handshake
        self.logger = logger
        self.maxBodySize = maxBodySize
    }

    /// Binds every address `host` resolves to; with port 0 the first bind picks the port and
    /// the others use the same one. Fails only if no address could be bound. Returns the port.
    func bind(host: String, port: Int, group: any EventLoopGroup) async throws -> Int {
        let addresses = try PeerAddress.resolveAll(host: host, port: port)
        var boundPort = port
        var bound: [any Channel] = []
        var failures: [String] = []
        for address in addresses {
            var target = address
            if boundPort != 0 && target.port != boundPort { target.port = boundPort }
            do {
                let channel = try await makeBootstrap(group: group).bind(to: target).get()
                bound.append(channel)
                if boundPort == 0 { boundPort = channel.localAddress?.port ?? 0 }
            } catch {
                failures.append("\(target): \(error)")
            }
        }
        guard !bound.isEmpty else {
            throw PeerCallError(code: "unavailable", message: "cannot bind the peer port on \(host):\(port): \(failures.joined(separator: "; "))")
        }
        for failure in failures {
            logger.warning("could not bind one address of the peer host", metadata: ["error": "\(failure)"])
        }
        state.withLock { $0.listeners.append(contentsOf: bound) }
        logger.info("peer transport listening", metadata: [
            "addresses": "\(bound.compactMap { $0.localAddress?.hostPort }.joined(separator: ", "))",
        ])
        return boundPort
    }

    private func makeBootstrap(group: any EventLoopGroup) -> ServerBootstrap {
        let maxBodySize = maxBodySize
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sealing = FrameSealing()
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(maxBodySize: maxBodySize, sealing: sealing)))
                    try channel.pipeline.syncOperations.addHandler(FrameSealer(sealing: sealing))
                    try channel.pipeline.syncOperations.addHandler(InboundHandler(server: self, sealing: sealing))
                }
            }
    }

    func register(_ channel: any Channel) {
        let accepted = state.withLock { s in
            guard !s.stopping else { return false }
            s.connections[ObjectIdentifier(channel)] = channel
            return true
        }
        if !accepted { channel.close(promise: nil) }
    }

    var connectionCount: Int { state.withLock { $0.connections.count } }

    func unregister(_ channel: any Channel) {
        _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Runs the handler for one call and writes its response on the connection it came from.
    func answer(id: UInt64, method: String, body: [UInt8], from remote: String, on channel: any Channel) {
        let handler = handler
        let maxBodySize = maxBodySize
        let logger = logger
        state.withLock { s in
            let key = s.nextCall
            s.nextCall += 1
            s.calls[key] = Task {
                let result: Result<[UInt8], PeerCallError>
                do {
                    result = .success(try await handler.handle(method: method, body: body, from: remote))
                } catch let error as PeerCallError {
                    result = .failure(error)
                } catch {
                    logger.error("peer call failed", metadata: ["method": "\(method)", "error": "\(error)"])
                    result = .failure(PeerCallError(code: "internal", message: "\(error)"))
                }
                var frame = PeerFrame.response(id: id, result)
                if frame.estimatedBodySize > maxBodySize {
                    frame = .response(id: id, .failure(PeerCallError(code: "too_large", message: "the \(method) response exceeds the frame limit (\(maxBodySize))")))
                }
                channel.writeAndFlush(frame.framed(allocator: channel.allocator), promise: nil)
                self.callFinished(key)
            }
        }
    }

    private func callFinished(_ key: Int) {
        _ = state.withLock { $0.calls.removeValue(forKey: key) }
    }

    /// Stops accepting, waits up to `grace` for calls in flight, then closes every connection.
    func shutdown(grace: Duration) async {
        let listeners = state.withLock { s in
            s.stopping = true
            defer { s.listeners = [] }
            return s.listeners
        }
        for listener in listeners { try? await listener.close() }
        // Polled rather than awaited: a handler that ignores cancellation must not hold shutdown
        // past the grace period.
        let deadline = ContinuousClock.now + grace
        while state.withLock({ !$0.calls.isEmpty }) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        for call in state.withLock({ Array($0.calls.values) }) { call.cancel() }
        let connections = state.withLock { Array($0.connections.values) }
        for connection in connections { try? await connection.close() }
    }
}
