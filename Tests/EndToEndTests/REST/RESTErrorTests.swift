import Foundation
import Testing

/// Every error path of API.md: the status, the stable `error.code`, and a server that stays up
/// and keeps its data (readiness is checked after each bad request).
@Suite(.liveServer("--max-body-size=1048576"))
struct RESTErrorTests {
    static let bodyLimit = 1_048_576

    var client: HTTPClient { get throws { try LiveServer.server.client } }

    /// The error envelope, then the server still ready.
    @discardableResult
    func expectError(_ response: HTTPResponse, _ status: Int, _ code: String,
                     sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let error = try Envelope.expectError(response, status, code, sourceLocation: sourceLocation)
        #expect(await (try LiveServer.server).isReady(), "server not ready after a bad request", sourceLocation: sourceLocation)
        return error
    }

    @Test func unknownIndex() async throws {
        let client = try client
        let name = Fixtures.indexName("missing")
        try await expectError(try await client.get("/indices/\(name)"), 404, "index_not_found")
        try await expectError(try await client.delete("/indices/\(name)"), 404, "index_not_found")
        try await expectError(try await client.get("/indices/\(name)/documents/1"), 404, "index_not_found")
        try await expectError(try await client.put("/indices/\(name)/documents/1", Fixtures.file("example/doc1.json")), 404, "index_not_found")
        try await expectError(try await client.put("/indices/\(name)/documents", Fixtures.file("example/bulk_put.json")), 404, "index_not_found")
        try await expectError(try await client.get("/indices/\(name)/search?query=x"), 404, "index_not_found")
        try await expectError(try await client.post("/indices/\(name)/optimize"), 404, "index_not_found")
        try await expectError(try await client.get("/indices/\(name)/analyze?field=text&text=x"), 404, "index_not_found")
        let reason = try await Envelope.expectError(client.get("/indices/\(name)"), 404, "index_not_found")["reason"] as? String
        #expect(reason?.contains(name) == true, "the reason names the index: \(reason ?? "")")
    }

    @Test func unknownDocument() async throws {
        let client = try client
        let name = Fixtures.indexName("nodoc")
        try await client.createExampleIndex(name)
        try await expectError(try await client.get("/indices/\(name)/documents/42"), 404, "document_not_found")
        try await expectError(try await client.patch("/indices/\(name)/documents/42?sync=true", json: ["title": "x"]), 404, "document_not_found")
    }

    @Test func createExistingIndex() async throws {
        let client = try client
        let name = Fixtures.indexName("twice")
        try await client.createIndex(name)
        try await expectError(try await client.put("/indices/\(name)?sync=true", Fixtures.schemaYAML, "application/yaml"), 409, "index_already_exists")
        try await expectError(try await client.put("/indices/\(name)", Fixtures.schemaYAML, "application/yaml"), 409, "index_already_exists")
    }

    @Test(arguments: ["Bad", "_underscore", "-dash", "caf%C3%A9", "a.b", "a%20b", String(repeating: "a", count: 129)])
    func badIndexName(name: String) async throws {
        let client = try client
        try await expectError(try await client.put("/indices/\(name)?sync=true", Fixtures.schemaYAML, "application/yaml"), 400, "invalid_index_name")
        try await expectError(try await client.get("/indices/\(name)"), 400, "invalid_index_name")
    }

    /// The longest name that is allowed: 128 characters.
    @Test func longestIndexName() async throws {
        let client = try client
        try await client.createIndex(String(repeating: "z", count: 128))
    }

