import Foundation
import Testing

/// The files the REST tests send, read in place: the repository's `conf/` and `example/`, and the
/// original Cockatrice's examples in `../shared/original-example` (never copied into the project).
enum Fixtures {
    static let repository = Executables.repository
    static let originalExample = repository.deletingLastPathComponent()
        .appendingPathComponent("shared").appendingPathComponent("original-example")

    static func file(_ relativePath: String) throws -> Data {
        try Data(contentsOf: repository.appendingPathComponent(relativePath))
    }

    static func original(_ name: String) throws -> Data {
        try Data(contentsOf: originalExample.appendingPathComponent(name))
    }

    /// conf/schema.yaml: id (unique), title, text (english), contributor (keyword), timestamp (datetime).
    static var schemaYAML: Data { get throws { try file("conf/schema.yaml") } }

    /// The ids of example/bulk_put.*: "1" to "5".
    static let exampleIDs = ["1", "2", "3", "4", "5"]

    /// The original's schema.json without its Janome entries (no built-in equivalent yet,
    /// API.md), as JSON.
    static var originalSchemaWithoutJanome: Data {
        get throws {
            var schema = try #require(try JSONSerialization.jsonObject(with: original("schema.json")) as? [String: Any])
            for (section, name) in [("schema", "text_janome"), ("field_types", "text_janome"), ("analyzers", "janome"), ("tokenizers", "janome")] {
                if var entries = schema[section] as? [String: Any] {
                    entries[name] = nil
                    schema[section] = entries
                }
            }
            return try JSON.data(schema)
        }
    }

    /// The example documents as objects (example/bulk_put.json).
    static var exampleDocuments: [[String: Any]] {
        get throws {
            try #require(try JSONSerialization.jsonObject(with: file("example/bulk_put.json")) as? [[String: Any]])
        }
    }

    /// A fresh index name for one test (index names must match `[a-z0-9][a-z0-9_-]{0,127}`).
    static func indexName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// Assertions on the envelope of API.md.
enum Envelope {
    /// The response is a JSON envelope with this status (`status.code` too, a `time`, a phrase).
    @discardableResult
    static func expect(_ response: HTTPResponse, _ status: Int,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(response.status == status, "expected \(status), got \(response)", sourceLocation: sourceLocation)
        let json = try response.json(sourceLocation: sourceLocation)
        #expect(json["time"] is Double || json["time"] is Int, "no time in \(response)", sourceLocation: sourceLocation)
        let statusObject = json["status"] as? [String: Any]
        #expect(statusObject?["code"] as? Int == status, "status.code of \(response)", sourceLocation: sourceLocation)
        #expect((statusObject?["phrase"] as? String)?.isEmpty == false, "status.phrase of \(response)", sourceLocation: sourceLocation)
        #expect(statusObject?["description"] is String, "status.description of \(response)", sourceLocation: sourceLocation)
        return json
    }

    /// The response is an error envelope with this status and `error.code`; returns the error object.
    @discardableResult
    static func expectError(_ response: HTTPResponse, _ status: Int, _ code: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let json = try expect(response, status, sourceLocation: sourceLocation)
        let error = try #require(json["error"] as? [String: Any], "no error object in \(response)", sourceLocation: sourceLocation)
        #expect(error["code"] as? String == code, "expected error.code \(code): \(response)", sourceLocation: sourceLocation)
        #expect(["invalid_request", "internal", "auth", "unavailable"].contains(error["type"] as? String ?? ""),
                "error.type of \(response)", sourceLocation: sourceLocation)
        #expect((error["reason"] as? String)?.isEmpty == false, "error.reason of \(response)", sourceLocation: sourceLocation)
        return error
    }
}

/// What most tests do first: an index from conf/schema.yaml holding the five example documents.
extension HTTPClient {
    func createIndex(_ name: String, config: Data? = nil, contentType: String = "application/yaml",
                     sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await put("/indices/\(name)?sync=true", config ?? Fixtures.schemaYAML, contentType)
        try #require(response.status == 201, "create \(name): \(response)", sourceLocation: sourceLocation)
    }

    func createExampleIndex(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await createIndex(name, sourceLocation: sourceLocation)
        let response = try await put("/indices/\(name)/documents?sync=true", Fixtures.file("example/bulk_put.json"), "application/json")
        try #require(response.status == 201, "bulk put into \(name): \(response)", sourceLocation: sourceLocation)
    }

    /// `GET /indices/<index>/search` with these parameters; requires a 200 and returns `results`.
    func search(_ index: String, _ parameters: KeyValuePairs<String, String>,
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let response = try await get("/indices/\(index)/search" + HTTPClient.query(parameters))
        let json = try Envelope.expect(response, 200, sourceLocation: sourceLocation)
        return try #require(json["results"] as? [String: Any], "no results in \(response)", sourceLocation: sourceLocation)
    }

    /// The ids of the hits of a search, in order.
    func searchIDs(_ index: String, _ parameters: KeyValuePairs<String, String>,
                   sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        let results = try await search(index, parameters, sourceLocation: sourceLocation)
        return Results.ids(results)
    }
}

enum Results {
    static func hits(_ results: [String: Any]) -> [[String: Any]] { results["hits"] as? [[String: Any]] ?? [] }

    static func fields(_ hit: [String: Any]) -> [String: Any] {
        (hit["doc"] as? [String: Any])?["fields"] as? [String: Any] ?? [:]
    }

    static func ids(_ results: [String: Any]) -> [String] {
        hits(results).compactMap { fields($0)["id"] as? String }
    }
}

/// A server bug or gap this suite found and the report lists: the expectations inside are known
/// to fail today. Intermittent, so that main stays green the day it is fixed; then remove the
/// wrapper. `E2E_STRICT_KNOWN_ISSUES=1 swift test --filter EndToEndTests` lists the fixed ones
/// ("Known issue was not recorded").
let strictKnownIssues = ProcessInfo.processInfo.environment["E2E_STRICT_KNOWN_ISSUES"] == "1"

func knownBug(_ comment: Comment?, when condition: Bool = true,
              sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    if condition {
        await withKnownIssue(comment, isIntermittent: !strictKnownIssues, sourceLocation: sourceLocation) { try await body() }
    } else {
        do { try await body() } catch { Issue.record(error, sourceLocation: sourceLocation) }
    }
}

func knownBug(_ comment: Comment?, when condition: Bool = true,
              sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    if condition {
        withKnownIssue(comment, isIntermittent: !strictKnownIssues, sourceLocation: sourceLocation) { try body() }
    } else {
        do { try body() } catch { Issue.record(error, sourceLocation: sourceLocation) }
    }
}
