import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 channel with one fix: an HTTP/1.0 request that does not ask for
/// keep-alive gets its connection closed after the answer, as HTTP/1.0 says. Hummingbird
/// closes only on `Connection: close`, and by the time a request reaches it the HTTP version
/// is gone; clients like ApacheBench (`ab` without `-k`) otherwise wait for a close that never
/// comes.
struct RESTChildChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let http1: HTTP1Channel

    /// What `Application(server:)` takes.
    static let builder = HTTPServerBuilder { responder in RESTChildChannel(http1: HTTP1Channel(responder: responder)) }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(HTTP10ConnectionCloser(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

/// Marks a decoded HTTP/1.0 request without keep-alive `Connection: close`, while the version
/// is still known.
final class HTTP10ConnectionCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(var head) = unwrapInboundIn(data), head.version == .http1_0, !head.isKeepAlive {
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            context.fireChannelRead(wrapInboundOut(.head(head)))
            return
        }
        context.fireChannelRead(data)
    }
}
