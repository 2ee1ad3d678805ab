import Core
import Foundation
import Logging
import Synchronization
@testable import PeerTransport

/// A node stand-in: records the Raft messages it receives and answers a few test methods.
final class RecordingHandler: PeerHandler {
    let received = Mutex<[Message]>([])
    let batches = Atomic<Int>(0)

    struct Boom: Error {}

    func receive(_ messages: [Message]) async {
        received.withLock { $0.append(contentsOf: messages) }
        batches.add(1, ordering: .relaxed)
    }

    func handle(method: String, body: [UInt8], from address: String) async throws -> [UInt8] {
        switch method {
        case "echo":
            return body
        case "fail":
            throw PeerCallError(code: "index_not_found", message: "index 'books' does not exist")
        case "boom":
            throw Boom()
        case "slow":
            try await Task.sleep(for: .seconds(3))
            return []
        default:
            throw PeerCallError(code: "unknown_method", message: method)
        }
    }

    var messages: [Message] { received.withLock { $0 } }
    var count: Int { received.withLock { $0.count } }
}

let quietLogger = Logger(label: "peer-test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A transport listening on a free loopback port.
func makeServer(secret: String? = nil, handler: RecordingHandler = RecordingHandler(), port: Int = 0) async throws
    -> (PeerTransport, RecordingHandler, String) {
    let transport = PeerTransport(host: "127.0.0.1", port: port, secret: secret, handler: handler, logger: quietLogger)
    let bound = try await transport.start()
    return (transport, handler, "127.0.0.1:\(bound)")
}

/// Waits until `condition` holds, up to `timeout`; returns whether it did.
func eventually(timeout: Duration = .seconds(60), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

func heartbeat(_ i: Int, to: NodeID = 2, from: NodeID = 1) -> Message {
    Message(type: .heartbeat, to: to, from: from, term: 1, commit: UInt64(i))
}

/// Calls and returns the PeerCallError it fails with, or nil if it succeeds.
func callError(_ transport: PeerTransport, _ address: String, _ method: String, timeout: Duration = .seconds(60)) async -> PeerCallError? {
    do {
        _ = try await transport.call(address, method: method, body: [], timeout: timeout)
        return nil
    } catch let error as PeerCallError {
        return error
    } catch {
        return PeerCallError(code: "unexpected", message: "\(error)")
    }
}
