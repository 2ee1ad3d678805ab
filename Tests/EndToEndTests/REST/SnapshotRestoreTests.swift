import Foundation
import Testing

/// `PUT /snapshot`, `GET /snapshot`, and a second node started from the zip with `--restore`.
@Suite struct SnapshotRestoreTests {
    static let queries = [RESTAPITests.allFive, "queen", "title:glacier", "search engine"]

    @Test func snapshotDownloadAndRestoreOnANewNode() async throws {
        let first = try await ServerProcess.start()
        defer { first.stop() }
        let client = first.client
        try await client.createExampleIndex("books")
        try Envelope.expect(try await client.put("/indices/original?sync=true", Fixtures.originalSchemaWithoutJanome, "application/json"), 201)
        try Envelope.expect(try await client.put("/indices/original/documents?sync=true", Fixtures.original("bulk_index.json"), "application/json"), 201)
        try Envelope.expect(try await client.delete("/indices/books/documents/2?sync=true"), 200)
        try Envelope.expect(try await client.patch("/indices/books/documents/3?sync=true", json: ["contributor": "ice-people"]), 201)

        let taken = try await client.put("/snapshot", Data(), nil)
        #expect([200, 201, 202].contains(taken.status), "PUT /snapshot: \(taken)")
        try Envelope.expect(taken, taken.status)

        // The download (polled: a snapshot may be written in the background).
        var download = try await client.get("/snapshot")
        for _ in 0..<100 where download.status != 200 {
            try await Task.sleep(for: .milliseconds(100))
            download = try await client.get("/snapshot")
        }
        try #require(download.status == 200, "GET /snapshot: \(download)")
        #expect(download.contentType.hasPrefix("application/zip"), "\(download.contentType)")
        #expect(download.body.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]), "a zip starts with PK\\3\\4")
        let zip = first.directory.appendingPathComponent("backup.zip")
        try download.body.write(to: zip)
        let check = try await Executables.shell("python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); bad = z.testzip(); sys.exit(bad and \"corrupt member \" + bad)' '\(zip.path)'")
        #expect(check.status == 0, "the zip is sound: \(check.stderr)")
        // The file the node wrote at --snapshot-file is the same backup.
        #expect(FileManager.default.fileExists(atPath: first.snapshotFile.path))

        // A new node on an empty directory, from the zip.
        let second = try ServerProcess()
        defer { second.stop() }
        try second.launch(additional: ["--restore=\(zip.path)"])
        try await second.waitUntilReady()
        let restored = second.client

        let names = { (client: HTTPClient) async throws -> [String] in
            let list = try Envelope.expect(try await client.get("/indices"), 200)
            return (list["indices"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }.sorted()
        }
        #expect(try await names(restored) == names(client))
        for id in Fixtures.exampleIDs {
            let before = try await client.get("/indices/books/documents/\(id)")
            let after = try await restored.get("/indices/books/documents/\(id)")
            #expect(after.status == before.status, "document \(id): \(after)")
            if before.status == 200 {
                let beforeFields = try before.json()["fields"] as? [String: Any] ?? [:]
                let afterFields = try after.json()["fields"] as? [String: Any] ?? [:]
                #expect(NSDictionary(dictionary: afterFields).isEqual(to: beforeFields), "document \(id): \(afterFields)")
            }
        }
        let patched = try await restored.get("/indices/books/documents/3").json()["fields"] as? [String: Any]
        #expect(patched?["contributor"] as? String == "ice-people")
        for index in ["books", "original"] {
            for query in Self.queries {
                let expected = try await client.search(index, ["query": query, "page_len": "20"])
                let actual = try await eventually { try await restored.search(index, ["query": query, "page_len": "20"]) }
                    until: { $0["total"] as? Int == expected["total"] as? Int }
                #expect(Results.ids(actual) == Results.ids(expected), "\(index) \(query)")
                #expect(actual["total"] as? Int == expected["total"] as? Int, "\(index) \(query)")
            }
        }
        // The restored node is a cluster of its own that takes writes.
        try Envelope.expect(try await restored.put("/indices/books/documents/9?sync=true", json: ["title": "After restore"]), 201)
        let cluster = try Envelope.expect(try await restored.get("/cluster"), 200)["cluster"] as? [String: Any]
        #expect(cluster?["state"] as? Int == 2)
        #expect(cluster?["self"] as? String == "127.0.0.1:\(second.peerPort)")
    }
}

/// Repeats `body` until `done` holds for its value (searches see what the last refresh published,
/// every second by default), for at most `timeout` seconds; returns the last value.
func eventually<T>(timeout: TimeInterval = 10, _ body: () async throws -> T, until done: (T) -> Bool) async throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    var value = try await body()
    while !done(value) && Date() < deadline {
        try await Task.sleep(for: .milliseconds(100))
        value = try await body()
    }
    return value
}
