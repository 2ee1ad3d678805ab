import Core
import NIOCore

/// One frame of the peer protocol. On the wire a frame is
/// `[u32 LE body length][u64 LE XXH64 of the body, or its tag (FrameSealing)][body]` and the
/// body is `[u8 kind][payload]`:
///
/// - `hello`: `[u8 protocol version][u8 auth mode][32-byte nonce]`, the first frame each side sends;
/// - `auth`: `[32-byte HMAC-SHA256]`, the proof that the sender holds the cluster secret;
/// - `refuse`: `[UTF-8 reason]`, sent before closing a connection that failed the handshake;
/// - `raft`: a batch of Raft messages as `Message.encodeBatch` writes it;
/// - `request`: `[u64 call id][u16 method length][method][body]`;
/// - `response`: `[u64 call id][u8 0][body]`, or `[u64 call id][u8 1][u16 code length][code][message]`.
///
/// Everything after the handshake is pipelined: several frames go out in one write and calls are
/// matched to responses by id, not by order.
enum PeerFrame: Equatable {
    case hello(PeerHello)
    case auth(mac: [UInt8])
    case refuse(reason: String)
    case raft([Message])
    case request(id: UInt64, method: String, body: [UInt8])
    case response(id: UInt64, Result<[UInt8], PeerCallError>)

    enum Kind: UInt8 {
        case hello = 1, auth = 2, refuse = 3, raft = 4, request = 5, response = 6
    }

    /// Length and checksum in front of every body.
    static let headerSize = 12
    /// The default largest body: a 4 MiB snapshot read or a batch of Raft entries fits many
    /// times over, and a peer cannot make us buffer more than this for one frame.
    static let defaultMaxBodySize = 64 << 20
}

/// The first frame of each side of a connection.
struct PeerHello: Equatable {
    static let protocolVersion: UInt8 = 1
    static let nonceSize = 32

    var version: UInt8 = PeerHello.protocolVersion
    /// Whether the sender authenticates with a cluster secret (1) or not (0). Both sides must
    /// agree: a node with a secret never talks to one without.
    var authenticated: Bool
    /// Fresh random bytes; both sides' nonces go into each MAC, so a recorded handshake never
    /// authenticates again.
    var nonce: [UInt8]
}

/// A frame that breaks the protocol; the connection that sent it is closed.
struct PeerProtocolError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "peer protocol error: \(reason)" }
}

extension PeerFrame {
    /// Appends the framed bytes to `buffer`.
    func write(to buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        buffer.writeInteger(UInt32(0), endianness: .little)
        buffer.writeInteger(UInt64(0), endianness: .little)
        let bodyStart = buffer.writerIndex
        switch self {
        case .hello(let hello):
            buffer.writeInteger(Kind.hello.rawValue)
            buffer.writeInteger(hello.version)
            buffer.writeInteger(UInt8(hello.authenticated ? 1 : 0))
            buffer.writeBytes(hello.nonce)
        case .auth(let mac):
            buffer.writeInteger(Kind.auth.rawValue)
            buffer.writeBytes(mac)
        case .refuse(let reason):
            buffer.writeInteger(Kind.refuse.rawValue)
            buffer.writeString(reason)
        case .raft(let messages):
            buffer.writeInteger(Kind.raft.rawValue)
            buffer.writeBytes(Message.encodeBatch(messages))
        case .request(let id, let method, let body):
            buffer.writeInteger(Kind.request.rawValue)
            buffer.writeInteger(id, endianness: .little)
            Self.writeShortString(method, to: &buffer)
            buffer.writeBytes(body)
        case .response(let id, .success(let body)):
            buffer.writeInteger(Kind.response.rawValue)
            buffer.writeInteger(id, endianness: .little)
            buffer.writeInteger(UInt8(0))
            buffer.writeBytes(body)
        case .response(let id, .failure(let error)):
            buffer.writeInteger(Kind.response.rawValue)
            buffer.writeInteger(id, endianness: .little)
            buffer.writeInteger(UInt8(1))
            Self.writeShortString(error.code, to: &buffer)
            buffer.writeString(error.message)
        }
        let length = buffer.writerIndex - bodyStart
        let checksum = buffer.withUnsafeReadableBytes { all in
            let offset = bodyStart - buffer.readerIndex
            return Checksum.hash(UnsafeRawBufferPointer(rebasing: all[offset..<offset + length]))
        }
        buffer.setInteger(UInt32(truncatingIfNeeded: length), at: start, endianness: .little)
        // Replaced by the frame's tag on its way out once the connection seals (`FrameSealer`).
        buffer.setInteger(checksum, at: start + 4, endianness: .little)
    }

