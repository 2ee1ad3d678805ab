import Core
import Crypto
import Testing
@testable import PeerTransport

/// Frames after a handshake with a secret: a frame altered, replayed, reordered, reflected or
/// forged without the connection's key fails; before arming (or without a secret) XXH64.
@Suite struct FrameSealingTests {
    let handshake = PeerHandshake(secret: "s3cret")
    let clientNonce = PeerHandshake.makeNonce()
    let serverNonce = PeerHandshake.makeNonce()

    func key(_ role: PeerHandshake.Role) throws -> SymmetricKey {
        try #require(handshake.frameKey(role: role, clientNonce: clientNonce, serverNonce: serverNonce))
    }

    func tag(_ sealing: FrameSealing, _ body: [UInt8]) -> UInt64 {
        body.withUnsafeBytes { sealing.outboundTag($0) }
    }

    func verify(_ sealing: FrameSealing, _ body: [UInt8], _ tag: UInt64) -> Bool {
        body.withUnsafeBytes { sealing.verifyInbound($0, tag: tag) }
    }

    @Test func sealedFramesVerifyInOrderAndNothingElseDoes() throws {
        let client = FrameSealing()
        let server = FrameSealing()
        client.armSending(try key(.client))
        server.armReceiving(try key(.client))
        let first: [UInt8] = [4, 1, 2, 3]
        let second: [UInt8] = [5, 9, 9]
        let t1 = tag(client, first)
        let t2 = tag(client, second)
        #expect(t1 != first.withUnsafeBytes { Checksum.hash($0) }, "a sealed frame does not carry its XXH64")
        // Reordered: the second frame first fails (and the connection would close here).
        let reordered = FrameSealing()
        reordered.armReceiving(try key(.client))
        #expect(!verify(reordered, second, t2))
        // In order, both pass; the first again (a replay) fails.
        #expect(verify(server, first, t1))
        #expect(verify(server, second, t2))
        #expect(!verify(server, first, t1))

        // An altered byte, or the same frame under the other direction's key (reflected back),
        // or another connection's key, fails.
        for (body, receiverKey) in [([4, 1, 2, 4] as [UInt8], try key(.client)), (first, try key(.server)),
                                    (first, try #require(PeerHandshake(secret: "s3cret").frameKey(role: .client, clientNonce: PeerHandshake.makeNonce(), serverNonce: serverNonce)))] {
            let receiver = FrameSealing()
            receiver.armReceiving(receiverKey)
            #expect(!verify(receiver, body, t1))
        }
        // A frame with a valid XXH64 is refused once sealing is armed.
        let armed = FrameSealing()
        armed.armReceiving(try key(.client))
        #expect(!verify(armed, first, first.withUnsafeBytes { Checksum.hash($0) }))
    }

    @Test func withoutASecretFramesCarryXXH64() {
        let sealing = FrameSealing()
        let body: [UInt8] = [4, 0, 1]
        let sum = body.withUnsafeBytes { Checksum.hash($0) }
        #expect(tag(sealing, body) == sum)
        #expect(verify(sealing, body, sum))
        #expect(!verify(sealing, body, sum ^ 1))
        #expect(PeerHandshake(secret: nil).frameKey(role: .client, clientNonce: clientNonce, serverNonce: serverNonce) == nil)
    }
}
