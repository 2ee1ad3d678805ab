import Core
import NIOCore

/// The client side of a connection a `PeerLink` made: runs the handshake (hello, then proofs
/// when there is a secret), hands the ready channel to the link, and routes responses to the
/// link's pending calls. Anything unexpected closes the connection; the link reconnects.
///
/// A NIO handler: used only on its channel's event loop, so its mutable state needs no lock.
final class OutboundHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case awaitingHello
        case awaitingProof(serverNonce: [UInt8])
        case ready
        case failed
    }

    private let link: PeerLink
    private let generation: Int
    private let handshake: PeerHandshake
    private let sealing: FrameSealing
    private let handshakeTimeout: TimeAmount
    private let clientNonce = PeerHandshake.makeNonce()
    private var phase = Phase.awaitingHello
    /// Why the connection is ending, reported to the link when it closes.
    private var failure: (code: String, reason: String)?
    private var timeoutTask: Scheduled<Void>?

    init(link: PeerLink, generation: Int, handshake: PeerHandshake, sealing: FrameSealing, timeout: TimeAmount) {
        self.link = link
        self.generation = generation
        self.handshake = handshake
        self.sealing = sealing
        handshakeTimeout = timeout
    }

    func channelActive(context: ChannelHandlerContext) {
        let hello = PeerFrame.hello(PeerHello(authenticated: handshake.isAuthenticated, nonce: clientNonce))
        context.writeAndFlush(wrapOutboundOut(hello.framed(allocator: context.channel.allocator)), promise: nil)
        let channel = context.channel
        let address = link.address
        timeoutTask = context.eventLoop.scheduleTask(in: handshakeTimeout) {
            // Reported through channelInactive as a connection failure.
            channel.pipeline.fireErrorCaught(PeerProtocolError(reason: "no handshake from \(address)"))
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame: PeerFrame
        do {
            frame = try PeerFrame(body: unwrapInboundIn(data))
        } catch {
            fail(context, code: "unavailable", reason: "bad frame from \(link.address): \(error)")
            return
        }
        switch (phase, frame) {
        case (_, .refuse(let reason)):
            fail(context, code: "auth", reason: "\(link.address) refused the connection: \(reason)")
        case (.awaitingHello, .hello(let hello)):
            guard hello.version == PeerHello.protocolVersion else {
                fail(context, code: "unavailable", reason: "\(link.address) speaks peer protocol version \(hello.version), not \(PeerHello.protocolVersion)")
                return
            }
            guard hello.authenticated == handshake.isAuthenticated else {
                fail(context, code: "auth", reason: hello.authenticated
                     ? "\(link.address) requires a cluster secret and none is set here"
                     : "\(link.address) has no cluster secret and one is set here")
                return
            }
            let proved = handshake.prove(as: .client, clientNonce: clientNonce, serverNonce: hello.nonce, sealing: sealing) { frame in
                context.writeAndFlush(wrapOutboundOut(frame.framed(allocator: context.channel.allocator)), promise: nil)
            }
            if proved {
                phase = .awaitingProof(serverNonce: hello.nonce)
            } else {
                becomeReady(context)
            }
        case (.awaitingProof(let serverNonce), .auth(let mac)):
            guard handshake.accept(mac, from: .server, clientNonce: clientNonce, serverNonce: serverNonce, sealing: sealing) else {
                fail(context, code: "auth", reason: "\(link.address) does not hold this cluster secret")
                return
            }
            becomeReady(context)
        case (.ready, .response(let id, let result)):
            link.finish(id, result.mapError { $0 })
        case (.failed, _):
            break
        default:
            fail(context, code: "unavailable", reason: "unexpected frame from \(link.address) during the handshake")
        }
    }

    private func becomeReady(_ context: ChannelHandlerContext) {
        phase = .ready
        timeoutTask?.cancel()
        link.handshakeCompleted(context.channel, generation: generation)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .ready = phase { link.writabilityChanged(context.channel) }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, code: "unavailable", reason: "connection to \(link.address) failed: \(error)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeoutTask?.cancel()
        let failure = failure ?? (code: "unavailable", reason: "connection to \(link.address) closed")
        link.connectionFailed(generation: generation, reason: failure.reason, code: failure.code)
        context.fireChannelInactive()
    }

    private func fail(_ context: ChannelHandlerContext, code: String, reason: String) {
        if failure == nil { failure = (code, reason) }
        phase = .failed
        context.close(promise: nil)
    }
}
