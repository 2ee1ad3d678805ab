import Foundation
import Synchronization
import Testing

/// Real processes, real signals: a graceful restart keeps everything, and a SIGKILL in the middle
/// of concurrent writes loses no write that was acknowledged (API.md: "a write is acknowledged only
/// once it is committed"). Serialized: each test loads the machine on its own.
@Suite(.serialized) struct DurabilityTests {
    @Test func gracefulShutdownOnSIGTERMAndRestartWithDataIntact() async throws {
        let server = try await ServerProcess.start()
        defer { server.stop() }
        let client = server.client
        try await client.createExampleIndex("books")
        var logIndex = 0
        for n in 0..<20 {
            let response = try Envelope.expect(try await client.put("/indices/books/documents/g\(n)", json: ["title": "Graceful \(n)"]), 202)
            logIndex = response["log_index"] as? Int ?? logIndex
        }
        try Envelope.expect(try await client.delete("/indices/books/documents/1"), 202)

        let status = server.terminate(timeout: 30)
        #expect(status == 0, "exit status after SIGTERM: \(String(describing: status)); log:\n\(server.log.suffix(3000))")

        try server.launch()
        try await server.waitUntilReady()
        for n in 0..<20 {
            let fields = try Envelope.expect(try await client.get("/indices/books/documents/g\(n)"), 200)["fields"] as? [String: Any]
            #expect(fields?["title"] as? String == "Graceful \(n)")
        }
        try Envelope.expectError(try await client.get("/indices/books/documents/1"), 404, "document_not_found")
        let results = try await eventually { try await client.search("books", ["query": "graceful OR " + RESTAPITests.allFive, "search_field": "title,text", "page_len": "50"]) }
            until: { $0["total"] as? Int == 24 }
        #expect(results["total"] as? Int == 24)
        let cluster = try Envelope.expect(try await client.get("/cluster"), 200)["cluster"] as? [String: Any]
        #expect((cluster?["last_applied"] as? Int ?? 0) >= logIndex)
        // Still the same node, still writable.
        try Envelope.expect(try await client.put("/indices/books/documents/after?sync=true", json: ["title": "After"]), 201)
    }

    /// A deleted and recreated index comes back after a crash as the new one, never mixed with
    /// the old one's files; patches and deletes are replayed too.
    @Test func deleteRecreatePatchAndDeleteSurviveASIGKILL() async throws {
        let server = try await ServerProcess.start()
        defer { server.stop() }
        let client = server.client
        try await client.createExampleIndex("books")
        try Envelope.expect(try await client.delete("/indices/books?sync=true"), 200)
        try await client.createIndex("books")
        try Envelope.expect(try await client.put("/indices/books/documents/9", json: ["title": "Recreated", "text": "glacier"]), 202)
        try await client.createExampleIndex("other")
        try Envelope.expect(try await client.patch("/indices/other/documents/3", json: ["contributor": "patched"]), 202)
        try Envelope.expect(try await client.delete("/indices/other/documents/4"), 202)
        server.kill()

        try server.launch()
        try await server.waitUntilReady()
        try Envelope.expectError(try await client.get("/indices/books/documents/1"), 404, "document_not_found")
        let recreated = try Envelope.expect(try await client.get("/indices/books/documents/9"), 200)["fields"] as? [String: Any]
        #expect(recreated?["title"] as? String == "Recreated")
        let books = try await eventually { try await client.search("books", ["query": RESTAPITests.allFive]) } until: { $0["total"] as? Int == 1 }
        #expect(Results.ids(books) == ["9"], "only the new index's documents")
        let patched = try Envelope.expect(try await client.get("/indices/other/documents/3"), 200)["fields"] as? [String: Any]
        #expect(patched?["contributor"] as? String == "patched")
        #expect(patched?["title"] as? String == "Glacier")
        try Envelope.expectError(try await client.get("/indices/other/documents/4"), 404, "document_not_found")
        let other = try await eventually { try await client.search("other", ["query": RESTAPITests.allFive]) } until: { $0["total"] as? Int == 4 }
        #expect(Results.ids(other).sorted() == ["1", "2", "3", "5"])
    }

