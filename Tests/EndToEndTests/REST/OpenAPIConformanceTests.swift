import Foundation
import Testing

/// docs/openapi.yaml is valid OpenAPI, and true: every path and method in it, sent to a live
/// server as its examples describe, answers with a status the file lists for it.
@Suite struct OpenAPIConformanceTests {
    static let spec = Executables.repository.appendingPathComponent("docs/openapi.yaml")

    @Test func specIsValidOpenAPI() async throws {
        let result = try await Executables.shell("scripts/validate-openapi.sh")
        #expect(result.status == 0, "scripts/validate-openapi.sh: \(result.stdout)\(result.stderr)")
    }

    /// One operation of the spec, with the request its examples make.
    struct Operation: Decodable, CustomStringConvertible {
        var method: String
        var path: String
        var pathValues: [String: String]
        var query: [String: String]
        var body: String?
        var contentType: String?
        /// Status code -> the top-level keys the response schema requires.
        var statuses: [String: [String]]

        var description: String { "\(method) \(path)" }

        /// The order in which a test can run them on one server: create, write, read, delete.
        var phase: Int {
            switch (method, path) {
            case ("PUT", "/indices/{index}"): 0
            case ("PUT", "/indices/{index}/documents/{id}"), ("PUT", "/indices/{index}/documents"): 1
            case ("PATCH", _): 2
            case ("GET", "/snapshot"): 4
            case ("DELETE", "/indices/{index}/documents/{id}"), ("DELETE", "/indices/{index}/documents"): 5
            case ("PUT", "/cluster/{node}"): 6
            case ("DELETE", "/cluster/{node}"): 7
            case ("DELETE", "/indices/{index}"): 8
            default: 3
            }
        }

        /// Membership changes with a node that does not exist may legitimately time out (503).
        var mustSucceed: Bool { !path.hasPrefix("/cluster/") }
    }

