import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing

/// Three real `cockatrice server` processes on loopback, joined through `--seed-addr` as API.md's
/// bring-up does: writes on any node reach every node, a SIGKILLed leader is replaced and no
/// acknowledged write is lost, and a killed node rejoins by itself with its first command line.
@Suite(.serialized) struct ClusterProcessTests {
    /// A founder and two nodes that join through it.
    /// Cluster nodes run less niced than the single servers: their Raft clock (elections in
    /// 400-800 ms) must keep ticking while the in-process suites load the same cores.
    static let niceness = 5

    static func startCluster(extraArguments: [String] = []) async throws -> [ServerProcess] {
        let first = try ServerProcess(extraArguments: extraArguments, niceness: niceness)
        try first.launch()
        try await first.waitUntilReady()
        var nodes = [first]
        for _ in 0..<2 {
            let node = try ServerProcess(extraArguments: ["--seed-addr=127.0.0.1:\(first.peerPort)"] + extraArguments, niceness: niceness)
            try node.launch()
            nodes.append(node)
        }
        for node in nodes { try await node.waitUntilReady() }
        // Three voters on every node: two partners and no learner left (a learner does not vote,
        // so a test that stops the leader before the last promotion would leave no quorum).
        for node in nodes {
            let status = try await eventually(timeout: 30) { try await Self.status(node) } until: {
                ($0["partner_nodes_count"] as? Int) == 2 && ($0["readonly_nodes_count"] as? Int) == 0
            }
            #expect(status["readonly_nodes_count"] as? Int == 0, "a learner was not promoted: \(status)")
        }
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
        // With a cluster secret: every frame between the nodes is sealed.
        let nodes = try await Self.startCluster(extraArguments: ["--cluster-secret=correct horse"])
        defer { for node in nodes { node.stop() } }
        try await nodes[1].client.createIndex("books")
        for (i, node) in nodes.enumerated() {
            try Envelope.expect(try await node.client.put("/indices/books/documents/d\(i)?sync=true", json: ["title": "Node \(i)"]), 201)
        }
        for node in nodes {
            for i in nodes.indices {
                let fields = try await eventually(timeout: 30) { try await node.client.get("/indices/books/documents/d\(i)") } until: { $0.status == 200 }
                #expect(fields.status == 200, "d\(i) on port \(node.httpPort)")
            }
        }
        // A linearizable read on another node sees a write acknowledged a moment ago, at once.
        for i in 0..<5 {
            try Envelope.expect(try await nodes[i % 3].client.put("/indices/books/documents/lin\(i)", json: ["title": "Linear \(i)"]), 202)
            let reader = nodes[(i + 1) % 3].client
            try Envelope.expect(try await reader.get("/indices/books/documents/lin\(i)?consistency=strong"), 200)
            let found = try await reader.search("books", ["query": "title:linear", "consistency": "strong", "page_len": "0"])
            #expect(found["total"] as? Int == i + 1)
        }
        var statuses: [[String: Any]] = []
        for node in nodes { statuses.append(try await Self.status(node)) }
        #expect(Set(statuses.compactMap { $0["leader"] as? String }).count == 1, "one leader, the same for all")
        #expect(statuses.filter { $0["state"] as? Int == 2 }.count == 1)
        // The leader's links to both partners are up (PySyncObj's 2 = connected).
        let leader = try #require(statuses.first { $0["state"] as? Int == 2 })
        let links = leader.filter { $0.key.hasPrefix("partner_node_status_server_") }
        #expect(links.count == 2 && links.values.allSatisfy { $0 as? Int == 2 }, "\(links)")
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

    /// A leader stopped (SIGSTOP) past the election timeout is replaced; resumed, it learns of
    /// the new term, steps down and catches up, and what it held in between is not lost.
    @Test func aStoppedLeaderIsReplacedAndCatchesUpWhenResumed() async throws {
        let nodes = try await Self.startCluster()
        defer { for node in nodes { _ = node.pid.map { Glibc.kill($0, SIGCONT) }; node.stop() } }
        try await nodes[0].client.createIndex("books")
        let leader = try #require(await Self.leader(among: nodes))
        let followers = nodes.filter { $0 !== leader }
        let pid = try #require(leader.pid)
        #expect(Glibc.kill(pid, SIGSTOP) == 0)
        let replaced = try await eventually(timeout: 30) { await Self.leader(among: followers) } until: { $0 != nil }
        #expect(replaced != nil, "the others elect a new leader while the old one is stopped")
        for i in 0..<5 {
            try Envelope.expect(try await followers[i % 2].client.put("/indices/books/documents/s\(i)?sync=true", json: ["title": "S \(i)"]), 201)
        }
        #expect(Glibc.kill(pid, SIGCONT) == 0)
        try await Self.expectAll((0..<5).map { "s\($0)" }, on: leader)
        let status = try await eventually(timeout: 30) { try await Self.status(leader) } until: { $0["state"] as? Int == 0 }
        #expect(status["state"] as? Int == 0, "the resumed old leader is a follower")
    }

    /// Every node killed at once and restarted with the same command lines: the cluster forms
    /// again by itself, with every acknowledged write.
    @Test func restartingEveryNodeAtOnceKeepsTheCluster() async throws {
        let nodes = try await Self.startCluster()
        defer { for node in nodes { node.stop() } }
        try await nodes[2].client.createIndex("books")
        for i in 0..<9 {
            try Envelope.expect(try await nodes[i % 3].client.put("/indices/books/documents/r\(i)", json: ["title": "R \(i)"]), 202)
        }
        for node in nodes { node.kill() }
        for node in nodes { try node.launch() }
        for node in nodes { try await node.waitUntilReady() }
        for node in nodes { try await Self.expectAll((0..<9).map { "r\($0)" }, on: node) }
        try Envelope.expect(try await nodes[1].client.put("/indices/books/documents/after?sync=true", json: ["title": "After"]), 201)
    }

    /// A follower killed while the leader compacts its log past what the follower holds comes
    /// back to a log that no longer has the entries it lacks: it streams the leader's indices
    /// (InstallSnapshot), then follows the log, with every acknowledged write.
    @Test func aFollowerBehindTheCompactedLogInstallsASnapshot() async throws {
        let nodes = try await Self.startCluster(extraArguments: ["--log-compaction-min-entries=1", "--log-compaction-min-time=0"])
        defer { for node in nodes { node.stop() } }
        let leader = try #require(await Self.leader(among: nodes))
        try await leader.client.createIndex("books")
        for i in 0..<5 {
            try Envelope.expect(try await leader.client.put("/indices/books/documents/a\(i)?sync=true", json: ["title": "Before \(i)"]), 201)
        }
        let follower = try #require(nodes.first { $0 !== leader })
        follower.kill()
        let bulk = (0..<200).map { ["id": "b\($0)", "title": "While away \($0)"] }
        try Envelope.expect(try await leader.client.put("/indices/books/documents?sync=true", json: bulk), 201)
        try Envelope.expect(try await leader.client.put("/indices/books/documents/b-last?sync=true", json: ["title": "Last"]), 201)
        // A backup commits every index; the next maintenance round compacts the log up to it.
        let backup = try await leader.client.put("/snapshot", Data(), nil)
        #expect([200, 201].contains(backup.status), "PUT /snapshot: \(backup)")
        let compacted = try await eventually(timeout: 30) { try await Self.status(leader) } until: { ($0["log_len"] as? Int ?? 99) <= 1 }
        #expect((compacted["log_len"] as? Int ?? 99) <= 1, "the leader compacted its log: \(compacted)")

        try follower.launch()
        try await follower.waitUntilReady()
        try await Self.expectAll((0..<5).map { "a\($0)" } + (0..<200).map { "b\($0)" } + ["b-last"], on: follower)
        #expect(follower.log.contains("installed a snapshot"), "the follower caught up by InstallSnapshot, not by replaying the log")
        // It follows the log from there.
        try Envelope.expect(try await follower.client.put("/indices/books/documents/after?sync=true", json: ["title": "After"]), 201)
        for node in nodes { try await Self.expectAll(["after"], on: node) }
    }

    /// A node whose `--seed-addr` names no member waits to be added; `PUT /cluster/<node>` on
    /// the cluster adds it, `cockatrice join` adds another, and a node that founded a cluster
    /// of its own is refused (409).
    @Test func waitingNodesAreAddedWithPutClusterAndJoin() async throws {
        let founder = try ServerProcess(niceness: Self.niceness)
        try founder.launch()
        try await founder.waitUntilReady()
        defer { founder.stop() }
        try await founder.client.createIndex("books")
        try Envelope.expect(try await founder.client.put("/indices/books/documents/f1?sync=true", json: ["title": "First"]), 201)
        // Seeds nobody answers at (a free port of its own), so the nodes wait.
        var waiting: [ServerProcess] = []
        for _ in 0..<2 {
            let (_, nowhere) = try FreePorts.pair()
            let node = try ServerProcess(extraArguments: ["--seed-addr=127.0.0.1:\(nowhere)"], niceness: Self.niceness)
            try node.launch()
            waiting.append(node)
        }
        defer { for node in waiting { node.stop() } }
        for node in waiting {
            // (503 "opening" first, while it starts; then it waits to be added.)
            var body = "no answer"
            for _ in 0..<600 where !body.contains("waiting to be added") {
                if let readiness = try? await node.client.get("/health/readiness") { body = String(decoding: readiness.body, as: UTF8.self) }
                if !body.contains("waiting to be added") { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(body.contains("waiting to be added"), "\(body)")
        }
        let added = try await founder.client.put("/cluster/127.0.0.1:\(waiting[0].peerPort)", Data(), nil)
        try Envelope.expect(added, 200)
        let joined = try Executables.cockatrice("join", "--bind-addr=127.0.0.1:\(founder.peerPort)", "--join-addr=127.0.0.1:\(waiting[1].peerPort)")
        #expect(joined.status == 0, "cockatrice join: \(joined.stderr)")
        for node in waiting {
            try await node.waitUntilReady()
            try await Self.expectAll(["f1"], on: node)
        }
        let status = try await eventually(timeout: 30) { try await Self.status(founder) } until: { ($0["partner_nodes_count"] as? Int) == 2 }
        #expect(status["partner_nodes_count"] as? Int == 2, "\(status)")

        let loner = try ServerProcess(niceness: Self.niceness)
        try loner.launch()
        defer { loner.stop() }
        try await loner.waitUntilReady()
        let refused = try await waiting[0].client.put("/cluster/127.0.0.1:\(loner.peerPort)", Data(), nil)
        _ = try Envelope.expectError(refused, 409, "node_in_another_cluster")
    }

    /// A node leaves; its id is never readmitted; wiped, it joins again under a new id.
    @Test func aNodeLeavesAndRejoinsFromAWipedDirectoryUnderANewID() async throws {
        let nodes = try await Self.startCluster()
        defer { for node in nodes { node.stop() } }
        let leaving = nodes[2]
        let address = "127.0.0.1:\(leaving.peerPort)"
        let oldID = try #require(try await Self.status(leaving)["node_id"] as? String)
        try Envelope.expect(try await nodes[0].client.delete("/cluster/\(address)"), 200)
        _ = try await eventually(timeout: 30) { try await Self.status(nodes[0]) } until: { ($0["partner_nodes_count"] as? Int) == 1 }
        #expect(try await Self.status(nodes[0])["partner_nodes_count"] as? Int == 1)
        // Restarted as it was, the removed node is not let back in.
        leaving.kill()
        try leaving.launch()
        try await Task.sleep(for: .seconds(2))
        #expect(try await Self.status(nodes[0])["partner_nodes_count"] as? Int == 1, "a removed id is never readmitted")
        // Wiped, it is a new node and joins.
        leaving.kill()
        try FileManager.default.removeItem(at: leaving.indexDirectory)
        try leaving.launch()
        try await leaving.waitUntilReady()
        let newID = try #require(try await Self.status(leaving)["node_id"] as? String)
        #expect(newID != oldID)
        _ = try await eventually(timeout: 30) { try await Self.status(nodes[0]) } until: { ($0["partner_nodes_count"] as? Int) == 2 }
        try await nodes[0].client.createIndex("books")
        // The new member applies the index's creation a moment later; a write it takes is
        // checked against the indices it has.
        _ = try await eventually(timeout: 30) { try await leaving.client.get("/indices/books") } until: { $0.status == 200 }
        try Envelope.expect(try await leaving.client.put("/indices/books/documents/n1?sync=true", json: ["title": "New"]), 201)
        try await Self.expectAll(["n1"], on: nodes[1])
    }

    final class WriteProgress: Sendable {
        let acknowledged = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)
    }

    static func expectAll(_ ids: [String], on node: ServerProcess) async throws {
        let client = node.client
        for id in ids {
            let response = try await eventually(timeout: 30) { try await client.get("/indices/books/documents/\(id)") } until: { $0.status == 200 }
            #expect(response.status == 200, "acknowledged \(id) missing on port \(node.httpPort): \(response)")
        }
    }
}
