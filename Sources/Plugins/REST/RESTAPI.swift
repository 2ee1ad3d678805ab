import Core
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The REST API of API.md over one node: every route, and what the handlers share.
struct RESTAPI: Sendable {
    let slot: NodeSlot
    let registry: Registry
    let advertisedAddress: String
    let snapshotFile: String
    let bodies: BodyReader
    let renderMetrics: @Sendable () -> [UInt8]
    /// Decoded stored-field chunks per index directory, shared by the searches of that index.
    let storedFields = StoredFieldCaches()

    typealias Handler = @Sendable (Call) async throws -> Response

    /// One request as the handlers see it: the request, its decoded query string and the
    /// output format asked for.
    struct Call: Sendable {
        var request: Request
        let context: RESTContext
        let query: QueryItems
        let format: OutputFormat

        func reply(_ status: HTTPResponse.Status, _ payload: [(key: String, value: JSONValue)]) -> Response {
            Envelope.response(status: status, payload: payload, started: context.started, format: format)
        }

        func reply(_ payload: [(key: String, value: JSONValue)]) -> Response {
            reply(.ok, payload)
        }

        /// A path parameter, percent-decoded (ids may hold any character).
        func parameter(_ name: String) throws(APIError) -> String {
            guard let raw = context.parameters.get(name) else { throw .internalError("route has no parameter '\(name)'") }
            return try QueryItems.decode(Substring(raw), what: "path segment '\(name)'", plusIsSpace: false)
        }
    }

    /// Every route: method, template, handler. The table is built first so the middleware
    /// (which answers 405 from it) wraps every route.
    private var routes: [(HTTPRequest.Method, String, Handler)] {
        [
            (.get, "/", root),
            (.get, "/indices", listIndices),
            (.put, "/indices/{index}", createIndex),
            (.get, "/indices/{index}", getIndex),
            (.delete, "/indices/{index}", deleteIndex),
            (.post, "/indices/{index}/optimize", optimize),
            (.put, "/indices/{index}/documents", bulkPut),
            (.delete, "/indices/{index}/documents", bulkDelete),
            (.put, "/indices/{index}/documents/{id}", putDocument),
            (.get, "/indices/{index}/documents/{id}", getDocument),
            (.patch, "/indices/{index}/documents/{id}", patchDocument),
            (.delete, "/indices/{index}/documents/{id}", deleteDocument),
            (.get, "/indices/{index}/search", search),
            (.post, "/indices/{index}/search", search),
            (.get, "/indices/{index}/analyze", analyze),
            (.get, "/cluster", clusterStatus),
            (.put, "/cluster/{node}", addNode),
            (.delete, "/cluster/{node}", removeNode),
            (.get, "/snapshot", downloadSnapshot),
            (.put, "/snapshot", takeSnapshot),
            (.get, "/health/liveness", liveness),
            (.get, "/health/readiness", readiness),
            (.get, "/metrics", metrics),
        ]
    }

    func router(logger: Logger) -> Router<RESTContext> {
        // HEAD is answered wherever GET is (RFC 9110), without a body.
        let router = Router(context: RESTContext.self, options: .autoGenerateHeadEndpoints)
        var table = RouteTable()
        for (method, template, _) in routes {
            table.add(method, template)
            if method == .get { table.add(.head, template) }
        }
        router.add(middleware: APIMiddleware(routes: table, metrics: HTTPMetrics(), logger: logger))
        for (method, template, handler) in routes {
            router.on(RouterPath(template), method: method) { request, context in
                let query = try QueryItems(query: request.uri.query)
                let format = try OutputFormat(parameter: query["output"])
                return try await handler(Call(request: request, context: context, query: query, format: format))
            }
        }
        return router
    }

    // MARK: shared by the handlers

    /// The node, or 503 while it is still opening (the REST port listens from the start, so
    /// liveness answers and readiness says why it is not ready).
    var node: ClusterNode {
        get throws(APIError) {
            guard let node = slot.node else {
                throw APIError.unavailable("not_ready", "the node is opening (replaying its log)")
            }
            return node
        }
    }

