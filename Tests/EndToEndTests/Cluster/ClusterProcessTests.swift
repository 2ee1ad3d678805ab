import Foundation
import Synchronization
import Testing

/// Three real `cockatrice server` processes on loopback, joined through `--seed-addr` as API.md's
/// bring-up does: writes on any node reach every node, a SIGKILLed leader is replaced and no
/// acknowledged write is lost, and a killed node rejoins by itself with its first command line.
@Suite(.serialized) struct ClusterProcessTests {
    /// A founder and two nodes that join through it.
    static func startCluster() async throws -> [ServerProcess] {
        let first = try ServerProcess()
        try first.launch()
        try await first.waitUntilReady()
        var nodes = [first]
        for _ in 0..<2 {
            let node = try ServerProcess(extraArguments: ["--seed-addr=127.0.0.1:\(first.peerPort)"])
            try node.launch()
            nodes.append(node)
        }
        for node in nodes { try await node.waitUntilReady() }
        // Every node sees three voters: two partners, and the leader matches both.
        _ = try await eventually { try await Self.status(nodes[0]) } until: { ($0["partner_nodes_count"] as? Int) == 2 }
        return nodes
    }

    static func status(_ node: ServerProcess) async throws -> [String: Any] {
        try #require(try Envelope.expect(try await node.client.get("/cluster"), 200)["cluster"] as? [String: Any])
    }

    static func leader(among nodes: [ServerProcess]) async -> ServerProcess? {
        for node in nodes where node.pid != nil {
            if let status = try? await status(node), status["state"] as? Int == 2 { return node }
        }
        return nil
    }

    @Test func writesOnAnyNodeReachEveryNode() async throws {
        let nodes = try await Self.startCluster()
        defer { for node in nodes { node.stop() } }
        try await nodes[1].client.createIndex("books")
        for (i, node) in nodes.enumerated() {
            try Envelope.expect(try await node.client.put("/indices/books/documents/d\(i)?sync=true", json: ["title": "Node \(i)"]), 201)
        }
        for node in nodes {
            for i in nodes.indices {
                let fields = try await eventually { try await node.client.get("/indices/books/documents/d\(i)") } until: { $0.status == 200 }
                #expect(fields.status == 200, "d\(i) on port \(node.httpPort)")
            }
        }
        var statuses: [[String: Any]] = []
        for node in nodes { statuses.append(try await Self.status(node)) }
        #expect(Set(statuses.compactMap { $0["leader"] as? String }).count == 1, "one leader, the same for all")
        #expect(statuses.filter { $0["state"] as? Int == 2 }.count == 1)
    }

    /// The most important property: a SIGKILL of the leader in the middle of sync writes loses
    /// no acknowledged write, on any surviving node, and the killed node gets them all when it
    /// comes back with the same command line.
    @Test func killingTheLeaderDuringSyncWritesLosesNoAcknowledgedWrite() async throws {
        let nodes = try await Self.startCluster()
        defer { for node in nodes { node.stop() } }
        try await nodes[0].client.createIndex("books")
        let leader = try #require(await Self.leader(among: nodes))
        let followers = nodes.filter { $0 !== leader }
        let progress = WriteProgress()
        // Writers on every node, the leader included, until told to stop.
        let writers = Task {
            await withTaskGroup(of: Void.self) { group in
                for (w, node) in nodes.enumerated() {
                    group.addTask {
                        var n = 0
                        while !progress.stop.load(ordering: .relaxed) {
                            let id = "w\(w)-\(n)"
                            n += 1
                            let client = HTTPClient(port: node.httpPort, timeout: 15)
                            if let response = try? await client.put("/indices/books/documents/\(id)?sync=true", json: ["title": id]),
                               response.status == 201 {
                                progress.acknowledged.withLock { $0.append(id) }
                            }
                        }
                    }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(700))
        leader.kill()
        try await Task.sleep(for: .seconds(3))
        progress.stop.store(true, ordering: .relaxed)
        await writers.value
        let written = progress.acknowledged.withLock { $0 }
        #expect(written.count > 20, "writes went on: \(written.count)")
        #expect(await Self.leader(among: followers) != nil, "a new leader among the survivors")
        // Every acknowledged document on every survivor...
        for node in followers {
            try await Self.expectAll(written, on: node)
        }
        // ...and on the old leader once it is back (same command line: it rejoins by itself).
        try leader.launch()
        try await leader.waitUntilReady()
        try await Self.expectAll(written, on: leader)
    }

    final class WriteProgress: Sendable {
        let acknowledged = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)
    }

    static func expectAll(_ ids: [String], on node: ServerProcess) async throws {
        let client = node.client
        for id in ids {
            let response = try await eventually { try await client.get("/indices/books/documents/\(id)") } until: { $0.status == 200 }
            #expect(response.status == 200, "acknowledged \(id) missing on port \(node.httpPort): \(response)")
        }
    }
}
