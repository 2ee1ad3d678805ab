import Core
import Hummingbird
import NIOCore

/// Documents: one at a time and in bulk.
extension RESTAPI {
    func putDocument(_ call: Call) async throws -> Response {
        let index = try openIndex(call)
        let id = try call.parameter("id")
        let sync = try isSync(call)
        let body = try await bodies.read(call.request)
        let document = try build(body, request: call.request, config: index.config, id: id)
        let acks = try await submit([.putDocuments(index: index.name, documents: [IdentifiedDocument(id: document.id, document: document.document)])], sync: sync)
        let (status, payload) = try written(acks[0], sync: sync, created: true, extra: [("id", .string(document.id))])
        return call.reply(status, payload)
    }

    func getDocument(_ call: Call) async throws -> Response {
        let index = try openIndex(call)
        let id = try call.parameter("id")
        try await consistency(call)
        // Real time: the writer answers from its buffer too, before any refresh.
        guard let stored = try index.writer.storedDocument(id: id) else {
            throw APIError.documentNotFound(index: index.name, id: id)
        }
        return call.reply([("fields", Self.fields(stored, only: call.query.list("fields")))])
    }

    func patchDocument(_ call: Call) async throws -> Response {
        let index = try openIndex(call)
        let id = try call.parameter("id")
        let sync = try isSync(call)
        let body = try await bodies.read(call.request)
        let patch = try build(body, request: call.request, config: index.config, id: id)
        guard try index.writer.storedDocument(id: id) != nil else {
            throw APIError.documentNotFound(index: index.name, id: id)
        }
        let acks = try await submit([.patchDocument(index: index.name, id: id, fields: patch.document)], sync: sync)
        let (status, payload) = try written(acks[0], sync: sync, created: true, extra: [("id", .string(id))])
        return call.reply(status, payload)
    }

    func deleteDocument(_ call: Call) async throws -> Response {
        let index = try openIndex(call)
        let id = try call.parameter("id")
        let sync = try isSync(call)
        guard try index.writer.storedDocument(id: id) != nil else {
            throw APIError.documentNotFound(index: index.name, id: id)
        }
        let acks = try await submit([.deleteDocuments(index: index.name, ids: [id])], sync: sync)
        let (status, payload) = try written(acks[0], sync: sync, created: false, extra: [("id", .string(id))])
        return call.reply(status, payload)
    }

    /// Bulk put: validated whole before anything is logged, so one bad document refuses the
    /// request and lists every bad one.
    func bulkPut(_ call: Call) async throws -> Response {
        let index = try openIndex(call)
        let sync = try isSync(call)
        let builder = DocumentBuilder(config: index.config)
        var documents: [IdentifiedDocument] = []
        var problems: [JSONValue] = []
        var count = 0
        // A streamed element becomes a document as it completes; a bad one is listed (with
        // its id when it has one) and the others still checked.
        func add(_ element: UnsafeBufferPointer<UInt8>, where label: String?) {
            do throws(DocumentError) {
                let built = try builder.build(json: element)
                documents.append(IdentifiedDocument(id: built.id, document: built.document))
            } catch {
                let id = (try? JSONParser.parseObjectWithSpans(element)).flatMap { Self.bodyID(Core.RequestBody.Item(members: $0.members), config: index.config) }
                problems.append(Self.problem(position: count, id: id, field: error.field, reason: (label.map { $0 + ": " } ?? "") + error.reason))
            }
            count += 1
        }
        if BodyReader.isNDJSON(call.request) {
            // Streamed: the body is never held whole.
            var lineNumber = 0
            try await bodies.lines(of: call.request) { line in
                lineNumber += 1
                guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { return }
                add(line, where: "line \(lineNumber)")
            }
        } else if BodyReader.isJSON(call.request) {
            try await bodies.arrayElements(of: call.request) { add($0, where: nil) }
        } else {
            let body = try await bodies.read(call.request)
            let format = try BodyReader.format(of: call.request, body: body)
            let elements = try BodyReader.parse(body) { bytes throws(RequestBodyError) in try Core.RequestBody.documents(bytes, format: format) }
            documents.reserveCapacity(elements.count)
            count = elements.count
            for (position, element) in elements.enumerated() {
                switch element {
                case .invalid(let reason):
                    problems.append(Self.problem(position: position, id: nil, field: nil, reason: reason))
                case .document(let item):
                    do {
                        let built = try builder.build(item)
                        documents.append(IdentifiedDocument(id: built.id, document: built.document))
                    } catch {
                        problems.append(Self.problem(position: position, id: Self.bodyID(item, config: index.config), field: error.field, reason: error.reason))
                    }
                }
            }
        }
        if !problems.isEmpty {
            var error = APIError.badRequest("invalid_document", "\(problems.count) of \(count) documents are invalid; nothing was written")
            error.details = [("documents", .array(problems))]
            throw error
        }
        guard !documents.isEmpty else { throw APIError.invalidBody("the bulk body holds no documents") }
        let acks = try await submit(NodeCommand.putBatches(index: index.name, documents: documents), sync: sync)
        for ack in acks { if case .rejected(let reason) = ack.outcome { throw refusal(reason, logIndex: ack.logIndex) } }
        let items: [JSONValue] = documents.map { .object([("id", .string($0.id)), ("result", .string("indexed"))]) }
        let last = acks.last?.logIndex ?? 0
        return call.reply(sync ? .created : .accepted, [("log_index", .int(last)), ("count", .int(documents.count)), ("items", .array(items))])
    }

