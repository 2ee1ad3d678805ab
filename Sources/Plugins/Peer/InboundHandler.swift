import Core
import Logging
import NIOCore

/// The server side of a connection a peer (or the CLI) made: refuses non-loopback peers when
/// there is no secret, runs the handshake, then delivers Raft batches in order to the node and
/// answers calls concurrently (each in its own task, so a slow call never holds back Raft
/// traffic or other calls). A frame that breaks the protocol closes this connection only.
///
/// A NIO handler: used only on its channel's event loop, so its mutable state needs no lock.
final class InboundHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case awaitingHello
        case awaitingProof(clientNonce: [UInt8])
        case ready
        case closing
    }

    private let server: PeerServer
    private let sealing: FrameSealing
    private let serverNonce = PeerHandshake.makeNonce()
    private var phase = Phase.awaitingHello
    private var inbox: RaftInbox?
    private var remote = "unknown"
    private var timeoutTask: Scheduled<Void>?

    init(server: PeerServer, sealing: FrameSealing) {
        self.server = server
        self.sealing = sealing
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        remote = channel.remoteAddress?.hostPort ?? "unknown"
        if !server.handshake.isAuthenticated && channel.remoteAddress?.isLoopback != true {
            server.logger.warning("refused a peer connection from a non-loopback address: no cluster secret is set",
                                  metadata: ["remote": "\(remote)"])
            refuse(context, "this node has no cluster secret and accepts loopback peers only")
            return
        }
        server.register(channel)
        let hello = PeerFrame.hello(PeerHello(authenticated: server.handshake.isAuthenticated, nonce: serverNonce))
        context.writeAndFlush(wrapOutboundOut(hello.framed(allocator: channel.allocator)), promise: nil)
        timeoutTask = context.eventLoop.scheduleTask(in: server.handshakeTimeout) {
            channel.pipeline.fireErrorCaught(PeerProtocolError(reason: "no handshake within the timeout"))
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame: PeerFrame
        do {
            frame = try PeerFrame(body: unwrapInboundIn(data))
        } catch {
            protocolError(context, "\(error)")
            return
        }
        switch (phase, frame) {
        case (.ready, .raft(let messages)):
            inbox?.deliver(messages)
        case (.ready, .request(let id, let method, let body)):
            server.answer(id: id, method: method, body: body, from: remote, on: context.channel)
        case (.awaitingHello, .hello(let hello)):
            guard hello.version == PeerHello.protocolVersion else {
                refuse(context, "peer protocol version \(hello.version) is not supported (this node speaks \(PeerHello.protocolVersion))")
                return
            }
            guard hello.authenticated == server.handshake.isAuthenticated else {
                refuse(context, server.handshake.isAuthenticated ? "this node requires a cluster secret" : "this node has no cluster secret")
                return
            }
            let proved = server.handshake.prove(as: .server, clientNonce: hello.nonce, serverNonce: serverNonce, sealing: sealing) { frame in
                context.writeAndFlush(wrapOutboundOut(frame.framed(allocator: context.channel.allocator)), promise: nil)
            }
            if proved {
                phase = .awaitingProof(clientNonce: hello.nonce)
            } else {
                becomeReady(context)
            }
        case (.awaitingProof(let clientNonce), .auth(let mac)):
            guard server.handshake.accept(mac, from: .client, clientNonce: clientNonce, serverNonce: serverNonce, sealing: sealing) else {
                server.logger.warning("refused a peer connection: wrong cluster secret", metadata: ["remote": "\(remote)"])
                refuse(context, "authentication failed: the cluster secrets differ")
                return
            }
            becomeReady(context)
        case (.closing, _):
            break
        default:
            protocolError(context, "unexpected frame")
        }
    }

    private func becomeReady(_ context: ChannelHandlerContext) {
        phase = .ready
        timeoutTask?.cancel()
        inbox = RaftInbox.start(channel: context.channel, handler: server.handler)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        protocolError(context, "\(error)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeoutTask?.cancel()
        inbox?.finish()
        server.unregister(context.channel)
        context.fireChannelInactive()
    }

    private func protocolError(_ context: ChannelHandlerContext, _ reason: String) {
        if case .closing = phase { return }
        server.logger.warning("closing a peer connection", metadata: ["remote": "\(remote)", "reason": "\(reason)"])
        phase = .closing
        context.close(promise: nil)
    }

    /// Tells the client why, then closes.
    private func refuse(_ context: ChannelHandlerContext, _ reason: String) {
        phase = .closing
        let frame = PeerFrame.refuse(reason: reason).framed(allocator: context.channel.allocator)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
    }
}
