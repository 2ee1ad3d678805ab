import Core
import Foundation
import Synchronization
import Testing
@testable import PeerTransport

/// The admin commands' calls against a real transport and a stand-in node.
@Suite(.timeLimit(.minutes(2))) struct AdminClientTests {
    /// Answers the admin methods the way API.md describes the node's side.
    final class AdminNode: PeerHandler {
        let snapshot: [UInt8]
        let failReadsAfter: Int?
        let calls = Mutex<[(String, [UInt8])]>([])

        init(snapshotSize: Int, failReadsAfter: Int? = nil) {
            var rng = SplitMix64(seed: 7)
            snapshot = (0..<snapshotSize).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            self.failReadsAfter = failReadsAfter
        }

        func receive(_ messages: [Message]) async {}

        func handle(method: String, body: [UInt8], from address: String) async throws -> [UInt8] {
            let reads = calls.withLock { calls in
                calls.append((method, body))
                return calls.filter { $0.0 == PeerMethod.snapshotRead }.count
            }
            switch method {
            case PeerMethod.status:
                return Array(#"{"state": 2, "self": "127.0.0.1:7070", "raft_term": 3}"#.utf8)
            case PeerMethod.join, PeerMethod.leave:
                guard String(decoding: body, as: UTF8.self) == "127.0.0.1:7071" else {
                    throw PeerCallError(code: "invalid_address", message: String(decoding: body, as: UTF8.self))
                }
                return Array(#"{"ok": true}"#.utf8)
            case PeerMethod.snapshotCreate:
                return Array(#"{"bytes": \#(snapshot.count)}"#.utf8)
            case PeerMethod.snapshotRead:
                if let failReadsAfter, reads > failReadsAfter {
                    throw PeerCallError(code: "snapshot_gone", message: "the snapshot was replaced")
                }
                guard let request = SnapshotReadRequest(decoding: body), request.offset <= UInt64(snapshot.count) else {
                    throw PeerCallError(code: "bad_request", message: "bad snapshot.read body")
                }
                let start = Int(request.offset)
                return Array(snapshot[start..<min(start + request.length, snapshot.count)])
            default:
                throw PeerCallError(code: "unknown_method", message: method)
            }
        }
    }

    private func serve(_ node: AdminNode) async throws -> (PeerTransport, PeerAdminClient, PeerTransport) {
        let server = PeerTransport(host: "127.0.0.1", port: 0, secret: "s", handler: node, logger: quietLogger)
        let port = try await server.start()
        let transport = PeerTransport.client(secret: "s", logger: quietLogger)
        return (server, PeerAdminClient(network: transport, address: "127.0.0.1:\(port)", timeout: .seconds(60)), transport)
    }

    private func temporaryPath() -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("peer-admin-\(UInt64.random(in: 0 ... .max))")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("snapshot.zip").path
    }

    @Test func statusJoinAndLeave() async throws {
        let node = AdminNode(snapshotSize: 0)
        let (server, client, transport) = try await serve(node)
        #expect(String(decoding: try await client.status(), as: UTF8.self).contains(#""raft_term": 3"#))
        #expect(try await client.join("127.0.0.1:7071") == Array(#"{"ok": true}"#.utf8))
        #expect(try await client.leave("127.0.0.1:7071") == Array(#"{"ok": true}"#.utf8))
        await #expect(throws: PeerCallError(code: "invalid_address", message: "nowhere:1")) { try await client.join("nowhere:1") }
        #expect(node.calls.withLock { $0.map(\.0) } == ["status", "join", "leave", "join"])
        await transport.shutdown()
        await server.shutdown()
    }

    @Test(arguments: [0, 1, 4 << 20, (9 << 20) + 123])
    func snapshotDownloadIsExact(size: Int) async throws {
        let node = AdminNode(snapshotSize: size)
        let (server, client, transport) = try await serve(node)
        let path = temporaryPath()
        #expect(try await client.downloadSnapshot(to: path) == size)
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == node.snapshot)
        let reads = node.calls.withLock { $0.filter { $0.0 == PeerMethod.snapshotRead }.map(\.1) }
        #expect(reads.count == (size + SnapshotReadRequest.maxLength - 1) / SnapshotReadRequest.maxLength)
        #expect(reads.allSatisfy { (SnapshotReadRequest(decoding: $0)?.length ?? 0) <= SnapshotReadRequest.maxLength })
        // Nothing left beside the output.
        let directory = (path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["snapshot.zip"])
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func aFailedDownloadLeavesTheOutputUntouched() async throws {
        let node = AdminNode(snapshotSize: 10 << 20, failReadsAfter: 1)
        let (server, client, transport) = try await serve(node)
        let path = temporaryPath()
        try Data("previous".utf8).write(to: URL(fileURLWithPath: path))
        await #expect(throws: PeerCallError(code: "snapshot_gone", message: "the snapshot was replaced")) {
            try await client.downloadSnapshot(to: path)
        }
        #expect(FileManager.default.contents(atPath: path) == Data("previous".utf8))
        let directory = (path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["snapshot.zip"])
        await transport.shutdown()
        await server.shutdown()
    }

    @Test func snapshotSizeAnswerIsChecked() {
        #expect(PeerAdminClient.snapshotSize(Array(#"{"bytes": 1234}"#.utf8)) == 1234)
        #expect(PeerAdminClient.snapshotSize(Array(#"{"bytes": -1}"#.utf8)) == nil)
        #expect(PeerAdminClient.snapshotSize(Array(#"{"bytes": 1.5}"#.utf8)) == nil)
        #expect(PeerAdminClient.snapshotSize(Array(#"{"size": 3}"#.utf8)) == nil)
        #expect(PeerAdminClient.snapshotSize(Array("garbage".utf8)) == nil)
    }

    @Test func snapshotReadRequestsAreBounded() {
        #expect(SnapshotReadRequest(decoding: SnapshotReadRequest(offset: 1 << 40, length: 4096).encoded())
                == SnapshotReadRequest(offset: 1 << 40, length: 4096))
        #expect(SnapshotReadRequest(decoding: SnapshotReadRequest(offset: 0, length: (4 << 20) + 1).encoded()) == nil)
        #expect(SnapshotReadRequest(decoding: SnapshotReadRequest(offset: 0, length: 0).encoded()) == nil)
        #expect(SnapshotReadRequest(decoding: [1, 2, 3]) == nil)
    }
}
