import Core
import NIOCore

/// Cuts the byte stream into frame bodies, checking each body's length against the limit
/// before buffering it and its XXH64 checksum (or its tag, `FrameSealing`) once it is whole. Any violation throws, and the
/// connection handler closes the connection: after a bad frame nothing on that stream can be
/// trusted, and the peer reconnects.
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    let maxBodySize: Int
    let sealing: FrameSealing

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let start = buffer.readerIndex
        guard let length = buffer.getInteger(at: start, endianness: .little, as: UInt32.self),
              let checksum = buffer.getInteger(at: start + 4, endianness: .little, as: UInt64.self) else {
            return .needMoreData
        }
        guard length > 0, Int(length) <= maxBodySize else {
            throw PeerProtocolError(reason: "frame of \(length) bytes (limit \(maxBodySize))")
        }
        guard buffer.readableBytes >= PeerFrame.headerSize + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: PeerFrame.headerSize)
        guard let body = buffer.readSlice(length: Int(length)) else { return .needMoreData }
        guard body.withUnsafeReadableBytes({ sealing.verifyInbound($0, tag: checksum) }) else {
            throw PeerProtocolError(reason: "frame checksum mismatch")
        }
        context.fireChannelRead(wrapInboundOut(body))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A frame cut short by the close is dropped: its sender will retry.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
