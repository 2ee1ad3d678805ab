import Crypto

/// The handshake's authentication. Each side sends a fresh nonce in its hello; then each proves
/// it holds the cluster secret with HMAC-SHA256(secret, label || role || client nonce || server
/// nonce). The role byte differs per side, so a side's own proof reflected back fails, and both
/// nonces are fresh per connection, so a recorded handshake replayed later fails too. Without a
/// secret there are no proofs: the server accepts loopback peers only.
///
/// After the handshake each direction's frames are sealed with a key derived the same way
/// (`frameKey`, `FrameSealing`): authenticated, not encrypted.
struct PeerHandshake: Sendable {
    static let macSize = 32
    private static let label = Array("cockatrice-peer-v1".utf8)

    enum Role: UInt8 {
        case client = 0x43  // "C"
        case server = 0x53  // "S"
    }

    private let key: SymmetricKey?

    /// nil or an empty secret: no authentication.
    init(secret: String?) {
        if let secret, !secret.isEmpty {
            key = SymmetricKey(data: Array(secret.utf8))
        } else {
            key = nil
        }
    }

    var isAuthenticated: Bool { key != nil }

    static func makeNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<PeerHello.nonceSize).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The proof `role` sends; nil without a secret.
    func proof(role: Role, clientNonce: [UInt8], serverNonce: [UInt8]) -> [UInt8]? {
        guard let key else { return nil }
        return Array(HMAC<SHA256>.authenticationCode(for: Self.transcript(role, clientNonce, serverNonce), using: key))
    }

    /// Whether `mac` is `role`'s proof for these nonces (constant-time comparison).
    func verify(_ mac: [UInt8], role: Role, clientNonce: [UInt8], serverNonce: [UInt8]) -> Bool {
        guard let key else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Self.transcript(role, clientNonce, serverNonce),
                                                      using: key)
    }

    /// Sends `role`'s proof (`write` writes the `auth` frame) and seals everything this side
    /// sends after it. False without a secret: there are no proofs, the connection is ready.
    func prove(as role: Role, clientNonce: [UInt8], serverNonce: [UInt8], sealing: FrameSealing, write: (PeerFrame) -> Void) -> Bool {
        guard let proof = proof(role: role, clientNonce: clientNonce, serverNonce: serverNonce),
              let key = frameKey(role: role, clientNonce: clientNonce, serverNonce: serverNonce) else { return false }
        write(.auth(mac: proof))
        sealing.armSending(key)
        return true
    }

    /// Checks the peer's (`role`'s) proof; when it holds, every frame the peer sends after it
    /// must be sealed.
    func accept(_ mac: [UInt8], from role: Role, clientNonce: [UInt8], serverNonce: [UInt8], sealing: FrameSealing) -> Bool {
        guard verify(mac, role: role, clientNonce: clientNonce, serverNonce: serverNonce),
              let key = frameKey(role: role, clientNonce: clientNonce, serverNonce: serverNonce) else { return false }
        sealing.armReceiving(key)
        return true
    }

    /// The key that seals the frames `role` sends on this connection; nil without a secret.
    func frameKey(role: Role, clientNonce: [UInt8], serverNonce: [UInt8]) -> SymmetricKey? {
        guard let key else { return nil }
        let material = Array(Self.frameLabel) + [role.rawValue] + clientNonce + serverNonce
        return SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: material, using: key)))
    }

    private static let frameLabel = Array("cockatrice-frames-v1".utf8)

    private static func transcript(_ role: Role, _ clientNonce: [UInt8], _ serverNonce: [UInt8]) -> [UInt8] {
        label + [role.rawValue] + clientNonce + serverNonce
    }
}