    /// While a restarted node replays its log it is alive but not ready: liveness 200, readiness
    /// 503 `not_ready` with a Retry-After (API.md), so that an orchestrator waits instead of
    /// killing it. Checked when the replay takes long enough to be seen (a few seconds here).
    @Test func livenessDuringLogReplay() async throws {
        let server = try await ServerProcess.start()
        defer { server.stop() }
        let client = server.client
        try await client.createIndex("replay")
        let padding = String(repeating: "padding ", count: 50)
        for bulk in 0..<2 {
            let documents = (0..<8000).map { ["id": "r\(bulk)-\($0)", "title": "replay \($0)", "text": padding] }
            try Envelope.expect(try await client.put("/indices/replay/documents", json: documents), 202)
        }
        server.kill()

        try server.launch()
        let started = Date()
        var firstAnswer: TimeInterval?
        var notReady: HTTPResponse?
        var liveBeforeReady = false
        let probe = HTTPClient(port: server.httpPort, timeout: 2)
        while Date().timeIntervalSince(started) < 120 {
            if let readiness = try? await probe.get("/health/readiness") {
                firstAnswer = firstAnswer ?? Date().timeIntervalSince(started)
                if readiness.status == 200 { break }
                notReady = readiness
                if (try? await probe.get("/health/liveness"))?.status == 200 { liveBeforeReady = true }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let ready = Date().timeIntervalSince(started)
        try await server.waitUntilReady()
        if ready > 3 {
            // The REST port listens while the node replays its log.
            #expect((firstAnswer ?? ready) < 2, "first HTTP answer after \(firstAnswer ?? -1) s, ready after \(ready) s")
            #expect(liveBeforeReady, "liveness never answered 200 before the node was ready")
        }
        if let notReady {
            let error = try Envelope.expectError(notReady, 503, "not_ready")
            #expect(error["type"] as? String == "unavailable")
            #expect(notReady.headers["retry-after"] != nil, "a 503 says when to retry")
        }
        #expect(try Envelope.expect(try await client.get("/indices/replay/documents/r1-7999"), 200)["fields"] != nil)
    }

    /// SIGTERM while writers are busy: the server drains and exits 0, and every write it
    /// acknowledged is there after the restart.
    @Test func sigtermUnderConcurrentWrites() async throws {
        let server = try await ServerProcess.start()
        defer { server.stop() }
        try await server.client.createIndex("kill")
        let acknowledged = Acknowledged()
        let load = Load(sync: false, bulk: 10, killAfter: 300, seconds: 10)
        let status = Locked<Int32?>(nil)
        try await writeUntilKilled(server, load: load, cycle: 0, into: acknowledged) {
            status.withLock { $0 = server.terminate(timeout: 30) }
        }
        #expect(status.withLock { $0 } == 0, "exit status after SIGTERM under load; log:\n\(server.log.suffix(3000))")
        try server.launch()
        try await server.waitUntilReady()
        let lost = try await missingDocuments(server, acknowledged.all)
        #expect(lost.isEmpty, "\(lost.count) of \(acknowledged.count) acknowledged writes lost, e.g. \(lost.prefix(10))")
    }

    /// How the writers write: `bulk` documents every third request (all of them when `bulk` is
    /// large: then each document carries `padding` bytes, so that a bulk is over 1 MiB and becomes
    /// several log entries), with or without `sync=true`.
    struct Load: Sendable, CustomTestStringConvertible {
        var sync: Bool
        var bulk: Int
        var padding = 0
        /// Acknowledged documents after which the server is killed (or after `seconds`).
        var killAfter: Int
        var seconds: TimeInterval
        /// Crashes in a row.
        var crashes = 2
        var testDescription: String { "sync=\(sync), bulks of \(bulk)" }
    }

    /// The most important test: every acknowledged write survives a kill -9 in mid-stream, twice
    /// in a row (the second crash lands on a node that recovered from the first).
    @Test(arguments: [Load(sync: false, bulk: 10, killAfter: 400, seconds: 10),
                      Load(sync: true, bulk: 10, killAfter: 150, seconds: 20),
                      Load(sync: false, bulk: 1200, padding: 900, killAfter: 2400, seconds: 20, crashes: 1)])
    func sigkillDuringConcurrentWritesLosesNoAcknowledgedWrite(load: Load) async throws {
        let server = try await ServerProcess.start()
        defer { server.stop() }
        try await server.client.createIndex("kill")
        let acknowledged = Acknowledged()
        for cycle in 0..<load.crashes {
            try await writeUntilKilled(server, load: load, cycle: cycle, into: acknowledged)
            let written = acknowledged.all
            #expect(written.count > 20, "too few acknowledged writes to mean anything: \(written.count)")

            try server.launch()
            try await server.waitUntilReady(timeout: 120)
            let lost = try await missingDocuments(server, written)
            #expect(lost.isEmpty, "crash \(cycle + 1): \(lost.count) of \(written.count) acknowledged writes lost, e.g. \(lost.prefix(10))")
        }
        // And the index is whole: counted, searchable, and it takes writes again.
        let client = server.client
        let count = acknowledged.count
        let index = try await eventually { try Envelope.expect(try await client.get("/indices/kill"), 200)["index"] as? [String: Any] }
            until: { ($0?["doc_count"] as? Int ?? 0) >= count }
        #expect((index?["doc_count"] as? Int ?? 0) >= count, "doc_count counts what the last refresh published, every second")
        let results = try await client.search("kill", ["query": "title:bulk OR title:single", "track_total": "true", "page_len": "0"])
        #expect((results["total"] as? Int ?? 0) >= count)
        try Envelope.expect(try await client.put("/indices/kill/documents/after?sync=true", json: ["title": "after"]), 201)
    }

    /// Concurrent writers until the server is SIGKILLed in mid-stream; records what was acknowledged.
    func writeUntilKilled(_ server: ServerProcess, load: Load, cycle: Int, into acknowledged: Acknowledged,
                          stopServer: () -> Void = {}) async throws {
        let stop = Locked(false)
        let query = load.sync ? "?sync=true" : ""
        let expectedStatus = load.sync ? 201 : 202
        let start = acknowledged.count
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<(load.bulk > 100 ? 2 : 8) {
                group.addTask {
                    let client = HTTPClient(port: server.httpPort, timeout: 60)
                    var round = 0
                    while !stop.withLock({ $0 }) {
                        round += 1
                        let prefix = "c\(cycle)-w\(writer)-\(round)"
                        do {
                            if round % 3 == 0 || load.bulk > 100 {
                                let text = String(repeating: "padding ", count: load.padding / 8)
                                let documents = (0..<load.bulk).map { ["id": "\(prefix)-\($0)", "title": "bulk \(prefix) \($0)", "text": text] }
                                let response = try await client.put("/indices/kill/documents\(query)", json: documents)
                                if response.status == expectedStatus {
                                    acknowledged.record(documents.map { ($0["id"]!, $0["title"]!) })
                                } else if response.status < 500 {
                                    Issue.record("bulk put: \(response)")
                                }
                            } else {
                                let response = try await client.put("/indices/kill/documents/\(prefix)\(query)", json: ["title": "single \(prefix)"])
                                if response.status == expectedStatus {
                                    acknowledged.record([(prefix, "single \(prefix)")])
                                } else if response.status < 500 {
                                    Issue.record("put: \(response)")
                                }
                            }
                        } catch {
                            // The server is gone: what was not answered was not acknowledged.
                            if stop.withLock({ $0 }) { return }
                            try await Task.sleep(for: .milliseconds(50))
                        }
                    }
                }
            }
            // Kill in mid-stream, once enough writes are acknowledged (or after a while).
            let deadline = Date().addingTimeInterval(load.seconds)
            while acknowledged.count - start < load.killAfter && Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            if server.pid != nil { stopServer() }
            server.kill()
            stop.withLock { $0 = true }
            try await group.waitForAll()
        }
    }

    /// The acknowledged documents that a GET by id does not find as written.
    func missingDocuments(_ server: ServerProcess, _ written: [String: String]) async throws -> [String] {
        let client = HTTPClient(port: server.httpPort)
        let missing = Locked<[String]>([])
        let ids = Array(written.keys).sorted()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for part in 0..<4 {
                group.addTask {
                    for id in stride(from: part, to: ids.count, by: 4).map({ ids[$0] }) {
                        let response = try await client.get("/indices/kill/documents/\(id)")
                        let fields = (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["fields"] as? [String: Any]
                        if response.status != 200 || fields?["title"] as? String != written[id] {
                            missing.withLock { $0.append("\(id): \(response.status)") }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return missing.withLock { $0 }
    }
}

/// A value shared by concurrent tasks.
final class Locked<Value: Sendable>: Sendable {
    private let state: Mutex<Value>
    init(_ value: Value) { state = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { state.withLock { body(&$0) } }
}

/// The writes the server acknowledged: id -> title.
final class Acknowledged: Sendable {
    private let state = Mutex<[String: String]>([:])

    func record(_ documents: [(String, String)]) {
        state.withLock { for (id, title) in documents { $0[id] = title } }
    }

    var count: Int { state.withLock { $0.count } }
    var all: [String: String] { state.withLock { $0 } }
}