    /// The framed bytes in a buffer of their own.
    func framed(allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: Self.headerSize + estimatedBodySize)
        write(to: &buffer)
        return buffer
    }

    var estimatedBodySize: Int {
        switch self {
        case .hello: 3 + PeerHello.nonceSize
        case .auth(let mac): 1 + mac.count
        case .refuse(let reason): 1 + reason.utf8.count
        case .raft(let messages): 16 + messages.reduce(0) { $0 + $1.byteSize }
        case .request(_, let method, let body): 11 + method.utf8.count + body.count
        case .response(_, .success(let body)): 10 + body.count
        case .response(_, .failure(let error)): 12 + error.code.utf8.count + error.message.utf8.count
        }
    }

    /// Methods and error codes are short names; longer ones are cut, never a trap.
    private static func writeShortString(_ s: String, to buffer: inout ByteBuffer) {
        let bytes = Array(s.utf8.prefix(Int(UInt16.max)))
        buffer.writeInteger(UInt16(bytes.count), endianness: .little)
        buffer.writeBytes(bytes)
    }

    /// Parses a body whose length and checksum the frame decoder already checked. Raft batches
    /// are decoded and validated here, so the handler sees only messages RaftNode can take.
    init(body: ByteBuffer) throws {
        var body = body
        guard let rawKind = body.readInteger(as: UInt8.self) else { throw PeerProtocolError(reason: "empty frame") }
        guard let kind = Kind(rawValue: rawKind) else { throw PeerProtocolError(reason: "unknown frame kind \(rawKind)") }
        switch kind {
        case .hello:
            guard let version = body.readInteger(as: UInt8.self), let mode = body.readInteger(as: UInt8.self), mode <= 1,
                  let nonce = body.readBytes(length: PeerHello.nonceSize), body.readableBytes == 0 else {
                throw PeerProtocolError(reason: "malformed hello")
            }
            self = .hello(PeerHello(version: version, authenticated: mode == 1, nonce: nonce))
        case .auth:
            guard body.readableBytes == PeerHandshake.macSize, let mac = body.readBytes(length: body.readableBytes) else {
                throw PeerProtocolError(reason: "malformed auth")
            }
            self = .auth(mac: mac)
        case .refuse:
            self = .refuse(reason: body.readString(length: body.readableBytes) ?? "")
        case .raft:
            let bytes = body.readBytes(length: body.readableBytes) ?? []
            do {
                self = .raft(try Message.decodeBatch(bytes))
            } catch {
                throw PeerProtocolError(reason: error.description)
            }
        case .request:
            guard let id = body.readInteger(endianness: .little, as: UInt64.self),
                  let method = Self.readShortString(&body) else {
                throw PeerProtocolError(reason: "malformed request")
            }
            self = .request(id: id, method: method, body: body.readBytes(length: body.readableBytes) ?? [])
        case .response:
            guard let id = body.readInteger(endianness: .little, as: UInt64.self),
                  let status = body.readInteger(as: UInt8.self), status <= 1 else {
                throw PeerProtocolError(reason: "malformed response")
            }
            if status == 0 {
                self = .response(id: id, .success(body.readBytes(length: body.readableBytes) ?? []))
            } else {
                guard let code = Self.readShortString(&body) else { throw PeerProtocolError(reason: "malformed error response") }
                let message = body.readString(length: body.readableBytes) ?? ""
                self = .response(id: id, .failure(PeerCallError(code: code, message: message)))
            }
        }
    }

    private static func readShortString(_ body: inout ByteBuffer) -> String? {
        guard let length = body.readInteger(endianness: .little, as: UInt16.self) else { return nil }
        return body.readString(length: Int(length))
    }
}
