import Core
import Hummingbird
import NIOCore

/// `/`, `/indices`, `/indices/<INDEX>` and `optimize`.
extension RESTAPI {
    func root(_ call: Call) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .ok, headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: "cockatrice \(CockatriceVersion.string) is running.\n")))
    }

    func listIndices(_ call: Call) async throws -> Response {
        let node = try self.node
        let indices: [JSONValue] = node.stateMachine.indexNames.compactMap { name in
            guard let index = node.stateMachine.index(named: name) else { return nil }
            let snapshot = index.writer.snapshot()
            return .object([("name", .string(name)), ("doc_count", .int(snapshot.numDocs))])
        }
        return call.reply([("indices", .array(indices))])
    }

    func createIndex(_ call: Call) async throws -> Response {
        let node = try self.node
        let name = try call.parameter("index")
        try IndexName.validate(name)
        let sync = try isSync(call)
        let body = try await bodies.read(call.request)
        let format = try BodyReader.format(of: call.request, body: body)
        guard format != .ndjson else { throw APIError.invalidBody("an index config is one YAML or JSON document, not NDJSON") }
        let text = try BodyReader.text(body)
        if node.stateMachine.index(named: name) != nil {
            throw APIError(status: .conflict, code: "index_already_exists", kind: .invalidRequest, reason: "index '\(name)' already exists")
        }
        let config: IndexConfig
        let uses: [String]
        do {
            (config, uses) = try RegistryUsage.recording { try IndexConfigLoader(registry: registry).load(text: text) }
        } catch let error as ConfigError {
            throw Self.configError(error, what: "index config")
        } catch {
            throw APIError.badRequest("invalid_config", "index config: \(error)")
        }
        // Every member must be able to load it, or it would stop when the entry is applied.
        let lacking = await node.membersLacking(uses)
        if !lacking.isEmpty {
            let list = lacking.map { "node \($0.address) lacks \($0.missing.joined(separator: ", "))" }.joined(separator: "; ")
            throw APIError.badRequest("invalid_config", "index config: \(list) (load the plugin there with --plugin)")
        }
        // The directory is named by an id from the command, so a deleted and recreated index
        // never shares files with its predecessor.
        let indexID = name + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let acks = try await submit([.createIndex(name: name, indexID: indexID, config: text)], sync: sync)
        let warnings: [(key: String, value: JSONValue)] = config.warnings.isEmpty ? [] : [("warnings", .array(config.warnings.map { .string($0) }))]
        let (status, payload) = try written(acks[0], sync: sync, created: true, extra: [("index", .string(name))] + warnings)
        return call.reply(status, payload)
    }

    func getIndex(_ call: Call) async throws -> Response {
        let node = try self.node
        let index = try openIndex(call)
        guard let description = node.describe(index: index.name) else { throw APIError.indexNotFound(index.name) }
        return call.reply([("index", description.json())])
    }

    func deleteIndex(_ call: Call) async throws -> Response {
        let index = try openIndex(call)
        let sync = try isSync(call)
        let acks = try await submit([.deleteIndex(name: index.name)], sync: sync)
        let (status, payload) = try written(acks[0], sync: sync, created: false)
        return call.reply(status, payload)
    }

    func optimize(_ call: Call) async throws -> Response {
        let index = try openIndex(call)
        let sync = try isSync(call)
        let acks = try await submit([.optimize(index: index.name, maxSegments: 1)], sync: sync)
        let (status, payload) = try written(acks[0], sync: sync, created: false)
        return call.reply(status, payload)
    }

    /// A body that is not YAML or JSON at all (or an alias bomb, or nesting past the bound) is
    /// `invalid_body`; one that parses but is not a valid config is `invalid_config`.
    static func configError(_ error: ConfigError, what: String) -> APIError {
        switch error {
        case .syntax: .invalidBody("\(what): \(error)")
        case .invalid(let path, _) where path == "(document)": .invalidBody("\(what): \(error)")
        default: .badRequest("invalid_config", "\(what): \(error)")
        }
    }
}
