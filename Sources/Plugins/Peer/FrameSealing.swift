import Core
import Crypto
import NIOCore

/// Authentication of every frame after a handshake with a cluster secret. Each direction of a
/// connection gets its own key, derived from the secret and both nonces, and numbers its
/// frames; a frame's 8-byte checksum field then holds the first 8 bytes of
/// HMAC-SHA256(key, sequence || body) instead of XXH64. A frame altered on the way, injected,
/// replayed, reordered or reflected back fails its tag, and the connection closes. (Frames are
/// not encrypted: run the peer port on a trusted network or a tunnel when secrecy matters.)
///
/// Before it is armed (the handshake, or no secret at all) frames carry XXH64. Shared by one
/// connection's decoder, sealer and handler, all on that channel's event loop, so it needs no
/// lock.
final class FrameSealing: @unchecked Sendable {
    private var sendKey: SymmetricKey?
    private var sendSequence: UInt64 = 0
    private var receiveKey: SymmetricKey?
    private var receiveSequence: UInt64 = 0

    /// Frames sent from now on are sealed (call right after writing this side's `auth`).
    func armSending(_ key: SymmetricKey) {
        sendKey = key
        sendSequence = 0
    }

    /// Frames received from now on must be sealed (call once the peer's `auth` checked out).
    func armReceiving(_ key: SymmetricKey) {
        receiveKey = key
        receiveSequence = 0
    }

    /// Whether frames sent now are sealed.
    var sealsSending: Bool { sendKey != nil }

    /// The tag of the next frame sent with this body (sealing armed).
    func outboundTag(_ body: UnsafeRawBufferPointer) -> UInt64 {
        guard let key = sendKey else { return Checksum.hash(body) }
        defer { sendSequence += 1 }
        return Self.tag(key: key, sequence: sendSequence, body: body)
    }

    /// Whether the checksum field of the next frame received fits its body.
    func verifyInbound(_ body: UnsafeRawBufferPointer, tag: UInt64) -> Bool {
        guard let key = receiveKey else { return Checksum.hash(body) == tag }
        defer { receiveSequence += 1 }
        // Constant time: a timing difference must not tell a forger how many bytes matched.
        return (Self.tag(key: key, sequence: receiveSequence, body: body) ^ tag) == 0
    }

    static func tag(key: SymmetricKey, sequence: UInt64, body: UnsafeRawBufferPointer) -> UInt64 {
        var mac = HMAC<SHA256>(key: key)
        withUnsafeBytes(of: sequence.littleEndian) { mac.update(data: $0) }
        mac.update(data: body)
        return mac.finalize().withUnsafeBytes { raw in raw.loadUnaligned(as: UInt64.self) }
    }
}

/// Replaces each outbound frame's XXH64 with its tag once sealing is armed (see
/// `FrameSealing`). Every frame of the connection passes here in the order it leaves, which is
/// the order the tags' sequence numbers count.
final class FrameSealer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let sealing: FrameSealing

    init(sealing: FrameSealing) {
        self.sealing = sealing
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard sealing.sealsSending else {
            context.write(data, promise: promise)
            return
        }
        var buffer = unwrapOutboundIn(data)
        // A buffer holds whole frames (usually one); each gets its tag in order.
        var offset = buffer.readerIndex
        while let length = buffer.getInteger(at: offset, endianness: .little, as: UInt32.self),
              offset + PeerFrame.headerSize + Int(length) <= buffer.writerIndex {
            let bodyStart = offset + PeerFrame.headerSize
            let tag = buffer.withUnsafeReadableBytes { all in
                let start = bodyStart - buffer.readerIndex
                return sealing.outboundTag(UnsafeRawBufferPointer(rebasing: all[start..<start + Int(length)]))
            }
            buffer.setInteger(tag, at: offset + 4, endianness: .little)
            offset = bodyStart + Int(length)
        }
        context.write(wrapOutboundOut(buffer), promise: promise)
    }
}
