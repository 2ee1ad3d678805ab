import Core
import Hummingbird
import Logging

/// The edge of every request: turns whatever a handler threw into the envelope with the right
/// status (the one place errors become HTTP), answers unknown routes with 404 and known paths
/// with a wrong method with 405, and records the access log line and the HTTP metrics.
struct APIMiddleware: RouterMiddleware {
    typealias Context = RESTContext

    let routes: RouteTable
    let metrics: HTTPMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = errorResponse(error, request: request, context: context)
        }
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        let elapsed = ContinuousClock.now - context.started
        let requestBytes = request.headers[.contentLength].flatMap { Int($0) } ?? 0
        let responseBytes = response.body.contentLength ?? 0
        metrics.record(route: route, method: request.method.rawValue, status: Int(response.status.code),
                       duration: elapsed, requestBytes: requestBytes, responseBytes: responseBytes)
        logger.info("\(request.method.rawValue) \(request.uri.path) \(response.status.code)", metadata: [
            "route": "\(route)", "ms": "\(Self.milliseconds(elapsed))",
            "in": "\(requestBytes)", "out": "\(responseBytes)",
        ])
        return response
    }

    private func errorResponse(_ error: any Error, request: Request, context: Context) -> Response {
        let format = (try? OutputFormat(parameter: request.uri.queryParameters["output"].map(String.init))) ?? .json
        let apiError: APIError
        switch error {
        case let error as APIError:
            apiError = error
        case let error as HTTPError where error.status == .notFound:
            let allowed = routes.methods(forPath: request.uri.path)
            if allowed.isEmpty {
                apiError = APIError(status: .notFound, code: "route_not_found", kind: .invalidRequest,
                                    reason: "no route for \(request.method.rawValue) \(request.uri.path)")
            } else {
                apiError = APIError(status: .methodNotAllowed, code: "method_not_allowed", kind: .invalidRequest,
                                    reason: "\(request.method.rawValue) is not allowed on \(request.uri.path); allowed: \(allowed.joined(separator: ", "))")
            }
        case let error as HTTPError where error.status == .contentTooLarge:
            apiError = APIError(status: .contentTooLarge, code: "body_too_large", kind: .invalidRequest,
                                reason: "the request body is larger than the server's limit")
        case let error as HTTPError:
            apiError = APIError(status: error.status, code: "http_error", kind: .invalidRequest, reason: error.body ?? error.status.reasonPhrase)
        case is CancellationError:
            apiError = .unavailable("outcome_unknown", "the request was cancelled (the server is shutting down)")
        default:
            logger.error("request failed: \(String(reflecting: error))", metadata: ["path": "\(request.uri.path)"])
            apiError = .internalError("\(error)")
        }
        var response = Envelope.response(status: apiError.status, payload: apiError.payload, error: apiError,
                                         started: context.started, format: format)
        if apiError.status == .methodNotAllowed {
            response.headers[.allow] = routes.methods(forPath: request.uri.path).joined(separator: ", ")
        }
        return response
    }

    private static func milliseconds(_ d: Duration) -> String {
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return String((ms * 1000).rounded() / 1000)
    }
}

/// The route templates the server answers, so that a known path with the wrong method is a
/// 405 naming the allowed ones rather than a 404.
struct RouteTable: Sendable {
    private(set) var routes: [(method: String, segments: [Substring])] = []

    mutating func add(_ method: HTTPRequest.Method, _ template: String) {
        routes.append((method.rawValue, template.split(separator: "/")))
    }

    func methods(forPath path: String) -> [String] {
        let parts = path.split(separator: "/")
        var found: [String] = []
        for route in routes where route.segments.count == parts.count {
            let matches = zip(route.segments, parts).allSatisfy { template, part in template.first == "{" || template == part }
            if matches, !found.contains(route.method) { found.append(route.method) }
        }
        return found
    }
}