    /// A name that cannot route (a slash, dot segments) is a 404 or a 400, never a write elsewhere.
    @Test(arguments: ["a/b", "..", "%2e%2e", "a%2Fb", "."])
    func indexNamesThatCannotRoute(name: String) async throws {
        let server = try LiveServer.server
        let body = try Fixtures.schemaYAML
        // Raw, so that no client normalizes the dot segments away.
        let response = try RawHTTP.send(port: server.httpPort, RawHTTP.request("PUT", "/indices/\(name)?sync=true", body: body,
                                                                            headers: ["Content-Type": "application/yaml"]))
        #expect([400, 404, 405].contains(response.status), "PUT /indices/\(name): \(response)")
        if response.status == 400 { #expect(response.errorCode == "invalid_index_name", "\(response)") }
        #expect(await server.isReady())
        let list = try Envelope.expect(try await server.client.get("/indices"), 200)
        let names = (list["indices"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(!names.contains { $0.contains(".") || $0.contains("/") || $0 == "a" || $0 == "b" }, "\(names)")
    }

    // MARK: Bodies

    @Test func malformedJSONAndYAML() async throws {
        let client = try client
        let name = Fixtures.indexName("malformed")
        try await client.createIndex(name)
        try await expectError(try await client.put("/indices/\(name)/documents/1", Data(#"{"title": "#.utf8), "application/json"), 400, "invalid_body")
        try await expectError(try await client.put("/indices/\(name)/documents/1", Data("title: [unclosed\n  - x: {".utf8), "application/yaml"), 400, "invalid_body")
        try await knownIssueConfigBodyErrors {
            try await expectError(try await client.put("/indices/\(Fixtures.indexName("malformed"))", Data("schema: [".utf8), "application/yaml"), 400, "invalid_body")
            try await expectError(try await client.put("/indices/\(Fixtures.indexName("malformed"))", Data(#"{"schema": "#.utf8), "application/json"), 400, "invalid_body")
        }
        try await expectError(try await client.put("/indices/\(name)/documents", Data("[1, 2".utf8), "application/json"), 400, "invalid_body")
        // A bad NDJSON line is reported like a bad document, by its position.
        let ndjson = try await client.put("/indices/\(name)/documents", Data("{\"id\": \"1\"}\n{nope\n".utf8), "application/x-ndjson")
        #expect(ndjson.status == 400 && ["invalid_body", "invalid_document"].contains(ndjson.errorCode ?? ""), "\(ndjson)")
        try Envelope.expectError(try await client.get("/indices/\(name)/documents/1"), 404, "document_not_found")
        // A document that is not an object.
        let notObject = try await client.put("/indices/\(name)/documents/1", Data("[1, 2]".utf8), "application/json")
        #expect(notObject.status == 400, "\(notObject)")
        #expect(["invalid_body", "invalid_document"].contains(notObject.errorCode ?? ""), "\(notObject)")
    }

    /// Billion laughs: aliases that expand past a small bound are rejected, fast.
    @Test func yamlAliasBomb() async throws {
        let client = try client
        let name = Fixtures.indexName("bomb")
        try await client.createIndex(name)
        var bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        var previous = "a"
        for label in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            bomb += "\(label): &\(label) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = label
        }
        bomb += "title: *i\n"
        let started = Date()
        try await expectError(try await client.put("/indices/\(name)/documents/1", Data(bomb.utf8), "application/yaml"), 400, "invalid_body")
        try await knownIssueConfigBodyErrors {
            try await expectError(try await client.put("/indices/\(Fixtures.indexName("bomb"))", Data(("schema: *i\n" + bomb).utf8), "application/yaml"), 400, "invalid_body")
        }
        #expect(Date().timeIntervalSince(started) < 10, "the bomb must be refused before it expands")
    }

    @Test func invalidUTF8() async throws {
        let client = try client
        let name = Fixtures.indexName("utf8")
        try await client.createIndex(name)
        let json = Data(#"{"title": "caf"#.utf8) + Data([0xC3, 0x28, 0xFF]) + Data(#""}"#.utf8)
        try await expectError(try await client.put("/indices/\(name)/documents/1", json, "application/json"), 400, "invalid_body")
        let yaml = Data("title: caf".utf8) + Data([0xFF, 0xFE]) + Data("\n".utf8)
        try await expectError(try await client.put("/indices/\(name)/documents/1", yaml, "application/yaml"), 400, "invalid_body")
        try await expectError(try await client.put("/indices/\(Fixtures.indexName("utf8"))", Data([0xFF, 0xFE, 0x00, 0x73]), "application/yaml"), 400, "invalid_body")
    }

    @Test func deeplyNestedBodies() async throws {
        let client = try client
        let name = Fixtures.indexName("nested")
        try await client.createIndex(name)
        let json = Data(String(repeating: "[", count: 100_000).utf8)
        try await expectError(try await client.put("/indices/\(name)/documents", json, "application/json"), 400, "invalid_body")
        try await expectError(try await client.put("/indices/\(name)/documents/1", Data(("{\"title\": " + String(repeating: "[", count: 100_000)).utf8), "application/json"), 400, "invalid_body")
        try await expectError(try await client.put("/indices/\(name)/documents", json, "application/yaml"), 400, "invalid_body")
        let config = try await client.put("/indices/\(Fixtures.indexName("nested"))", json, "application/json")
        try await knownIssueConfigBodyErrors {
            try await expectError(config, 400, "invalid_body")
        }
        #expect((config.errorReason ?? "").count < 2000, "the reason does not echo the body: \(config.errorReason?.count ?? 0) characters")
    }

    /// Index configs (and weighting overrides): a body that is not JSON or YAML at all is
    /// invalid_body; one that parses but is no valid config is invalid_config.
    func knownIssueConfigBodyErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        }
    }

    @Test func bodyTooLarge() async throws {
        let client = try client
        let name = Fixtures.indexName("large")
        try await client.createIndex(name)
        let text = String(repeating: "word ", count: Self.bodyLimit / 5 + 1000)
        let big = try JSON.data(["title": "big", "text": text])
        #expect(big.count > Self.bodyLimit)
        try await expectError(try await client.put("/indices/\(name)/documents/1", big), 413, "body_too_large")
        let bulk = try JSON.data((0..<3).map { ["id": "\($0)", "text": text] })
        try await expectError(try await client.put("/indices/\(name)/documents", bulk), 413, "body_too_large")
        // A chunked body has no Content-Length to refuse up front: it is cut off at the limit.
        let chunk = Data(String(repeating: "x", count: 64 * 1024).utf8)
        var chunked = Data("{\"title\": \"".utf8)
        for _ in 0..<(2 * Self.bodyLimit / chunk.count) { chunked += chunk }
        chunked += Data("\"}".utf8)
        var wire = Data("PUT /indices/\(name)/documents/3 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for start in stride(from: 0, to: chunked.count, by: chunk.count) {
            let piece = chunked[start..<min(start + chunk.count, chunked.count)]
            wire += Data((String(piece.count, radix: 16) + "\r\n").utf8) + piece + Data("\r\n".utf8)
        }
        wire += Data("0\r\n\r\n".utf8)
        let server = try LiveServer.server
        let refused = try RawHTTP.send(port: server.httpPort, wire)
        do {
            try await expectError(refused, 413, "body_too_large")
        }
        #expect(await server.isReady())
        // Just below the limit is fine.
        let fits = try JSON.data(["title": "fits", "text": String(repeating: "word ", count: Self.bodyLimit / 5 - 1000)])
        try Envelope.expect(try await client.put("/indices/\(name)/documents/2?sync=true", fits), 201)
        try Envelope.expectError(try await client.get("/indices/\(name)/documents/1"), 404, "document_not_found")
    }

    /// (`text/plain` and `application/octet-stream` are sniffed like a missing type, deliberately.)
    @Test(arguments: ["application/xml", "multipart/form-data; boundary=x", "image/png", "application/msgpack"])
    func unsupportedContentType(contentType: String) async throws {
        let client = try client
        let name = Fixtures.indexName("ctype")
        try await client.createIndex(name)
        try await expectError(try await client.put("/indices/\(name)/documents/1", Fixtures.file("example/doc1.json"), contentType), 415, "unsupported_content_type")
        try await expectError(try await client.put("/indices/\(name)/documents", Fixtures.file("example/bulk_put.json"), contentType), 415, "unsupported_content_type")
        try await expectError(try await client.send("DELETE", "/indices/\(name)/documents", body: Data(#"["1"]"#.utf8), contentType: contentType), 415, "unsupported_content_type")
        try await expectError(try await client.patch("/indices/\(name)/documents/1", Data(#"{"title": "x"}"#.utf8), contentType), 415, "unsupported_content_type")
        do {
            let other = Fixtures.indexName("ctype")
            try await expectError(try await client.put("/indices/\(other)", Fixtures.schemaYAML, contentType), 415, "unsupported_content_type")
            try await expectError(try await client.post("/indices/\(name)/search?query=x", Fixtures.original("weighting.json"), contentType), 415, "unsupported_content_type")
        }
    }

    /// `curl -d` sends `application/x-www-form-urlencoded`; that, and no Content-Type at all, is sniffed.
    @Test func formEncodedAndMissingContentTypeAreSniffed() async throws {
        let server = try LiveServer.server
        let client = server.client
        let fromYAML = Fixtures.indexName("sniff")
        try Envelope.expect(try await client.put("/indices/\(fromYAML)?sync=true", Fixtures.schemaYAML, "application/x-www-form-urlencoded"), 201)
        try Envelope.expect(try await client.put("/indices/\(fromYAML)/documents/1?sync=true", Fixtures.file("example/doc1.json"), "application/x-www-form-urlencoded"), 201)
        try Envelope.expect(try await client.put("/indices/\(fromYAML)/documents/2?sync=true", Fixtures.file("example/doc2.yaml"), "application/x-www-form-urlencoded"), 201)
        try Envelope.expect(try await client.put("/indices/\(fromYAML)/documents?sync=true", Fixtures.file("example/bulk_put.json"), "application/x-www-form-urlencoded"), 201)

        let fromJSON = Fixtures.indexName("sniff")
        let raw = try RawHTTP.send(port: server.httpPort, RawHTTP.request("PUT", "/indices/\(fromJSON)?sync=true",
                                                                       body: Fixtures.originalSchemaWithoutJanome, headers: [:]))
        try Envelope.expect(raw, 201)
        let rawDoc = try RawHTTP.send(port: server.httpPort, RawHTTP.request("PUT", "/indices/\(fromYAML)/documents/3?sync=true",
                                                                          body: Fixtures.file("example/doc3.yaml"), headers: [:]))
        try Envelope.expect(rawDoc, 201)
        #expect(try await client.searchIDs(fromYAML, ["query": "glacier"]) == ["3"])
    }

    // MARK: Documents that do not fit the schema

    @Test func wrongFieldTypeUnknownFieldAndDifferentID() async throws {
        let client = try client
        let name = Fixtures.indexName("invalid")
        try await client.createIndex(name)
        let badDate = try await expectError(try await client.put("/indices/\(name)/documents/1", json: ["title": "x", "timestamp": "not a date"]), 400, "invalid_document")
        #expect((badDate["reason"] as? String)?.contains("timestamp") == true, "names the field: \(badDate)")
        let badText = try await expectError(try await client.put("/indices/\(name)/documents/1", json: ["title": ["nested": "object"]]), 400, "invalid_document")
        #expect((badText["reason"] as? String)?.contains("title") == true, "names the field: \(badText)")
        let unknown = try await expectError(try await client.put("/indices/\(name)/documents/1", json: ["title": "x", "colour": "red"]), 400, "invalid_document")
        #expect((unknown["reason"] as? String)?.contains("colour") == true, "names the field: \(unknown)")
        let otherID = try await client.put("/indices/\(name)/documents/1", json: ["id": "2", "title": "x"])
        try await expectError(otherID, 400, "invalid_document")
        // The same id in the body is fine.
        try Envelope.expect(try await client.put("/indices/\(name)/documents/1?sync=true", json: ["id": "1", "title": "x"]), 201)
        // Nothing of the bad ones was written.
        try Envelope.expectError(try await client.get("/indices/\(name)/documents/2"), 404, "document_not_found")
        let patch = try await client.patch("/indices/\(name)/documents/1", json: ["colour": "red"])
        try await expectError(patch, 400, "invalid_document")
    }

    @Test func bulkWithBadDocumentsListsEachAndWritesNothing() async throws {
        let client = try client
        let name = Fixtures.indexName("bulkbad")
        try await client.createIndex(name)
        let documents: [[String: Any]] = [
            ["title": "no id"],
            ["id": "good", "title": "fine"],
            ["id": "bad", "title": "x", "colour": "red"],
            ["id": "good2", "title": "fine too"],
        ]
        let error = try await expectError(try await client.put("/indices/\(name)/documents?sync=true", json: documents), 400, "invalid_document")
        let listed = try #require(error["documents"] as? [[String: Any]], "error.documents: \(error)")
        #expect(listed.compactMap { $0["position"] as? Int } == [0, 2], "\(listed)")
        #expect(listed.first?["id"] == nil || listed.first?["id"] is NSNull, "a document without an id: \(listed)")
        #expect(listed.last?["id"] as? String == "bad")
        #expect(listed.allSatisfy { ($0["reason"] as? String)?.isEmpty == false })
        for id in ["good", "good2", "bad"] {
            try Envelope.expectError(try await client.get("/indices/\(name)/documents/\(id)"), 404, "document_not_found")
        }
        let index = try Envelope.expect(try await client.get("/indices/\(name)"), 200)["index"] as? [String: Any]
        #expect(index?["doc_count"] as? Int == 0)
        // NDJSON too.
        let ndjson = Data("{\"id\": \"n1\", \"title\": \"ok\"}\n{\"title\": \"no id\"}\n".utf8)
        let ndError = try await expectError(try await client.put("/indices/\(name)/documents", ndjson, "application/x-ndjson"), 400, "invalid_document")
        #expect((ndError["documents"] as? [[String: Any]])?.compactMap { $0["position"] as? Int } == [1])
    }

    @Test func badIndexConfig() async throws {
        let client = try client
        let unknownClass = Data("schema:\n  id:\n    field_type: id\n    args: {unique: true, stored: true}\n  t:\n    field_type: t\nfield_types:\n  id: {class: whoosh.fields.ID}\n  t: {class: whoosh.fields.NOPE}\n".utf8)
        let error = try await expectError(try await client.put("/indices/\(Fixtures.indexName("config"))", unknownClass, "application/yaml"), 400, "invalid_config")
        #expect((error["reason"] as? String)?.contains("whoosh.fields.NOPE") == true, "\(error)")
        // The original's schema.yaml names a Janome tokenizer we do not have: a clear 400 naming it.
        let janome = try await expectError(try await client.put("/indices/\(Fixtures.indexName("janome"))", Fixtures.original("schema.yaml"), "application/yaml"), 400, "invalid_config")
        #expect((janome["reason"] as? String)?.contains("cockatrice.analysis.JanomeTokenizer") == true, "\(janome)")
        let notAnObject = try await client.put("/indices/\(Fixtures.indexName("config"))", Data("[1, 2]".utf8), "application/json")
        #expect(notAnObject.status == 400 && ["invalid_config", "invalid_body"].contains(notAnObject.errorCode ?? ""), "\(notAnObject)")
    }

    /// A weighting override that names an unknown class or a bad argument is a 400 naming the key.
    @Test func badWeightingOverride() async throws {
        let client = try client
        let name = Fixtures.indexName("weighting")
        try await client.createExampleIndex(name)
        let cases: [(String, String, String)] = [
            ("weighting:\n  default:\n    class: nope.Weighting\n", "application/yaml", "nope.Weighting"),
            (#"{"default": {"class": "bm25f", "args": {"B": "x"}}}"#, "application/json", "B"),
            (#"{"weighting": "#, "application/json", ""),
        ]
        for (body, contentType, named) in cases {
            let response = try await client.post("/indices/\(name)/search?query=glacier", Data(body.utf8), contentType)
            #expect(response.status == 400 && ["invalid_body", "invalid_config"].contains(response.errorCode ?? ""), "\(response)")
            #expect(named.isEmpty || response.errorReason?.contains(named) == true, "names \(named): \(response)")
        }
        #expect(await (try LiveServer.server).isReady())
    }

    @Test func patchNeedsEveryFieldStored() async throws {
        let client = try client
        let name = Fixtures.indexName("unstored")
        let config = Data("schema:\n  id:\n    field_type: id\n    args: {unique: true, stored: true}\n  body:\n    field_type: text\n    args: {stored: false}\nfield_types:\n  id: {class: whoosh.fields.ID}\n  text: {class: whoosh.fields.TEXT}\n".utf8)
        try await client.createIndex(name, config: config)
        try Envelope.expect(try await client.put("/indices/\(name)/documents/1?sync=true", json: ["body": "hello"]), 201)
        let response = try await client.patch("/indices/\(name)/documents/1", json: ["body": "bye"])
        #expect(response.status == 400, "\(response)")
        #expect(await (try LiveServer.server).isReady())
    }

    // MARK: Parameters and queries

    @Test(arguments: ["title:(unclosed", "\"open phrase", "a AND", "field:[a TO", "(((", "title:^2"])
    func badQuerySyntax(query: String) async throws {
        let client = try client
        let name = Fixtures.indexName("query")
        try await client.createExampleIndex(name)
        let error = try await expectError(try await client.get("/indices/\(name)/search?query=" + HTTPClient.encode(query)), 400, "invalid_query")
        let reason = error["reason"] as? String ?? ""
        #expect(error["position"] is Int || reason.contains("position") || reason.contains("column"), "the position of the problem: \(error)")
    }

    @Test(arguments: ["page_num=999999&page_len=1000", "page_len=-1", "page_num=abc", "page_num=0", "page_len=abc",
                      "page_len=10001", "page_num=1e9", "page_num=20&page_len=1000", "track_total=maybe", "explain=perhaps", "consistency=bogus",
                      "sort=nofield", "search_field=nofield", "output=xml"])
    func badSearchParameters(parameters: String) async throws {
        let client = try client
        let name = Fixtures.indexName("params")
        try await client.createExampleIndex(name)
        try await expectError(try await client.get("/indices/\(name)/search?query=glacier&\(parameters)"), 400, "invalid_parameter")
    }

    @Test func pagingLimitNamesTheLimit() async throws {
        let client = try client
        let name = Fixtures.indexName("limit")
        try await client.createExampleIndex(name)
        let error = try await expectError(try await client.get("/indices/\(name)/search?query=glacier&page_num=20&page_len=1000"), 400, "invalid_parameter")
        let reason = error["reason"] as? String ?? ""
        #expect(reason.contains("10000") || reason.contains("10,000"), "names the limit: \(reason)")
        #expect(reason.contains("search_after"), "points to search_after: \(reason)")
        let absurd = try await expectError(try await client.get("/indices/\(name)/search?query=glacier&page_num=999999&page_len=1000"), 400, "invalid_parameter")
        do {
            #expect((absurd["reason"] as? String ?? "").contains("search_after"), "\(absurd)")
        }
    }

    @Test(arguments: ["maybe", "2", "TRUE!", "null"])
    func badSyncValue(value: String) async throws {
        let client = try client
        let name = Fixtures.indexName("badsync")
        try await client.createIndex(name)
        try await expectError(try await client.put("/indices/\(name)/documents/1?sync=\(value)", Fixtures.file("example/doc1.json")), 400, "invalid_parameter")
        try Envelope.expectError(try await client.get("/indices/\(name)/documents/1"), 404, "document_not_found")
        try await expectError(try await client.put("/indices/\(Fixtures.indexName("badsync"))?sync=\(value)", Fixtures.schemaYAML, "application/yaml"), 400, "invalid_parameter")
    }

    @Test func badAnalyzeAndClusterParameters() async throws {
        let client = try client
        let name = Fixtures.indexName("badparams")
        try await client.createIndex(name)
        try await expectError(try await client.get("/indices/\(name)/analyze?text=x"), 400, "invalid_parameter")
        try await expectError(try await client.get("/indices/\(name)/analyze?field=nofield&text=x"), 400, "invalid_parameter")
        try await expectError(try await client.get("/indices/\(name)/analyze?analyzer=noanalyzer&text=x"), 400, "invalid_parameter")
        try await expectError(try await client.get("/cluster?wait_for_applied=abc"), 400, "invalid_parameter")
        try await expectError(try await client.get("/cluster?wait_for_applied=1&timeout=forever"), 400, "invalid_parameter")
    }

    /// highlight takes one field; a name that is not a field of the index is ignored today.
    @Test func highlightOfAnUnknownField() async throws {
        let client = try client
        let name = Fixtures.indexName("highlight")
        try await client.createExampleIndex(name)
        let response = try await client.get("/indices/\(name)/search?query=glacier&highlight=nofield")
        do {
            try await expectError(response, 400, "invalid_parameter")
        }
        #expect(await (try LiveServer.server).isReady())
    }

    @Test func deleteByQueryWithABadQuery() async throws {
        let client = try client
        let name = Fixtures.indexName("delquery")
        try await client.createExampleIndex(name)
        try await expectError(try await client.delete("/indices/\(name)/documents?query=" + HTTPClient.encode("title:(")), 400, "invalid_query")
        #expect(try await client.searchIDs(name, ["query": RESTAPITests.allFive]).count == 5)
    }

    // MARK: Routes

    @Test func unknownRouteAndWrongMethod() async throws {
        let client = try client
        try await expectError(try await client.get("/nope"), 404, "route_not_found")
        try await expectError(try await client.get("/indices/x/nope"), 404, "route_not_found")
        try await expectError(try await client.get("/indices/x/documents/1/extra"), 404, "route_not_found")
        let wrong = try await client.send("POST", "/indices")
        try await expectError(wrong, 405, "method_not_allowed")
        #expect(wrong.headers["allow"]?.contains("GET") == true, "Allow header: \(wrong.headers)")
        try await expectError(try await client.send("PATCH", "/indices/x"), 405, "method_not_allowed")
        try await expectError(try await client.send("DELETE", "/"), 405, "method_not_allowed")
        try await expectError(try await client.send("POST", "/health/readiness"), 405, "method_not_allowed")
        try await expectError(try await client.send("PUT", "/indices/x/search", body: Data("{}".utf8), contentType: "application/json"), 405, "method_not_allowed")
    }

    /// A node that is not HOST:PORT is a 400, before anything is proposed.
    @Test func membershipWithABadNodeAddress() async throws {
        let client = try client
        for node in ["notanaddress", "127.0.0.1:99999", "host:port"] {
            let response = try await client.send("PUT", "/cluster/\(node)")
            #expect(response.status == 400 && ["invalid_node", "invalid_parameter"].contains(response.errorCode ?? ""), "PUT /cluster/\(node): \(response)")
        }
        // (Removing an address that is no member's, well formed or not, finds nothing: a 404.)
        let malformed = try await client.send("DELETE", "/cluster/host:port")
        #expect([400, 404].contains(malformed.status), "\(malformed)")
        // A node nobody answers at: PUT cannot ask it who it is (503), DELETE does not find it.
        let notMember = try await client.send("PUT", "/cluster/127.0.0.1:1")
        try await expectError(notMember, 503, "node_unreachable")
        #expect(notMember.errorReason?.contains("127.0.0.1:1") == true, "\(notMember)")
        let unknown = try await client.send("DELETE", "/cluster/127.0.0.1:1")
        #expect(unknown.status == 404, "\(unknown)")
        #expect(await (try LiveServer.server).isReady())
    }

    @Test func snapshotNotTakenYet() async throws {
        try await expectError(try await client.get("/snapshot"), 404, "snapshot_not_found")
    }
}
