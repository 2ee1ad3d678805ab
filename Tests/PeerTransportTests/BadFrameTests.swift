import Core
import NIOCore
import NIOPosix
import Testing
@testable import PeerTransport

/// Bytes no correct peer sends: each closes the connection that carried them, and the server
/// keeps serving everyone else.
@Suite(.timeLimit(.minutes(2))) struct BadFrameTests {
    /// A bare TCP connection, to write what the transport never would.
    struct RawConnection {
        let channel: any Channel

        static func open(_ address: String) async throws -> RawConnection {
            let port = Int(address.split(separator: ":").last.map(String.init) ?? "") ?? 0
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            return RawConnection(channel: channel)
        }

        func send(_ bytes: [UInt8]) async throws {
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
        }

        func send(_ frame: PeerFrame) async throws {
            try await channel.writeAndFlush(frame.framed(allocator: channel.allocator))
        }

        /// A valid hello: with no secret on either side, the server is ready after it.
        func greet() async throws {
            try await send(.hello(PeerHello(authenticated: false, nonce: PeerHandshake.makeNonce())))
        }

        func closedByServer() async -> Bool {
            await eventually { !channel.isActive }
        }
    }

    static func frame(body: [UInt8], checksum: UInt64? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt32(body.count).littleEndian) { bytes.append(contentsOf: $0) }
        let sum = checksum ?? body.withUnsafeBytes { Checksum.hash($0) }
        withUnsafeBytes(of: sum.littleEndian) { bytes.append(contentsOf: $0) }
        return bytes + body
    }

    static let badInputs: [(String, [UInt8])] = [
        ("garbage", Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)),
        ("oversized", [0xFF, 0xFF, 0xFF, 0x7F] + Array(repeating: 0, count: 8)),
        ("empty frame", frame(body: [])),
        ("bad checksum", frame(body: [PeerFrame.Kind.raft.rawValue, 1, 0], checksum: 12345)),
        ("unknown kind", frame(body: [99])),
        ("local Raft message", frame(body: [PeerFrame.Kind.raft.rawValue] + Message(type: .hup, to: 2, from: 1).encoded())),
        ("truncated Raft batch", frame(body: [PeerFrame.Kind.raft.rawValue] + Array(MessageCodingSamples.append.encoded().dropLast(3)))),
        ("second hello", frame(body: [PeerFrame.Kind.hello.rawValue, 1, 0] + Array(repeating: 0, count: 32))),
        ("response to a server", frame(body: [PeerFrame.Kind.response.rawValue, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
    ]

    @Test(arguments: badInputs.indices)
    func aBadFrameClosesItsConnectionOnly(_ index: Int) async throws {
        let (name, bytes) = Self.badInputs[index]
        let (server, handler, address) = try await makeServer()
        let bystander = PeerTransport.client(secret: nil, logger: quietLogger)
        #expect(try await bystander.call(address, method: "echo", body: [1], timeout: .seconds(60)) == [1])

        let raw = try await RawConnection.open(address)
        if name != "garbage" && name != "oversized" { try await raw.greet() }
        try await raw.send(bytes)
        #expect(await raw.closedByServer(), "\(name)")
        #expect(handler.count == 0)

        // The server still serves the connection it had and new ones.
        #expect(try await bystander.call(address, method: "echo", body: [2], timeout: .seconds(60)) == [2])
        let newcomer = PeerTransport.client(secret: nil, logger: quietLogger)
        #expect(try await newcomer.call(address, method: "echo", body: [3], timeout: .seconds(60)) == [3])
        for transport in [bystander, newcomer, server] { await transport.shutdown() }
    }

    /// Random bytes and damaged copies of valid frames, on many connections: the server stays up
    /// and nothing reaches the handler that is not a valid message.
    @Test func fuzzedConnectionsNeverHurtTheServer() async throws {
        let (server, handler, address) = try await makeServer()
        var rng = SplitMix64(seed: 99)
        let valid = PeerFrame.raft([heartbeat(1), MessageCodingSamples.append]).framed(allocator: ByteBufferAllocator())
        let validBytes = valid.getBytes(at: valid.readerIndex, length: valid.readableBytes) ?? []
        for round in 0..<150 {
            let raw = try await RawConnection.open(address)
            if round % 2 == 0 { try await raw.greet() }
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = validBytes
                let bit = Int(rng.next() % UInt64(bytes.count * 8))
                bytes[bit / 8] ^= 1 << (bit % 8)
            }
            try? await raw.send(bytes)
            try? await raw.channel.close()
        }
        for message in handler.messages {
            #expect((try? message.validateForWire()) != nil)
        }
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        #expect(try await client.call(address, method: "echo", body: [9], timeout: .seconds(60)) == [9])
        await client.shutdown()
        await server.shutdown()
    }

    @Test func framesBeforeTheHandshakeAreRefused() async throws {
        let (server, handler, address) = try await makeServer()
        let raw = try await RawConnection.open(address)
        try await raw.send(.raft([heartbeat(1)]))
        #expect(await raw.closedByServer())
        #expect(handler.count == 0)
        await server.shutdown()
    }

    @Test func aValidRawSessionWorks() async throws {
        // The raw helper itself speaks the protocol: greeting then a batch is delivered.
        let (server, handler, address) = try await makeServer()
        let raw = try await RawConnection.open(address)
        try await raw.greet()
        try await raw.send(.raft([heartbeat(1), heartbeat(2)]))
        #expect(await eventually { handler.count == 2 })
        #expect(raw.channel.isActive)
        try await raw.channel.close()
        await server.shutdown()
    }

    @Test func aSilentClientIsDisconnected() async throws {
        // Not waiting out the 10 s handshake timeout here: only that a silent connection does not
        // block others.
        let (server, _, address) = try await makeServer()
        let silent = try await RawConnection.open(address)
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        #expect(try await client.call(address, method: "echo", body: [7], timeout: .seconds(60)) == [7])
        try await silent.channel.close()
        await client.shutdown()
        await server.shutdown()
    }
}
