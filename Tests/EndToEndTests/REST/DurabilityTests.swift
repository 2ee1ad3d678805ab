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

    /// The most important test: every acknowledged write survives a kill -9 in mid-stream.
    @Test(arguments: [false, true])
    func sigkillDuringConcurrentWritesLosesNoAcknowledgedWrite(sync: Bool) async throws {
        let server = try await ServerProcess.start()
        defer { server.stop() }
        try await server.client.createIndex("kill")
        let acknowledged = Acknowledged()
        let stop = Locked(false)
        let writers = 8
        let query = sync ? "?sync=true" : ""
        let expectedStatus = sync ? 201 : 202

        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let client = HTTPClient(port: server.httpPort, timeout: 30)
                    var round = 0
                    while !stop.withLock({ $0 }) {
                        round += 1
                        do {
                            if round % 3 == 0 {
                                let documents = (0..<10).map { ["id": "w\(writer)-\(round)-\($0)", "title": "bulk \(writer) \(round) \($0)"] }
                                let response = try await client.put("/indices/kill/documents\(query)", json: documents)
                                if response.status == expectedStatus {
                                    acknowledged.record(documents.map { ($0["id"]!, $0["title"]!) })
                                } else if response.status < 500 {
                                    Issue.record("bulk put: \(response)")
                                }
                            } else {
                                let id = "w\(writer)-\(round)"
                                let response = try await client.put("/indices/kill/documents/\(id)\(query)", json: ["title": "single \(writer) \(round)"])
                                if response.status == expectedStatus {
                                    acknowledged.record([(id, "single \(writer) \(round)")])
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
            let deadline = Date().addingTimeInterval(sync ? 20 : 10)
            while acknowledged.count < (sync ? 150 : 400) && Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            server.kill()
            stop.withLock { $0 = true }
            try await group.waitForAll()
        }

        let written = acknowledged.all
        #expect(written.count > 20, "too few acknowledged writes to mean anything: \(written.count)")

        try server.launch()
        try await server.waitUntilReady(timeout: 120)
        let client = HTTPClient(port: server.httpPort)
        let missing = Locked<[String]>([])
        let ids = Array(written.keys).sorted()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for part in 0..<4 {
                group.addTask {
                    for id in ids[part...].enumerated().filter({ $0.offset % 4 == 0 }).map(\.element) {
                        let response = try await client.get("/indices/kill/documents/\(id)")
                        let title = (try? response.json())?["fields"] as? [String: Any]
                        if response.status != 200 || title?["title"] as? String != written[id] {
                            missing.withLock { $0.append("\(id): \(response.status)") }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let lost = missing.withLock { $0 }
        #expect(lost.isEmpty, "\(lost.count) of \(written.count) acknowledged writes lost, e.g. \(lost.prefix(10))")
        // And the index is whole: searchable, and it takes writes again.
        // (doc_count counts what the last refresh published: every second.)
        let index = try await eventually { try Envelope.expect(try await client.get("/indices/kill"), 200)["index"] as? [String: Any] }
            until: { ($0?["doc_count"] as? Int ?? 0) >= written.count }
        #expect((index?["doc_count"] as? Int ?? 0) >= written.count)
        try Envelope.expect(try await client.put("/indices/kill/documents/after?sync=true", json: ["title": "after"]), 201)
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
