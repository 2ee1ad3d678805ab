import Core
import Foundation
import Testing

@Suite struct RequestBodyTests {
    func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try Array(text.utf8).withUnsafeBufferPointer(body)
    }

    func originalFile(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: Paths.originalExample.appendingPathComponent(name)))
    }

    @Test func formatComesFromContentTypeOrSniffing() throws {
        try withBytes(#"{"a": 1}"#) { (body) throws in
            #expect(try RequestBody.format(contentType: "application/json; charset=utf-8", body: body) == .json)
            #expect(try RequestBody.format(contentType: "Application/X-YAML", body: body) == .yaml)
            #expect(try RequestBody.format(contentType: nil, body: body) == .json)
            #expect(try RequestBody.format(contentType: "application/x-www-form-urlencoded", body: body) == .json)
            #expect(throws: RequestBodyError.unsupportedMediaType("image/png")) {
                _ = try RequestBody.format(contentType: "image/png", body: body)
            }
        }
        try withBytes("title: x\ntext: y\n") { (body) throws in #expect(try RequestBody.format(contentType: nil, body: body) == .yaml) }
        try withBytes("{\"id\": \"1\"}\n{\"id\": \"2\"}\n") { (body) throws in #expect(try RequestBody.format(contentType: nil, body: body) == .ndjson) }
    }

    @Test func theOriginalsDocumentFilesParseInBothFormats() throws {
        let json = try originalFile("doc1.json").withUnsafeBufferPointer { try RequestBody.document($0, format: .json) }
        let yaml = try originalFile("doc1.yaml").withUnsafeBufferPointer { try RequestBody.document($0, format: .yaml) }
        #expect(json.members.map(\.key) == ["title", "text", "contributor", "timestamp"])
        #expect(json.members.map(\.value) == yaml.members.map(\.value))
        #expect(json.rawValues?.last == Array(#""20180704054100""#.utf8))
        let bulkJSON = try originalFile("bulk_index.json").withUnsafeBufferPointer { try RequestBody.documents($0, format: .json) }
        let bulkYAML = try originalFile("bulk_index.yaml").withUnsafeBufferPointer { try RequestBody.documents($0, format: .yaml) }
        #expect(bulkJSON.count == 5 && bulkYAML.count == 5)
        for (a, b) in zip(bulkJSON, bulkYAML) {
            guard case .document(let x) = a, case .document(let y) = b else {
                Issue.record("every element is a document")
                continue
            }
            // The original's JSON and YAML twins differ in the texts' line breaks only.
            #expect(x.members.map(\.key) == y.members.map(\.key))
            #expect(x.members.filter { $0.key != "text" }.map(\.value) == y.members.filter { $0.key != "text" }.map(\.value))
        }
        #expect(try originalFile("bulk_delete.json").withUnsafeBufferPointer { try RequestBody.ids($0, format: .json) } == ["1", "2", "3", "4", "5"])
        #expect(try originalFile("bulk_delete.yaml").withUnsafeBufferPointer { try RequestBody.ids($0, format: .yaml) } == ["1", "2", "3", "4", "5"])
    }

    @Test func theProjectsExamplesParse() throws {
        for name in ["bulk_put.json", "bulk_put.yaml", "bulk_put.ndjson"] {
            let bytes = try [UInt8](Data(contentsOf: Paths.repository.appendingPathComponent("example/\(name)")))
            let format = try bytes.withUnsafeBufferPointer { try RequestBody.format(contentType: nil, body: $0) }
            let elements = try bytes.withUnsafeBufferPointer { try RequestBody.documents($0, format: format) }
            #expect(elements.count == 5, "\(name)")
        }
    }

    @Test func bulkElementsThatAreNotDocumentsAreReportedByPosition() throws {
        let elements = try withBytes(#"[{"id": "1"}, 7, {"id": "2"}]"#) { try RequestBody.documents($0, format: .json) }
        guard case .invalid(let reason) = elements[1] else {
            Issue.record("element 1 should be invalid")
            return
        }
        #expect(reason == "expected a document (an object), got a number")
        if case .document(let item) = elements[2] {
            #expect(item.rawValues == [Array(#""2""#.utf8)])
        }
    }

    @Test func malformedBodiesSayWhy() throws {
        let ndjson = try withBytes("{\"id\": \"1\"}\n{\"id\" 2}\n\n[3]\n{\"id\": \"4\"}") { try RequestBody.documents($0, format: .ndjson) }
        #expect(ndjson.count == 4, "every line is an element, bad ones included")
        if case .invalid(let reason) = ndjson[1] { #expect(reason == "line 2: invalid JSON at byte 6: expected ':' after a key") } else { Issue.record("line 2 is bad") }
        if case .invalid(let reason) = ndjson[2] { #expect(reason == "line 4: invalid JSON at byte 0: expected a JSON object") } else { Issue.record("line 4 is bad") }
        if case .document = ndjson[3] {} else { Issue.record("line 5 is a document") }
        #expect(throws: RequestBodyError.malformed("the body must be a list of documents")) {
            _ = try withBytes("a: 1") { try RequestBody.documents($0, format: .yaml) }
        }
        #expect(throws: RequestBodyError.malformed("the body is not valid UTF-8")) {
            _ = try [UInt8]([0x61, 0x3A, 0x20, 0xFF]).withUnsafeBufferPointer { try RequestBody.document($0, format: .yaml) }
        }
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { bomb += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        #expect {
            _ = try withBytes(bomb) { try RequestBody.document($0, format: .yaml) }
        } throws: { error in
            "\(error)".contains("expands to more than")
        }
        #expect(throws: RequestBodyError.malformed("item 1: expected an id (a non-empty string of at most 512 bytes), got an object")) {
            _ = try withBytes(#"["1", {}]"#) { try RequestBody.ids($0, format: .json) }
        }
    }

    @Test func yamlNumbersKeepTheirTextWhenItIsJSON() throws {
        let item = try withBytes("id: '1'\nprice: 1.50\nbig: 1e3\nhex: 0x1F\nstr: '007'\nflag: true\nnone: ~\n") {
            try RequestBody.document($0, format: .yaml)
        }
        #expect(item.members.map(\.value) == [.string("1"), .number("1.50"), .number("1e3"), .number("31"), .string("007"), .bool(true), .null])
        #expect(throws: RequestBodyError.malformed("'.inf' is not a JSON number")) {
            _ = try withBytes("x: .inf") { try RequestBody.document($0, format: .yaml) }
        }
    }

    /// `curl -d @doc.json` strips newlines and sends form encoding: still one valid document.
    @Test func aCurlDashDBodyIsSniffedAsJSON() throws {
        let stripped = try [UInt8](Data(contentsOf: Paths.repository.appendingPathComponent("example/doc1.json"))).filter { $0 != 0x0A && $0 != 0x0D }
        let item = try stripped.withUnsafeBufferPointer { body -> RequestBody.Item in
            let format = try RequestBody.format(contentType: "application/x-www-form-urlencoded", body: body)
            #expect(format == .json)
            return try RequestBody.document(body, format: format)
        }
        #expect(item.members.first?.key == "title")
    }
}