    /// Bulk delete: by ids in the body, or by `?query=` with no body.
    func bulkDelete(_ call: Call) async throws -> Response {
        let index = try openIndex(call)
        let sync = try isSync(call)
        let body = try await bodies.read(call.request)
        if let query = call.query["query"] {
            guard body.readableBytes == 0 else {
                throw APIError.invalidParameter("query", "a delete by query takes no body; send either ids or ?query=")
            }
            let searchField = call.query["search_field"]
            do {
                _ = try QueryParser(config: index.config, searchField: searchField).parse(query)
            } catch {
                throw Self.queryError(error, parameter: "query")
            }
            let acks = try await submit([.deleteByQuery(index: index.name, query: query, searchField: searchField)], sync: sync)
            var deleted = 0
            if case .deleted(let count) = acks[0].outcome { deleted = count }
            let (status, payload) = try written(acks[0], sync: sync, created: false, extra: [("deleted", .int(deleted))])
            return call.reply(status, payload)
        }
        let format = try BodyReader.format(of: call.request, body: body)
        let ids = try BodyReader.parse(body) { bytes throws(RequestBodyError) in try Core.RequestBody.ids(bytes, format: format) }
        guard !ids.isEmpty else { throw APIError.invalidBody("send an array of ids, or ?query= to delete by query") }
        // Which ids exist as the request is accepted (real time); absent ones are no-ops, and the
        // answer says so per id, as a single DELETE would answer 404.
        var found: [Bool] = []
        found.reserveCapacity(ids.count)
        for id in ids { found.append(try index.writer.storedDocument(id: id) != nil) }
        let acks = try await submit([.deleteDocuments(index: index.name, ids: ids)], sync: sync)
        let items: [JSONValue] = zip(ids, found).map { id, existed in
            .object([("id", .string(id)), ("result", .string(existed ? "deleted" : "not_found"))])
        }
        let (status, payload) = try written(acks[0], sync: sync, created: false, extra: [("count", .int(ids.count)), ("items", .array(items))])
        return call.reply(status, payload)
    }

    // MARK: helpers

    private func build(_ body: ByteBuffer, request: Request, config: IndexConfig, id: String) throws(APIError) -> (id: String, document: Document) {
        let format = try BodyReader.format(of: request, body: body)
        let item = try BodyReader.parse(body) { bytes throws(RequestBodyError) in
            try Core.RequestBody.document(bytes, format: format == .ndjson ? .json : format)
        }
        do {
            return try DocumentBuilder(config: config).build(item, id: id)
        } catch {
            var failure = APIError.badRequest("invalid_document", "document '\(id)': \(error.reason)")
            if let field = error.field { failure.details = [("field", .string(field))] }
            throw failure
        }
    }

    static func problem(position: Int, id: String?, field: String?, reason: String) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("position", .int(position)), ("id", id.map { .string($0) } ?? .null)]
        if let field { members.append(("field", .string(field))) }
        members.append(("reason", .string(reason)))
        return .object(members)
    }

    /// The id a bad bulk document carries, if any, to name it in the error.
    static func bodyID(_ item: Core.RequestBody.Item, config: IndexConfig) -> String? {
        guard let value = item.members.last(where: { $0.key == config.idField })?.value else { return nil }
        switch value {
        case .string(let s): return s
        case .number(let n): return n
        default: return nil
        }
    }

    /// Stored fields as the client sent them (raw JSON values parsed back, numbers keep their text).
    static func fields(_ stored: [StoredField], only: [String]?) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        for field in stored where only.map({ $0.contains(field.name) }) ?? true {
            let value = field.value.withUnsafeBufferPointer { try? JSONParser.parse($0) }
            members.append((field.name, value ?? .string(String(decoding: field.value, as: UTF8.self))))
        }
        return .object(members)
    }

    static func queryError(_ error: QueryError, parameter: String) -> APIError {
        var failure = APIError.badRequest("invalid_query", "\(parameter): \(error)")
        failure.details = [("position", .int(error.position))]
        return failure
    }

    /// `consistency=strong`: the read waits for a ReadIndex barrier (the leader confirms its
    /// commit index with a quorum; this node applies up to it), so it sees every write
    /// acknowledged before it on any node. Returns the barrier's log index, nil for a local read.
    @discardableResult
    func consistency(_ call: Call) async throws -> UInt64? {
        let node = try self.node
        switch call.query["consistency"]?.lowercased() {
        case nil, "local", "eventual": return nil
        case "strong", "linearizable":
            do {
                return try await node.readBarrier()
            } catch let error as NodeError {
                throw APIError.unavailable("not_ready", "a linearizable read needs a leader: \(error)")
            }
        case let other?: throw APIError.invalidParameter("consistency", "'\(other)' is not one of local, strong")
        }
    }
}