    /// The open index named by the path, or 404 (400 for a name that can never exist).
    func openIndex(_ call: Call) throws(APIError) -> NodeStateMachine.OpenIndex {
        let node = try self.node
        let name = try call.parameter("index")
        try IndexName.validate(name)
        guard let index = node.stateMachine.index(named: name) else { throw .indexNotFound(name) }
        return index
    }

    func storedFieldsCache(for index: NodeStateMachine.OpenIndex) -> StoredFieldsCache {
        storedFields.caches.withLock { caches in
            if let cache = caches[index.indexID] { return cache }
            let cache = StoredFieldsCache(capacity: 64)
            caches[index.indexID] = cache
            return cache
        }
    }

    /// `sync` as API.md defines it.
    func isSync(_ call: Call) throws(APIError) -> Bool {
        try call.query.bool("sync")
    }

    /// Proposes the commands and waits as the request asked: committed (and durable) always;
    /// applied and refreshed on this node with `sync`.
    func submit(_ commands: [NodeCommand], sync: Bool) async throws -> [ClusterNode.Acknowledgement] {
        let node = try self.node
        guard node.isReady else {
            throw APIError.unavailable("not_ready", "the node is not ready to take writes (replaying its log, or stopped after a local failure)")
        }
        let acks: [ClusterNode.Acknowledgement]
        do {
            acks = try await node.write(commands)
        } catch let error as NodeError {
            switch error {
            case .notLeader, .stopped:
                throw APIError.unavailable("not_ready", error.description)
            case .outcomeUnknown, .timedOut:
                throw APIError.unavailable("outcome_unknown", error.description)
            }
        } catch {
            throw APIError.unavailable("outcome_unknown", "the write's outcome is unknown: \(error)")
        }
        if sync, let last = acks.last {
            do {
                try await node.waitUntilSearchable(last.logIndex)
            } catch {
                var failure = APIError.unavailable("outcome_unknown", "committed at log index \(last.logIndex), but not made searchable: \(error)")
                failure.payload = [("log_index", .number(String(last.logIndex)))]
                throw failure
            }
        }
        return acks
    }

    /// A refusal the state machine gave a committed command (the same on every node), as the
    /// status the client would have got had it been caught before the log.
    func refusal(_ reason: String, logIndex: UInt64) -> APIError {
        var error: APIError
        if reason.contains("already exists") {
            error = APIError(status: .conflict, code: "index_already_exists", kind: .invalidRequest, reason: reason)
        } else if reason.hasPrefix("index '"), reason.hasSuffix("does not exist") {
            error = APIError(status: .notFound, code: "index_not_found", kind: .invalidRequest, reason: reason)
        } else if reason.hasPrefix("document '"), reason.hasSuffix("does not exist") {
            error = APIError(status: .notFound, code: "document_not_found", kind: .invalidRequest, reason: reason)
        } else if reason.hasPrefix("query:") {
            error = .badRequest("invalid_query", reason)
        } else {
            error = .badRequest("invalid_document", reason)
        }
        error.payload = [("log_index", .number(String(logIndex)))]
        return error
    }

    /// The status and payload of a single write.
    func written(_ ack: ClusterNode.Acknowledgement, sync: Bool, created: Bool,
                 extra: [(key: String, value: JSONValue)] = []) throws(APIError) -> (HTTPResponse.Status, [(key: String, value: JSONValue)]) {
        if case .rejected(let reason) = ack.outcome { throw refusal(reason, logIndex: ack.logIndex) }
        let status: HTTPResponse.Status = sync ? (created ? .created : .ok) : .accepted
        return (status, [("log_index", .number(String(ack.logIndex)))] + extra)
    }
}

extension JSONValue {
    static func int<T: BinaryInteger>(_ value: T) -> JSONValue { .number(String(value)) }

    /// A score as JSON (a non-finite float is not JSON; it cannot come from BM25, but never
    /// print one).
    static func float(_ value: Float) -> JSONValue { value.isFinite ? .number(String(value)) : .null }
}

/// The stored-field caches of the open indices, by index directory.
final class StoredFieldCaches: Sendable {
    let caches = Mutex<[String: StoredFieldsCache]>([:])
}
