import Core
import NIOCore
import NIOPosix
import Testing
@testable import PeerTransport

/// Two real transports on loopback ports: Raft messages, calls, reconnects, authentication,
/// and bad input on the wire.
@Suite(.timeLimit(.minutes(2))) struct PeerTransportTests {
    @Test func raftMessagesArriveInOrder() async throws {
        let (server, handler, address) = try await makeServer()
        let client = PeerTransport(host: "127.0.0.1", port: 0, secret: nil, handler: RecordingHandler(), logger: quietLogger)
        client.setPeers([2: address])
        let sent = (0..<200).map { heartbeat($0) } + [MessageCodingSamples.append]
        for message in sent { client.send([message]) }
        #expect(await eventually { handler.count == sent.count })
        #expect(handler.messages == sent)
        #expect(client.connectedPeers() == [2])
        #expect(server.inboundConnections == 1)
        await server.shutdown()
        #expect(await eventually { client.connectedPeers().isEmpty })
        await client.shutdown()
    }

    @Test func messagesToUnknownPeersAreDropped() async throws {
        let (server, handler, address) = try await makeServer()
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        client.setPeers([2: address])
        client.send([heartbeat(1, to: 7), heartbeat(2)])
        #expect(await eventually { handler.count == 1 })
        #expect(handler.messages == [heartbeat(2)])
        await client.shutdown()
        await server.shutdown()
    }

    /// Thousands of messages sent one by one arrive whole and in order, in far fewer deliveries
    /// than messages: what queues between two writes leaves as one batch.
    @Test func batchingUnderLoad() async throws {
        let (server, handler, address) = try await makeServer()
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        client.setPeers([2: address])
        let total = 20_000
        for i in 0..<total { client.send([heartbeat(i)]) }
        #expect(await eventually(timeout: .seconds(60)) { handler.count == total })
        #expect(handler.messages.map(\.commit) == (0..<total).map(UInt64.init))
        #expect(handler.batches.load(ordering: .relaxed) < total)
        #expect(client.droppedMessages == 0)
        await client.shutdown()
        await server.shutdown()
    }

    @Test func callsGetResponsesAndRemoteErrors() async throws {
        let (server, _, address) = try await makeServer()
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        let body = (0..<100_000).map { UInt8(truncatingIfNeeded: $0) }
        #expect(try await client.call(address, method: "echo", body: body, timeout: .seconds(60)) == body)
        #expect(try await client.call(address, method: "echo", body: [], timeout: .seconds(60)) == [])
        #expect(await callError(client, address, "fail") == PeerCallError(code: "index_not_found", message: "index 'books' does not exist"))
        #expect(await callError(client, address, "boom")?.code == "internal")
        // Many calls in flight on one connection, answered by id.
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<200 {
                group.addTask {
                    let payload = Array("call \(i)".utf8)
                    return try await client.call(address, method: "echo", body: payload, timeout: .seconds(60)) == payload
                }
            }
            for try await ok in group { #expect(ok) }
        }
        await client.shutdown()
        await server.shutdown()
    }

    @Test func callsTimeOut() async throws {
        let (server, _, address) = try await makeServer()
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        #expect(await callError(client, address, "slow", timeout: .milliseconds(200))?.code == "timeout")
        // The connection is still good after a timeout.
        #expect(try await client.call(address, method: "echo", body: [1], timeout: .seconds(60)) == [1])
        await client.shutdown()
        await server.shutdown()
    }

    @Test func callsToNobodyFailAsUnavailable() async throws {
        let (server, _, address) = try await makeServer()
        await server.shutdown()
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        #expect(await callError(client, address, "echo")?.code == "unavailable")
        #expect(await callError(client, "not an address", "echo")?.code == "unavailable")
        await client.shutdown()
        #expect(await callError(client, address, "echo")?.code == "unavailable")
    }

    @Test func cancelledCallsEnd() async throws {
        let (server, _, address) = try await makeServer()
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        let call = Task { try await client.call(address, method: "slow", body: [], timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(100))
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        await client.shutdown()
        await server.shutdown()
    }

    /// The peer's transport stops and starts again on the same port: the link reconnects by
    /// itself and messages flow again, in order.
    @Test func reconnectsAfterThePeerRestarts() async throws {
        let (first, firstHandler, address) = try await makeServer()
        let port = Int(address.split(separator: ":").last.map(String.init) ?? "") ?? 0
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        client.setPeers([2: address])
        client.send([heartbeat(0)])
        #expect(await eventually { firstHandler.count == 1 })
        await first.shutdown()

        let (second, secondHandler, _) = try await makeServer(port: port)
        var next = 1
        let arrived = await eventually(timeout: .seconds(20)) {
            client.send([heartbeat(next)])
            next += 1
            return secondHandler.count > 0
        }
        #expect(arrived)
        let before = secondHandler.count
        for i in 0..<100 { client.send([heartbeat(10_000 + i)]) }
        #expect(await eventually { secondHandler.count >= before + 100 })
        let commits = secondHandler.messages.map(\.commit)
        #expect(commits == commits.sorted())
        await client.shutdown()
        await second.shutdown()
    }

    @Test func theRightSecretIsAcceptedAndAWrongOneRefused() async throws {
        let (server, handler, address) = try await makeServer(secret: "s3cret")
        let good = PeerTransport.client(secret: "s3cret", logger: quietLogger)
        #expect(try await good.call(address, method: "echo", body: [42], timeout: .seconds(60)) == [42])
        // Many sealed frames in flight both ways at once, large and small, all verify in order.
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<24 {
                let body = [UInt8](repeating: UInt8(i), count: i % 3 == 0 ? 300_000 : 7)
                group.addTask { try await good.call(address, method: "echo", body: body, timeout: .seconds(60)) == body }
            }
            for try await same in group { #expect(same) }
        }
        good.setPeers([2: address])
        good.send([heartbeat(1)])
        #expect(await eventually { handler.count == 1 })

        let wrong = PeerTransport.client(secret: "guess", logger: quietLogger)
        #expect(await callError(wrong, address, "echo")?.code == "auth")
        let none = PeerTransport.client(secret: nil, logger: quietLogger)
        #expect(await callError(none, address, "echo")?.code == "auth")
        // A node with a secret does not talk to one without either.
        let (open, _, openAddress) = try await makeServer()
        #expect(await callError(good, openAddress, "echo")?.code == "auth")

        for transport in [good, wrong, none, open, server] { await transport.shutdown() }
    }

    @Test func bindsEveryAddressTheHostResolvesTo() async throws {
        let localhost = try PeerAddress.resolveAll(host: "localhost", port: 7070)
        #expect(localhost.contains { $0.ipAddress == "127.0.0.1" })
        #expect(try PeerAddress.resolveAll(host: "::1", port: 1).map(\.hostPort) == ["[::1]:1"])

        let handler = RecordingHandler()
        let server = PeerTransport(host: "localhost", port: 0, secret: nil, handler: handler, logger: quietLogger)
        let port = try await server.start()
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        #expect(try await client.call("127.0.0.1:\(port)", method: "echo", body: [1], timeout: .seconds(60)) == [1])
        #expect(try await client.call("localhost:\(port)", method: "echo", body: [2], timeout: .seconds(60)) == [2])
        if localhost.contains(where: { $0.ipAddress == "::1" }) {
            #expect(try await client.call("[::1]:\(port)", method: "echo", body: [3], timeout: .seconds(60)) == [3])
        }
        await client.shutdown()
        await server.shutdown()

        // An IPv6 loopback bind, reached by its bracketed address.
        let v6 = PeerTransport(host: "::1", port: 0, secret: nil, handler: handler, logger: quietLogger)
        if let v6Port = try? await v6.start() {
            let client = PeerTransport.client(secret: nil, logger: quietLogger)
            #expect(try await client.call("[::1]:\(v6Port)", method: "echo", body: [4], timeout: .seconds(60)) == [4])
            await client.shutdown()
        }
        await v6.shutdown()
    }

    @Test func addressesParseLikeTheCommandLine() {
        #expect(PeerAddress("127.0.0.1:7070") == PeerAddress(host: "127.0.0.1", port: 7070))
        #expect(PeerAddress("[::1]:7071") == PeerAddress(host: "::1", port: 7071))
        #expect(PeerAddress("node-1.example:7072")?.description == "node-1.example:7072")
        for bad in ["", "host", "host:", ":7070", "host:0", "host:70000", "::1:7070", "[::1]7070"] {
            #expect(PeerAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func theHandlerSeesTheCallersAddress() async throws {
        final class Who: PeerHandler {
            func receive(_ messages: [Message]) async {}
            func handle(method: String, body: [UInt8], from address: String) async throws -> [UInt8] { Array(address.utf8) }
        }
        let server = PeerTransport(host: "127.0.0.1", port: 0, secret: nil, handler: Who(), logger: quietLogger)
        let port = try await server.start()
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        let from = String(decoding: try await client.call("127.0.0.1:\(port)", method: "who", body: [], timeout: .seconds(60)), as: UTF8.self)
        #expect(from.hasPrefix("127.0.0.1:"))
        await client.shutdown()
        await server.shutdown()
    }

    @Test func aMessageTooLargeForAFrameIsDroppedNotSent() async throws {
        let (server, handler, address) = try await makeServer()
        let client = PeerTransport(host: "127.0.0.1", port: 0, secret: nil, handler: RecordingHandler(), logger: quietLogger,
                                   maxFrameSize: 1 << 16)
        client.setPeers([2: address])
        let huge = Message(type: .append, to: 2, from: 1, term: 1, index: 0,
                           entries: [Entry(term: 1, index: 1, data: Array(repeating: 0, count: 100_000))])
        client.send([heartbeat(1), huge, heartbeat(2)])
        #expect(await eventually { handler.count == 2 })
        #expect(handler.messages == [heartbeat(1), heartbeat(2)])
        #expect(client.droppedMessages == 1)
        // Many small messages queued together go out in frames the limit allows.
        for i in 3..<2003 { client.send([heartbeat(i)]) }
        #expect(await eventually { handler.count == 2002 })
        #expect(client.droppedMessages == 1)
        await #expect(throws: PeerCallError.self) {
            try await client.call(address, method: "echo", body: Array(repeating: 0, count: 100_000), timeout: .seconds(60))
        }
        await client.shutdown()
        await server.shutdown()
    }

    @Test func runServesUntilCancelledThenClosesEverything() async throws {
        let server = PeerTransport(host: "127.0.0.1", port: 0, secret: nil, handler: RecordingHandler(), logger: quietLogger)
        let port = try await server.start()
        let running = Task { try await server.run() }
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        #expect(try await client.call("127.0.0.1:\(port)", method: "echo", body: [1], timeout: .seconds(60)) == [1])
        running.cancel()
        try await running.value
        #expect(await callError(client, "127.0.0.1:\(port)", "echo")?.code == "unavailable")
        await client.shutdown()
    }

    /// Without a secret, a connection from a non-loopback address is refused (tested where the
    /// machine has such an address to connect from).
    @Test func withoutASecretOnlyLoopbackPeersAreAccepted() async throws {
        let devices = (try? System.enumerateDevices()) ?? []
        guard let ip = devices.compactMap({ $0.address }).first(where: { address in
            if case .v4 = address { return !address.isLoopback } else { return false }
        })?.ipAddress else {
            print("no non-loopback IPv4 address among \(devices.map { "\($0.name) \(String(describing: $0.address))" })")
            return
        }
        let open = PeerTransport(host: "0.0.0.0", port: 0, secret: nil, handler: RecordingHandler(), logger: quietLogger)
        let port = try await open.start()
        let client = PeerTransport.client(secret: nil, logger: quietLogger)
        #expect(try await client.call("127.0.0.1:\(port)", method: "echo", body: [1], timeout: .seconds(60)) == [1])
        let refused = await callError(client, "\(ip):\(port)", "echo")
        #expect(refused?.code == "auth")
        #expect(refused?.message.contains("loopback") == true, "\(String(describing: refused))")
        await client.shutdown()
        await open.shutdown()

        // With a secret, the same address is fine.
        let closed = PeerTransport(host: "0.0.0.0", port: 0, secret: "s", handler: RecordingHandler(), logger: quietLogger)
        let closedPort = try await closed.start()
        let member = PeerTransport.client(secret: "s", logger: quietLogger)
        #expect(try await member.call("\(ip):\(closedPort)", method: "echo", body: [2], timeout: .seconds(60)) == [2])
        await member.shutdown()
        await closed.shutdown()
    }

    @Test func theHandshakeProofsBindBothNonces() {
        let handshake = PeerHandshake(secret: "k")
        let a = PeerHandshake.makeNonce()
        let b = PeerHandshake.makeNonce()
        let proof = handshake.proof(role: .client, clientNonce: a, serverNonce: b) ?? []
        #expect(handshake.verify(proof, role: .client, clientNonce: a, serverNonce: b))
        // Replayed against a new server nonce, reflected as the server's, or checked with another secret: refused.
        #expect(!handshake.verify(proof, role: .client, clientNonce: a, serverNonce: PeerHandshake.makeNonce()))
        #expect(!handshake.verify(proof, role: .server, clientNonce: a, serverNonce: b))
        #expect(!PeerHandshake(secret: "K").verify(proof, role: .client, clientNonce: a, serverNonce: b))
        #expect(PeerHandshake(secret: "").proof(role: .client, clientNonce: a, serverNonce: b) == nil)
    }
}

/// A few messages beyond heartbeats, shared by the transport tests.
enum MessageCodingSamples {
    static let append = Message(type: .append, to: 2, from: 1, term: 3, logTerm: 2, index: 9,
                                entries: [Entry(term: 3, index: 10, data: Array(repeating: 1, count: 5000))], commit: 8)
}
