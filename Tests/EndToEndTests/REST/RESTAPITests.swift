import Foundation
import Testing

/// The whole REST API of API.md, happy paths, against one real `cockatrice server` shared by the
/// suite (every test uses index names of its own).
@Suite(.liveServer())
struct RESTAPITests {
    var client: HTTPClient { get throws { try LiveServer.server.client } }

    /// Matches all five example documents (one word of each text).
    static let allFive = "lighthouse OR sourdough OR glacier OR chess OR honey"

    @Test func rootSaysItRuns() async throws {
        let response = try await client.get("/")
        #expect(response.status == 200)
        let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text.hasPrefix("cockatrice ") && text.hasSuffix(" is running."), "\(text)")
        #expect(response.contentType.hasPrefix("text/plain"), "\(response.contentType)")
    }

    /// HTTP itself: HEAD where GET is served, HTTP/1.0 (the connection closes after the answer),
    /// chunked request bodies.
    @Test func httpDetails() async throws {
        let server = try LiveServer.server
        let head = try RawHTTP.send(port: server.httpPort, RawHTTP.request("HEAD", "/health/liveness", body: Data(), headers: [:]))
        do {
            #expect(head.status == 200 && head.body.isEmpty, "\(head)")
        }
        let started = Date()
        let old = try RawHTTP.send(port: server.httpPort, Data("GET /health/liveness HTTP/1.0\r\n\r\n".utf8), timeout: 3)
        #expect(old.status == 200)
        #expect(Date().timeIntervalSince(started) < 2.5, "the server did not close the HTTP/1.0 connection")
        // HTTP/1.0 with keep-alive keeps its connection (the read waits for its timeout).
        let keptStarted = Date()
        let kept = try RawHTTP.send(port: server.httpPort, Data("GET /health/liveness HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8), timeout: 1)
        #expect(kept.status == 200)
        #expect(Date().timeIntervalSince(keptStarted) >= 0.9, "an HTTP/1.0 keep-alive connection was closed")
        let name = Fixtures.indexName("chunked")
        try await server.client.createIndex(name)
        let body = Data(#"{"title": "chunked"}"#.utf8)
        let wire = Data("PUT /indices/\(name)/documents/1?sync=true HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\(String(body.count, radix: 16))\r\n".utf8)
            + body + Data("\r\n0\r\n\r\n".utf8)
        try Envelope.expect(try RawHTTP.send(port: server.httpPort, wire), 201)
        #expect(try await server.client.searchIDs(name, ["query": "title:chunked"]) == ["1"])
    }

    @Test func healthLivenessAndReadiness() async throws {
        let liveness = try Envelope.expect(try await client.get("/health/liveness"), 200)
        #expect(liveness["liveness"] as? Bool == true)
        let readiness = try Envelope.expect(try await client.get("/health/readiness"), 200)
        #expect(readiness["readiness"] as? Bool == true)
    }

    // MARK: Indices

    @Test func createIndexFromYAMLWithoutSyncIsAcceptedWithALogIndex() async throws {
        let client = try client
        let name = Fixtures.indexName("yaml")
        let created = try Envelope.expect(try await client.put("/indices/\(name)", Fixtures.schemaYAML, "application/yaml"), 202)
        let logIndex = try #require(created["log_index"] as? Int, "no log_index: \(created)")
        try await waitForApplied(logIndex)
        let index = try #require(try Envelope.expect(try await client.get("/indices/\(name)"), 200)["index"] as? [String: Any])
        #expect(index["name"] as? String == name)
        #expect(index["doc_count"] as? Int == 0)
        #expect(index["doc_count_all"] as? Int == 0)
        for key in ["last_modified", "latest_generation", "storage", "segments"] {
            #expect(index[key] != nil, "GET /indices/\(name) lacks \(key): \(index)")
        }
        let storage = index["storage"] as? [String: Any]
        #expect(storage?["folder"] is String && storage?["files"] is [Any], "storage: \(String(describing: storage))")
    }

    /// Every YAML content type of API.md, JSON, and the original's schema.json (Janome aside).
    @Test(arguments: ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"])
    func createIndexWithEachYAMLContentType(contentType: String) async throws {
        let name = Fixtures.indexName("ct")
        try await client.createIndex(name, contentType: contentType)
    }

    @Test func createIndexFromJSONAndListIndices() async throws {
        let client = try client
        let fromJSON = Fixtures.indexName("json")
        let created = try Envelope.expect(try await client.put("/indices/\(fromJSON)?sync=true", Fixtures.originalSchemaWithoutJanome, "application/json"), 201)
        #expect(created["log_index"] is Int)
        let fromYAML = Fixtures.indexName("yaml")
        try await client.createIndex(fromYAML)
        let list = try Envelope.expect(try await client.get("/indices"), 200)
        let names = (list["indices"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names.contains(fromJSON) && names.contains(fromYAML), "GET /indices: \(list)")

        // The original's documents go into the original's schema unchanged.
        let put = try await client.put("/indices/\(fromJSON)/documents?sync=true", Fixtures.original("bulk_index.json"), "application/json")
        #expect(put.status == 201, "\(put)")
        let ids = try await client.searchIDs(fromJSON, ["query": "search", "page_len": "20"])
        #expect(!ids.isEmpty)
    }

    @Test func deleteIndex() async throws {
        let client = try client
        let name = Fixtures.indexName("del")
        try await client.createExampleIndex(name)
        try Envelope.expect(try await client.delete("/indices/\(name)?sync=true"), 200)
        try Envelope.expectError(try await client.get("/indices/\(name)"), 404, "index_not_found")
        // Recreated under the same name, it starts empty (its files are not mixed with the old ones).
        try await client.createIndex(name)
        let index = try Envelope.expect(try await client.get("/indices/\(name)"), 200)["index"] as? [String: Any]
        #expect(index?["doc_count"] as? Int == 0)
        let results = try await client.search(name, ["query": Self.allFive])
        #expect(results["total"] as? Int == 0)

        let other = Fixtures.indexName("del")
        try await client.createIndex(other)
        let accepted = try Envelope.expect(try await client.delete("/indices/\(other)"), 202)
        #expect(accepted["log_index"] is Int)
    }

    // MARK: Documents

    @Test func putGetPatchDeleteOneDocument() async throws {
        let client = try client
        let name = Fixtures.indexName("docs")
        try await client.createIndex(name)

        // Without sync: 202 and a log index; the document is readable by id once applied.
        let accepted = try Envelope.expect(try await client.put("/indices/\(name)/documents/1", Fixtures.file("example/doc1.json")), 202)
        let logIndex = try #require(accepted["log_index"] as? Int)
        try await waitForApplied(logIndex)
        let got = try Envelope.expect(try await client.get("/indices/\(name)/documents/1"), 200)
        let fields = try #require(got["fields"] as? [String: Any])
        let sent = try #require(try JSONSerialization.jsonObject(with: Fixtures.file("example/doc1.json")) as? [String: Any])
        for (key, value) in sent {
            #expect(fields[key] as? String == value as? String, "field \(key): \(String(describing: fields[key]))")
        }
        #expect(fields["id"] as? String == "1")
        #expect(fields["timestamp"] as? String == "20180704054100", "stored fields come back as sent")

        // With sync=true: 201, and a search right after sees it.
        try Envelope.expect(try await client.put("/indices/\(name)/documents/2?sync=true", Fixtures.file("example/doc2.json")), 201)
        #expect(try await client.searchIDs(name, ["query": "sourdough"]) == ["2"])

        // A YAML body.
        try Envelope.expect(try await client.put("/indices/\(name)/documents/3?sync=true", Fixtures.file("example/doc3.yaml"), "application/yaml"), 201)
        #expect(try await client.searchIDs(name, ["query": "glacier"]) == ["3"])

        // PATCH merges fields into the stored document.
        try Envelope.expect(try await client.patch("/indices/\(name)/documents/2?sync=true", json: ["contributor": "millers"]), 201)
        let patched = try Envelope.expect(try await client.get("/indices/\(name)/documents/2"), 200)["fields"] as? [String: Any]
        #expect(patched?["contributor"] as? String == "millers")
        #expect(patched?["title"] as? String == "Sourdough bread")
        #expect(try await client.searchIDs(name, ["query": "contributor:millers"]) == ["2"])

        // Put of an existing id replaces it.
        try Envelope.expect(try await client.put("/indices/\(name)/documents/3?sync=true", json: ["title": "Iceberg", "text": "floating ice"]), 201)
        let replaced = try Envelope.expect(try await client.get("/indices/\(name)/documents/3"), 200)["fields"] as? [String: Any]
        #expect(replaced?["title"] as? String == "Iceberg")
        #expect(replaced?["contributor"] == nil)
        #expect(try await client.searchIDs(name, ["query": "glacier"]).isEmpty)

        // Delete: 200 with sync, then 404 and gone from searches; 202 without.
        try Envelope.expect(try await client.delete("/indices/\(name)/documents/2?sync=true"), 200)
        try Envelope.expectError(try await client.get("/indices/\(name)/documents/2"), 404, "document_not_found")
        #expect(try await client.searchIDs(name, ["query": "sourdough"]).isEmpty)
        let deleted = try Envelope.expect(try await client.delete("/indices/\(name)/documents/1"), 202)
        #expect(deleted["log_index"] is Int)
    }

    /// Without sync, a write is searchable after the next refresh (every second by default).
    @Test func unsyncedWritesBecomeSearchableWithinARefresh() async throws {
        let client = try client
        let name = Fixtures.indexName("refresh")
        try await client.createIndex(name)
        let started = Date()
        try Envelope.expect(try await client.put("/indices/\(name)/documents/1", Fixtures.file("example/doc1.json")), 202)
        let results = try await eventually(timeout: 15) { try await client.search(name, ["query": "lighthouse"]) } until: { $0["total"] as? Int == 1 }
        #expect(Results.ids(results) == ["1"])
        // Within a refresh (1 s) plus a loaded machine's delays (the server runs niced beside the
        // other suites), far below the 30 s commit that would also make it visible.
        #expect(Date().timeIntervalSince(started) < 10, "visible after \(Date().timeIntervalSince(started)) s")
    }

    /// `sync` accepts `true`, `True`, `1` and `yes`.
    @Test(arguments: ["true", "True", "1", "yes"])
    func syncSpellings(value: String) async throws {
        let client = try client
        let name = Fixtures.indexName("sync")
        let created = try await client.put("/indices/\(name)?sync=\(value)", Fixtures.schemaYAML, "application/yaml")
        try Envelope.expect(created, 201)
        try Envelope.expect(try await client.put("/indices/\(name)/documents/1?sync=\(value)", Fixtures.file("example/doc1.json")), 201)
        #expect(try await client.searchIDs(name, ["query": "lighthouse"]) == ["1"])
    }

    /// A large NDJSON bulk is read as it streams in (lines split across the transport's chunks
    /// are joined): every document lands, in order, across several ~1 MiB log entries, and one
    /// bad line among thousands is named by its line and position with nothing written.
    @Test func aLargeNDJSONBulkStreamsIn() async throws {
        let client = try client
        let name = Fixtures.indexName("stream")
        try await client.createIndex(name)
        let padding = String(repeating: "lighthouse keeper ", count: 20)
        var lines = (0..<6000).map { "{\"id\": \"s\($0)\", \"title\": \"Stream \($0)\", \"text\": \"\(padding)\($0)\"}" }
        let body = Data((lines.joined(separator: "\n") + "\n").utf8)
        #expect(body.count > 2 << 20, "large enough to span entries and chunks: \(body.count)")
        let response = try Envelope.expect(try await client.put("/indices/\(name)/documents?sync=true", body, "application/x-ndjson"), 201)
        let items = try #require(response["items"] as? [[String: Any]])
        #expect(items.count == 6000 && items.first?["id"] as? String == "s0" && items.last?["id"] as? String == "s5999")
        #expect(try await client.search(name, ["query": "title:stream", "page_len": "0"])["total"] as? Int == 6000)

        lines[4321] = "{\"id\": \"bad\", \"nope\": 1}"
        let refused = try Envelope.expectError(try await client.put("/indices/\(name)/documents", Data(lines.joined(separator: "\n").utf8), "application/x-ndjson"), 400, "invalid_document")
        let documents = try #require(refused["documents"] as? [[String: Any]])
        #expect(documents.count == 1 && documents.first?["position"] as? Int == 4321 && documents.first?["id"] as? String == "bad", "\(documents)")
        #expect((documents.first?["reason"] as? String ?? "").hasPrefix("line 4322:"))
    }

    /// A large JSON array bulk streams in too (elements split across chunks are joined): every
    /// document lands, a bad element is named by its position, and a malformed array is a 400
    /// naming the byte, with nothing written.
    @Test func aLargeJSONArrayBulkStreamsIn() async throws {
        let client = try client
        let name = Fixtures.indexName("jstream")
        try await client.createIndex(name)
        let padding = String(repeating: "lighthouse, keeper ] ", count: 20)
        var elements = (0..<6000).map { "{\"id\": \"j\($0)\", \"title\": \"Stream \($0)\", \"text\": \"\(padding)\($0)\"}" }
        let body = Data(("[\n" + elements.joined(separator: ",\n") + "\n]\n").utf8)
        #expect(body.count > 2 << 20, "large enough to span entries and chunks: \(body.count)")
        let response = try Envelope.expect(try await client.put("/indices/\(name)/documents?sync=true", body, "application/json"), 201)
        let items = try #require(response["items"] as? [[String: Any]])
        #expect(items.count == 6000 && items.first?["id"] as? String == "j0" && items.last?["id"] as? String == "j5999")
        #expect(try await client.search(name, ["query": "title:stream", "page_len": "0"])["total"] as? Int == 6000)

        elements[4321] = "{\"id\": \"bad\", \"nope\": 1}"
        let refused = try Envelope.expectError(try await client.put("/indices/\(name)/documents", Data(("[" + elements.joined(separator: ",") + "]").utf8), "application/json"), 400, "invalid_document")
        let documents = try #require(refused["documents"] as? [[String: Any]])
        #expect(documents.count == 1 && documents.first?["position"] as? Int == 4321 && documents.first?["id"] as? String == "bad", "\(documents)")

        let unclosed = try Envelope.expectError(try await client.put("/indices/\(name)/documents", Data(("[" + elements[0] + ",]").utf8), "application/json"), 400, "invalid_body")
        #expect((unclosed["reason"] as? String ?? "\(unclosed)").contains("at byte"), "\(unclosed)")
        #expect(try await client.search(name, ["query": "title:stream", "page_len": "0"])["total"] as? Int == 6000, "nothing more was written")
    }

    @Test(arguments: [("example/bulk_put.json", "application/json"), ("example/bulk_put.yaml", "application/yaml"),
                      ("example/bulk_put.ndjson", "application/x-ndjson")])
    func bulkPut(file: String, contentType: String) async throws {
        let client = try client
        let name = Fixtures.indexName("bulk")
        try await client.createIndex(name)
        let response = try Envelope.expect(try await client.put("/indices/\(name)/documents?sync=true", Fixtures.file(file), contentType), 201)
        let items = try #require(response["items"] as? [[String: Any]], "no items: \(response)")
        #expect(items.compactMap { $0["id"] as? String } == Fixtures.exampleIDs, "items: \(items)")
        #expect(items.allSatisfy { $0["result"] is String }, "items: \(items)")
        let results = try await client.search(name, ["query": Self.allFive])
        #expect(results["total"] as? Int == 5)
        let index = try Envelope.expect(try await client.get("/indices/\(name)"), 200)["index"] as? [String: Any]
        #expect(index?["doc_count"] as? Int == 5)

        // Without sync: 202, a log index, the items.
        let again = try Envelope.expect(try await client.put("/indices/\(name)/documents", Fixtures.file(file), contentType), 202)
        #expect(again["log_index"] is Int)
        #expect((again["items"] as? [[String: Any]])?.count == 5)
    }

    @Test func bulkDeleteByIDsAndByQuery() async throws {
        let client = try client
        let name = Fixtures.indexName("bulkdel")
        try await client.createExampleIndex(name)
        let byIDs = try Envelope.expect(try await client.send("DELETE", "/indices/\(name)/documents?sync=true",
                                                            body: JSON.data(["1", "2", "nope"]), contentType: "application/json"), 200)
        let items = byIDs["items"] as? [[String: Any]]
        #expect(items?.compactMap { $0["id"] as? String } == ["1", "2", "nope"], "\(byIDs)")
        #expect(items?.compactMap { $0["result"] as? String } == ["deleted", "deleted", "not_found"], "\(byIDs)")
        #expect(try await client.searchIDs(name, ["query": Self.allFive]).sorted() == ["3", "4", "5"])

        try Envelope.expect(try await client.delete("/indices/\(name)/documents?sync=true&query=" + HTTPClient.encode("title:glacier")), 200)
        #expect(try await client.searchIDs(name, ["query": Self.allFive]).sorted() == ["4", "5"])
        try Envelope.expectError(try await client.get("/indices/\(name)/documents/3"), 404, "document_not_found")

        // The example's YAML id list, without sync.
        let other = Fixtures.indexName("bulkdel")
        try await client.createExampleIndex(other)
        let accepted = try Envelope.expect(try await client.send("DELETE", "/indices/\(other)/documents",
                                                               body: Fixtures.file("example/bulk_delete.yaml"), contentType: "application/yaml"), 202)
        try await waitForApplied(try #require(accepted["log_index"] as? Int))
        for id in Fixtures.exampleIDs {
            try Envelope.expectError(try await client.get("/indices/\(other)/documents/\(id)"), 404, "document_not_found")
        }
    }

    /// Stored fields come back exactly as sent: numbers stay numbers (digits as written, a 64-bit
    /// integer past 2^53 too), strings stay strings, booleans stay booleans.
    @Test func storedValuesComeBackAsSent() async throws {
        let client = try client
        let name = Fixtures.indexName("values")
        let config = Data("""
        schema:
          id: {field_type: id, args: {unique: true, stored: true}}
          count: {field_type: int, args: {stored: true}}
          price: {field_type: float, args: {stored: true}}
          ok: {field_type: boolean, args: {stored: true}}
          tags: {field_type: keyword, args: {stored: true, commas: true}}
          when: {field_type: datetime, args: {stored: true}}
        field_types:
          id: {class: whoosh.fields.ID}
          int: {class: whoosh.fields.NUMERIC, args: {numtype: int, bits: 64, signed: true}}
          float: {class: whoosh.fields.NUMERIC, args: {numtype: float}}
          boolean: {class: whoosh.fields.BOOLEAN}
          keyword: {class: whoosh.fields.KEYWORD}
          datetime: {class: whoosh.fields.DATETIME}
        """.utf8)
        try await client.createIndex(name, config: config)
        let body = #"{"count": 9007199254740993, "price": 3.10, "ok": true, "tags": "a,b", "when": "2018-07-04T05:41:00Z"}"#
        try Envelope.expect(try await client.put("/indices/\(name)/documents/1?sync=true", Data(body.utf8)), 201)
        let text = try await client.get("/indices/\(name)/documents/1").text
        for member in [#""count":9007199254740993"#, #""price":3.10"#, #""ok":true"#, #""tags":"a,b""#, #""when":"2018-07-04T05:41:00Z""#] {
            #expect(text.contains(member), "\(member) in \(text)")
        }
        let negative = #"{"count": -42, "price": -0.5, "ok": false}"#
        try Envelope.expect(try await client.put("/indices/\(name)/documents/2?sync=true", Data(negative.utf8)), 201)
        let second = try await client.get("/indices/\(name)/documents/2").text
        #expect(second.contains(#""count":-42"#) && second.contains(#""price":-0.5"#) && second.contains(#""ok":false"#), "\(second)")
        // Ranges and sorts on them.
        #expect(try await client.searchIDs(name, ["query": "count:[0 TO]"]) == ["1"])
        #expect(try await client.searchIDs(name, ["query": "count:[-100 TO 0]"]) == ["2"])
        #expect(try await client.searchIDs(name, ["query": "when:2018"]) == ["1"])
        #expect(try await client.searchIDs(name, ["sort": "-price"]) == ["1", "2"])
        #expect(try await client.searchIDs(name, ["sort": "price"]) == ["2", "1"])
        // A value that does not fit its field is a 400 naming it.
        let error = try Envelope.expectError(try await client.put("/indices/\(name)/documents/3", json: ["count": 1.5]), 400, "invalid_document")
        #expect((error["reason"] as? String)?.contains("count") == true, "\(error)")
    }

    /// Ids are any text: percent-encoded in the path, exactly as they are in the body.
    @Test(arguments: ["café au lait", "a/b", "1+1", "?&=#", "日本語", "x%y"])
    func documentIDsOfAnyText(id: String) async throws {
        let client = try client
        let name = Fixtures.indexName("ids")
        try await client.createIndex(name)
        let path = "/indices/\(name)/documents/\(HTTPClient.encode(id))"
        let put = try Envelope.expect(try await client.put(path + "?sync=true", json: ["title": "odd id"]), 201)
        #expect(put["id"] as? String == id, "\(put)")
        let fields = try Envelope.expect(try await client.get(path), 200)["fields"] as? [String: Any]
        #expect(fields?["id"] as? String == id)
        let results = try await client.search(name, ["query": "title:odd"])
        #expect(Results.ids(results) == [id])
        try Envelope.expect(try await client.delete(path + "?sync=true"), 200)
        try Envelope.expectError(try await client.get(path), 404, "document_not_found")
    }

    /// `+` in a query string is a space (what HTML forms and Python's requests send); `%2B` is a plus.
    @Test func plusInTheQueryStringIsASpace() async throws {
        let client = try client
        let name = Fixtures.indexName("plus")
        try await client.createExampleIndex(name)
        let spaced = try Envelope.expect(try await client.get("/indices/\(name)/search?query=sour+taste"), 200)["results"] as? [String: Any]
        #expect(Results.ids(spaced ?? [:]) == ["2"])
        let required = try await client.search(name, ["query": "+queen -chess"])
        #expect(Results.ids(required) == ["5"])
    }

    /// Many clients creating the same index at once: exactly one wins, the others get 409.
    @Test(arguments: [false, true])
    func concurrentCreatesOfOneIndex(sync: Bool) async throws {
        let client = try client
        let name = Fixtures.indexName("race")
        let body = try Fixtures.schemaYAML
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<12 {
                group.addTask { try await client.put("/indices/\(name)\(sync ? "?sync=true" : "")", body, "application/yaml").status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == (sync ? 201 : 202) }.count == 1, "\(statuses)")
        #expect(statuses.filter { $0 == 409 }.count == 11, "\(statuses)")
        let list = try Envelope.expect(try await client.get("/indices"), 200)
        #expect((list["indices"] as? [[String: Any]] ?? []).filter { $0["name"] as? String == name }.count == 1)
    }

    // MARK: Search

    @Test func searchPagingCounts() async throws {
        let client = try client
        let name = Fixtures.indexName("paging")
        try await client.createIndex(name)
        let documents = (1...25).map { ["id": "p\($0)", "title": "Page \($0)", "text": "common " + String(repeating: "filler ", count: $0)] }
        try Envelope.expect(try await client.put("/indices/\(name)/documents?sync=true", JSON.data(documents), "application/json"), 201)

        var seen: [String] = []
        for page in 1...3 {
            let results = try await client.search(name, ["query": "common", "page_num": "\(page)", "page_len": "10"])
            let hits = Results.hits(results)
            #expect(results["total"] as? Int == 25)
            #expect(results["total_relation"] as? String == "eq")
            #expect(results["page_count"] as? Int == 3)
            #expect(results["page_num"] as? Int == page)
            #expect(results["page_len"] as? Int == hits.count, "page_len is the number of hits on the page")
            #expect(hits.count == (page < 3 ? 10 : 5))
            #expect(results["is_last_page"] as? Bool == (page == 3))
            let expectedRanks = Array(((page - 1) * 10)..<((page - 1) * 10 + hits.count))
            #expect(hits.compactMap { $0["rank"] as? Int } == expectedRanks)
            #expect(hits.compactMap { $0["pos"] as? Int } == expectedRanks)
            let scores = hits.compactMap { ($0["score"] as? NSNumber)?.doubleValue }
            #expect(scores.count == hits.count && scores == scores.sorted(by: >), "scores descend: \(scores)")
            seen += Results.ids(results)
        }
        #expect(Set(seen).count == 25)

        // A page past the end: empty hits, right counts.
        let past = try await client.search(name, ["query": "common", "page_num": "4", "page_len": "10"])
        #expect(Results.hits(past).isEmpty)
        #expect(past["total"] as? Int == 25)
        #expect(past["page_count"] as? Int == 3)
        #expect(past["page_len"] as? Int == 0)
        #expect(past["is_last_page"] as? Bool == true)

        // Deep paging with search_after gives the same order as the pages.
        var cursor: String?
        var cursorOrder: [String] = []
        for _ in 0..<13 {
            var parameters: KeyValuePairs<String, String> = ["query": "common", "page_len": "2"]
            if let cursor { parameters = ["query": "common", "page_len": "2", "search_after": cursor] }
            let results = try await client.search(name, parameters)
            let hits = Results.hits(results)
            if hits.isEmpty { break }
            cursorOrder += Results.ids(results)
            cursor = try #require(hits.last?["cursor"] as? String, "a hit carries its cursor: \(hits.last ?? [:])")
        }
        #expect(cursorOrder == seen, "search_after order")
    }

    @Test func searchParameters() async throws {
        let client = try client
        let name = Fixtures.indexName("params")
        try await client.createExampleIndex(name)

        // Default field, search_field, comma lists, field prefixes, the query syntax.
        #expect(try await client.searchIDs(name, ["query": "glacier"]) == ["3"])
        #expect(try await client.searchIDs(name, ["query": "bread", "search_field": "title"]) == ["2"])
        #expect(try await client.searchIDs(name, ["query": "bee", "search_field": "title,text"]) == ["5"])
        #expect(try await client.searchIDs(name, ["query": "queen"]).sorted() == ["4", "5"])
        #expect(try await client.searchIDs(name, ["query": "queen -chess"]) == ["5"])
        #expect(try await client.searchIDs(name, ["query": "\"sour taste\""]) == ["2"])
        #expect(try await client.searchIDs(name, ["query": "timestamp:[2020 TO 2021]"]).sorted() == ["3", "4"])

        // filter restricts without scoring.
        #expect(try await client.searchIDs(name, ["query": "queen", "filter": "contributor:bakers"]) == ["5"])
        #expect(try await client.searchIDs(name, ["query": Self.allFive, "filter": "contributor:geo-club"]).sorted() == ["3", "5"])

        // sort by a field, both ways.
        #expect(try await client.searchIDs(name, ["query": Self.allFive, "sort": "timestamp"]) == ["1", "2", "3", "4", "5"])
        #expect(try await client.searchIDs(name, ["query": Self.allFive, "sort": "-timestamp"]) == ["5", "4", "3", "2", "1"])
        // Sorted paging with search_after resumes after the cursor's hit in the sort's order.
        var sortedOrder: [String] = []
        var sortedCursor: String?
        for _ in 0..<5 {
            var parameters: KeyValuePairs<String, String> = ["query": Self.allFive, "sort": "-timestamp", "page_len": "2"]
            if let sortedCursor { parameters = ["query": Self.allFive, "sort": "-timestamp", "page_len": "2", "search_after": sortedCursor] }
            let results = try await client.search(name, parameters)
            guard let last = Results.hits(results).last else { break }
            sortedOrder += Results.ids(results)
            sortedCursor = try #require(last["cursor"] as? String)
        }
        #expect(sortedOrder == ["5", "4", "3", "2", "1"])

        // fields picks the stored fields returned.
        let picked = try await client.search(name, ["query": "glacier", "fields": "title"])
        let pickedFields = Results.fields(try #require(Results.hits(picked).first))
        #expect(pickedFields["title"] as? String == "Glacier")
        #expect(pickedFields["text"] == nil && pickedFields["contributor"] == nil, "fields=title: \(pickedFields)")

        // highlight marks the matches: the fragments of that field, the matches in <b></b>.
        let highlighted = try await client.search(name, ["query": "glacier", "highlight": "text"])
        let fragments = try #require(Results.hits(highlighted).first?["highlights"] as? [String], "no highlights: \(highlighted)")
        #expect(!fragments.isEmpty && fragments.allSatisfy { $0.contains("<b>") }, "\(fragments)")
        #expect(fragments.joined().lowercased().contains("<b>glacier</b>"), "\(fragments)")
        let tagged = try await client.search(name, ["query": "title:glacier", "highlight": "title", "highlight_pre_tag": "[", "highlight_post_tag": "]"])
        #expect(Results.hits(tagged).first?["highlights"] as? [String] == ["[Glacier]"], "\(tagged)")

        // facets count the top values of a keyword field over the whole result.
        let faceted = try await client.search(name, ["query": Self.allFive, "facets": "contributor"])
        let facets = try #require(faceted["facets"] as? [String: Any], "no results.facets: \(faceted)")
        let contributor = "\(facets["contributor"] ?? "")"
        #expect(contributor.contains("bakers") && contributor.contains("geo-club"), "facets: \(facets)")

        // explain says how each score was computed.
        let explained = try await client.search(name, ["query": "glacier", "explain": "true"])
        #expect(Results.hits(explained).first?["explanation"] != nil, "no explanation: \(explained)")

        // track_total: a lower bound beyond it, exact with true.
        // (A count that came for free may stay exact: then it says eq.)
        let bounded = try await client.search(name, ["query": Self.allFive, "track_total": "2", "page_len": "1"])
        let relation = bounded["total_relation"] as? String
        let total = bounded["total"] as? Int ?? 0
        #expect((relation == "gte" && total >= 2) || (relation == "eq" && total == 5), "\(bounded)")
        #expect(bounded["page_count"] as? Int == total, "page_count follows total")
        let exact = try await client.search(name, ["query": Self.allFive, "track_total": "true"])
        #expect(exact["total_relation"] as? String == "eq")
        #expect(exact["total"] as? Int == 5)

        // consistency=strong reads the same.
        #expect(try await client.searchIDs(name, ["query": "glacier", "consistency": "strong"]) == ["3"])
        try Envelope.expect(try await client.get("/indices/\(name)/documents/3?consistency=strong"), 200)
    }

    /// POST search with a weighting body (the original's weighting files) finds the same documents.
    @Test(arguments: [("weighting.yaml", "application/yaml"), ("weighting.json", "application/json")])
    func searchWithWeightingOverride(file: String, contentType: String) async throws {
        let client = try client
        let name = Fixtures.indexName("weight")
        try await client.createExampleIndex(name)
        let query = HTTPClient.query(["query": Self.allFive])
        let plain = try await client.search(name, ["query": Self.allFive])
        let response = try await client.post("/indices/\(name)/search" + query, Fixtures.original(file), contentType)
        let weighted = try #require(try Envelope.expect(response, 200)["results"] as? [String: Any])
        #expect(Results.ids(weighted).sorted() == Results.ids(plain).sorted())
        let plainScores = Results.hits(plain).compactMap { ($0["score"] as? NSNumber)?.doubleValue }
        let weightedScores = Results.hits(weighted).compactMap { ($0["score"] as? NSNumber)?.doubleValue }
        #expect(plainScores.sorted() != weightedScores.sorted(), "the override changes the scores")
        // A POST without a body searches with the index's weighting.
        let bare = try #require(try Envelope.expect(try await client.post("/indices/\(name)/search" + query), 200)["results"] as? [String: Any])
        #expect(Results.ids(bare) == Results.ids(plain))
    }

    @Test func outputYAML() async throws {
        let client = try client
        let name = Fixtures.indexName("yamlout")
        try await client.createExampleIndex(name)
        let response = try await client.get("/indices/\(name)/search" + HTTPClient.query(["query": "glacier", "output": "yaml"]))
        #expect(response.status == 200)
        #expect(response.contentType.contains("yaml"), "\(response.contentType)")
        // The same envelope as the JSON answer (parsed with PyYAML).
        let yaml = try #require(try YAMLText.parse(response.text) as? [String: Any], "\(response.text)")
        let json = try await client.get("/indices/\(name)/search" + HTTPClient.query(["query": "glacier"])).json()
        #expect(Set(yaml.keys) == Set(json.keys))
        let yamlResults = try #require(yaml["results"] as? [String: Any])
        #expect(Results.ids(yamlResults) == ["3"])
        #expect(yamlResults["total"] as? Int == 1)
        #expect((yaml["status"] as? [String: Any])?["code"] as? Int == 200)
        #expect(Results.fields(Results.hits(yamlResults)[0])["timestamp"] as? String == "20200519083000", "a datetime stays a string")

        let error = try await client.get("/indices/\(name)/documents/nope?output=yaml")
        #expect(error.status == 404)
        let errorYAML = try #require(try YAMLText.parse(error.text) as? [String: Any], "\(error.text)")
        #expect((errorYAML["error"] as? [String: Any])?["code"] as? String == "document_not_found", "\(error.text)")
    }

    @Test func analyze() async throws {
        let client = try client
        let name = Fixtures.indexName("analyze")
        try await client.createIndex(name)
        for selector in ["field=text", "analyzer=english"] {
            let response = try await client.get("/indices/\(name)/analyze?\(selector)&text=" + HTTPClient.encode("The Quick Foxes"))
            let tokens = try #require(try Envelope.expect(response, 200)["tokens"] as? [[String: Any]])
            #expect(tokens.compactMap { $0["token"] as? String } == ["quick", "fox"], "\(selector): \(tokens)")
            let quick = try #require(tokens.first)
            #expect(quick["position"] is Int)
            #expect(quick["start_offset"] as? Int == 4 && quick["end_offset"] as? Int == 9, "\(quick)")
        }
    }

    @Test func optimizeMergesToOneSegment() async throws {
        let client = try client
        let name = Fixtures.indexName("optimize")
        try await client.createIndex(name)
        for id in Fixtures.exampleIDs {
            try Envelope.expect(try await client.put("/indices/\(name)/documents/\(id)?sync=true", Fixtures.file("example/doc\(id).json")), 201)
        }
        let response = try await client.post("/indices/\(name)/optimize")
        #expect([200, 202].contains(response.status), "\(response)")
        try Envelope.expect(response, response.status)
        var segments = -1
        for _ in 0..<100 {
            let index = try Envelope.expect(try await client.get("/indices/\(name)"), 200)["index"] as? [String: Any]
            segments = (index?["segments"] as? [Any])?.count ?? -1
            #expect(index?["doc_count"] as? Int == 5)
            if segments == 1 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(segments == 1, "segments after optimize")
        #expect(try await client.searchIDs(name, ["query": Self.allFive]).count == 5)
    }

    // MARK: Cluster, metrics

    @Test func clusterStatus() async throws {
        let client = try client
        let cluster = try #require(try Envelope.expect(try await client.get("/cluster"), 200)["cluster"] as? [String: Any])
        let keys = ["version", "revision", "self", "state", "leader", "partner_nodes_count", "readonly_nodes_count",
                    "unknown_connections_count", "log_len", "last_applied", "commit_idx", "raft_term", "next_node_idx_count",
                    "match_idx_count", "leader_commit_idx", "uptime", "self_code_version", "enabled_code_version"]
        for key in keys { #expect(cluster.keys.contains(key), "GET /cluster lacks \(key)") }
        #expect(cluster["partner_nodes_count"] as? Int == 0)
        #expect(cluster["state"] as? Int == 2, "a standalone node leads")
        #expect(cluster["self"] as? String == "127.0.0.1:\(try LiveServer.server.peerPort)")
        #expect(cluster["leader"] as? String == cluster["self"] as? String)

        let commit = try #require(cluster["commit_idx"] as? Int)
        let waited = try await client.get("/cluster?wait_for_applied=\(commit)&timeout=10s")
        let after = try #require(try Envelope.expect(waited, 200)["cluster"] as? [String: Any])
        #expect((after["last_applied"] as? Int ?? -1) >= commit)
    }

    @Test func metricsAreLabelledByRouteTemplate() async throws {
        let client = try client
        let name = Fixtures.indexName("metrics")
        try await client.createExampleIndex(name)
        _ = try await client.get("/indices/\(name)/documents/1")
        _ = try await client.get("/indices/\(name)/documents/nope")
        let response = try await client.get("/metrics")
        #expect(response.status == 200)
        #expect(response.contentType.hasPrefix("text/plain"), "\(response.contentType)")
        let text = response.text
        #expect(text.contains("# TYPE "), "Prometheus text format")
        #expect(text.contains("/indices/{index}/documents/{id}"), "no route-template label")
        #expect(!text.contains("/indices/\(name)/documents/1\""), "raw paths must not be labels")
        #expect(!text.contains(name + "/"), "raw paths must not be labels")
        // Unknown paths must not become labels either (one series per garbage URL).
        let garbage = "garbage-\(UUID().uuidString.prefix(8))"
        _ = try await client.get("/\(garbage)/x")
        let after = try await client.get("/metrics").text
        #expect(!after.contains(garbage), "an unknown path became a label")
        for metric in ["cockatrice_http_requests_total", "cockatrice_http_request_duration_seconds_bucket",
                       "cockatrice_raft_term", "cockatrice_raft_commit_index", "cockatrice_raft_applied_index", "cockatrice_raft_leader_changes"] {
            #expect(after.contains(metric), "no \(metric)")
        }
        #expect(after.contains(#"method="GET""#) && after.contains(#"status="404""#), "requests by method and status")
        let perIndex = after.contains("index=\"\(name)\"")
        let segments = after.lowercased().contains("segment")
        let merges = after.lowercased().contains("merge")
        #expect(perIndex, "no per-index series for \(name)")
        #expect(segments, "no segment count")
        #expect(merges, "no merges")
    }

    /// Waits until this node has applied `logIndex`.
    func waitForApplied(_ logIndex: Int) async throws {
        let response = try await client.get("/cluster?wait_for_applied=\(logIndex)&timeout=10s")
        try Envelope.expect(response, 200)
    }
}

/// YAML answers read with PyYAML (the tests have no Swift YAML parser).
enum YAMLText {
    static func parse(_ text: String) throws -> Any {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString).yaml")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Executables.run(URL(fileURLWithPath: "/usr/bin/env"),
                                         ["python3", "-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", file.path])
        try #require(result.status == 0, "not YAML: \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
    }
}