    /// The operations of docs/openapi.yaml, read with PyYAML (which openapi-spec-validator brings).
    static func operations() async throws -> [Operation] {
        let script = #"""
        import json, sys, yaml
        spec = yaml.safe_load(open(sys.argv[1]))
        def resolve(node):
            while isinstance(node, dict) and "$ref" in node:
                target = spec
                for part in node["$ref"][2:].split("/"):
                    target = target[part]
                node = target
            return node
        def required(schema):
            schema = resolve(schema or {})
            keys = list(schema.get("required", []))
            for part in schema.get("allOf", []):
                keys += required(part)
            return keys
        operations = []
        for path, item in spec["paths"].items():
            for method, operation in item.items():
                if method == "parameters":
                    continue
                parameters = {}
                for parameter in item.get("parameters", []) + operation.get("parameters", []):
                    parameter = resolve(parameter)
                    parameters[(parameter["name"], parameter["in"])] = parameter
                body, content_type = None, None
                request = resolve(operation.get("requestBody"))
                if request:
                    for media_type, media in request["content"].items():
                        if "example" in media:
                            body, content_type = json.dumps(media["example"]), media_type
                            break
                statuses = {}
                for status, response in operation["responses"].items():
                    content = resolve(response).get("content", {})
                    schema = content.get("application/json", {}).get("schema")
                    statuses[status] = required(schema) if schema else []
                operations.append({
                    "method": method.upper(), "path": path,
                    "pathValues": {p["name"]: str(p["example"]) for p in parameters.values() if p["in"] == "path"},
                    "query": {p["name"]: str(p["example"]) for p in parameters.values() if p["in"] == "query" and "example" in p},
                    "body": body, "contentType": content_type, "statuses": statuses,
                })
        json.dump(operations, sys.stdout)
        """#
        let result = try await Executables.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, spec.path])
        try #require(result.status == 0, "reading docs/openapi.yaml: \(result.stderr)")
        return try JSONDecoder().decode([Operation].self, from: Data(result.stdout.utf8))
    }

    /// Operations the server does not serve yet as the spec says (see the report of the e2e branch).
    static let knownBugs: [String: Comment] = [:]

    @Test func everyOperationAnswersAStatusTheSpecLists() async throws {
        let operations = try await Self.operations().enumerated().sorted { ($0.element.phase, $0.offset) < ($1.element.phase, $1.offset) }.map(\.element)
        try #require(operations.count >= 20, "\(operations.count) operations")
        let server = try await ServerProcess.start()
        defer { server.stop() }
        let client = HTTPClient(port: server.httpPort, timeout: 30)
        var answers: [[String: Any]] = []
        var extrasDone = false
        for operation in operations {
            if operation.phase > 3 && !extrasDone {
                extrasDone = true
                answers += try await extras(client, index: operations[0].pathValues["index"] ?? "openapi-example")
            }
            var path = operation.path
            for (name, value) in operation.pathValues { path = path.replacingOccurrences(of: "{\(name)}", with: HTTPClient.encode(value)) }
            if !operation.query.isEmpty {
                path += "?" + operation.query.sorted { $0.key < $1.key }.map { "\($0.key)=\(HTTPClient.encode($0.value))" }.joined(separator: "&")
            }
            let body = operation.body.map { Data($0.utf8) }
            let response = try await client.send(operation.method, path, body: body, contentType: operation.contentType)
            let listed = operation.statuses.keys.sorted()
            await knownBug(Self.knownBugs["\(operation)"], when: Self.knownBugs["\(operation)"] != nil) {
                #expect(operation.statuses["\(response.status)"] != nil, "\(operation): \(response.status) is not one of \(listed): \(response)")
                if operation.mustSucceed {
                    #expect((200..<300).contains(response.status), "\(operation) with the spec's examples: \(response)")
                }
            }
            if response.contentType.hasPrefix("application/json") {
                answers.append(["method": operation.method, "path": operation.path, "status": response.status, "body": response.text])
            }
            // The keys the spec says the JSON answer has.
            if response.contentType.hasPrefix("application/json"), let keys = operation.statuses["\(response.status)"], !keys.isEmpty {
                let json = try response.json()
                for key in keys { #expect(json[key] != nil, "\(operation) \(response.status) lacks \(key): \(response)") }
            }
            #expect(await server.isReady(), "not ready after \(operation)")
        }
        try await Self.checkAgainstSchemas(answers)
    }

    /// Answers that the examples do not produce (errors, search options), checked the same way.
    func extras(_ client: HTTPClient, index: String) async throws -> [[String: Any]] {
        let requests: [(method: String, template: String, path: String, body: String?, expected: Int)] = [
            ("GET", "/indices/{index}/search", "/indices/\(index)/search?query=lighthouse&highlight=text&facets=contributor&explain=true", nil, 200),
            ("GET", "/indices/{index}/search", "/indices/\(index)/search?query=title%3A%28", nil, 400),
            ("GET", "/indices/{index}/search", "/indices/\(index)/search?page_num=999999&page_len=1000", nil, 400),
            ("GET", "/indices/{index}/documents/{id}", "/indices/\(index)/documents/missing", nil, 404),
            ("GET", "/indices/{index}", "/indices/no-such-index", nil, 404),
            ("GET", "/indices/{index}", "/indices/Bad", nil, 400),
            ("PUT", "/indices/{index}", "/indices/\(index)", "{\"schema\": {}}", 409),
            ("PUT", "/indices/{index}/documents", "/indices/\(index)/documents", #"[{"title": "no id"}, {"id": "x", "colour": "red"}]"#, 400),
            ("PUT", "/indices/{index}/documents/{id}", "/indices/\(index)/documents/1", #"{"title": "#, 400),
            ("GET", "/cluster", "/cluster?wait_for_applied=99999999&timeout=0.2s", nil, 504),
        ]
        var answers: [[String: Any]] = []
        for request in requests {
            let response = try await client.send(request.method, request.path, body: request.body.map { Data($0.utf8) },
                                                 contentType: request.body == nil ? nil : "application/json")
            #expect(response.status == request.expected, "\(request.method) \(request.path): \(response)")
            answers.append(["method": request.method, "path": request.template, "status": response.status, "body": response.text])
        }
        return answers
    }

    /// Every JSON answer against the schema the spec gives for its status (openapi-schema-validator,
    /// which openapi-spec-validator brings).
    static func checkAgainstSchemas(_ answers: [[String: Any]]) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-answers-\(UUID().uuidString).json")
        try JSON.data(answers).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = Executables.repository.appendingPathComponent("Tests/EndToEndTests/Resources/openapi_responses.py")
        let result = try await Executables.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, spec.path, file.path])
        #expect(result.status == 0 || result.status == 1, "openapi_responses.py: \(result.stderr)")
        let mismatches = result.stdout.split(separator: "\n").map(String.init).filter { !$0.hasSuffix(" mismatches") }
        for mismatch in mismatches {
            let known = knownSchemaBugs.first { $0.matches(mismatch) }
            knownBug(known?.comment, when: known != nil) {
                Issue.record("the answer does not match docs/openapi.yaml: \(mismatch)")
            }
        }
    }

    /// Schema mismatches the report lists as server bugs.
    static let knownSchemaBugs: [(comment: Comment, matches: @Sendable (String) -> Bool)] = []
}
