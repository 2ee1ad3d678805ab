import Core
import Hummingbird

/// An error a request ends with: its HTTP status, a stable `code` clients can match on, the
/// `type` of API.md, and a reason for people. The status lives with the error, so handlers
/// throw and the edge renders (STYLE.md).
struct APIError: Error, Sendable {
    enum Kind: String, Sendable {
        case invalidRequest = "invalid_request"
        case internalError = "internal"
        case auth
        case unavailable
    }

    var status: HTTPResponse.Status
    var code: String
    var kind: Kind
    var reason: String
    /// Extra members of the error object (the bad documents of a bulk, a query's position).
    var details: [(key: String, value: JSONValue)] = []
    /// Extra members of the envelope (the log index of an outcome that cannot be known).
    var payload: [(key: String, value: JSONValue)] = []
    /// Seconds a client should wait before retrying (503).
    var retryAfter: Int?

    static func badRequest(_ code: String, _ reason: String) -> APIError {
        APIError(status: .badRequest, code: code, kind: .invalidRequest, reason: reason)
    }

    static func invalidParameter(_ name: String, _ reason: String) -> APIError {
        badRequest("invalid_parameter", "parameter '\(name)': \(reason)")
    }

    static func invalidBody(_ reason: String) -> APIError {
        badRequest("invalid_body", reason)
    }

    static func indexNotFound(_ name: String) -> APIError {
        APIError(status: .notFound, code: "index_not_found", kind: .invalidRequest, reason: "index '\(name)' does not exist")
    }

    static func documentNotFound(index: String, id: String) -> APIError {
        APIError(status: .notFound, code: "document_not_found", kind: .invalidRequest,
                 reason: "document '\(id)' does not exist in index '\(index)'")
    }

    static func unavailable(_ code: String, _ reason: String, retryAfter: Int = 1) -> APIError {
        APIError(status: .serviceUnavailable, code: code, kind: .unavailable, reason: reason, retryAfter: retryAfter)
    }

    static func internalError(_ reason: String) -> APIError {
        APIError(status: .internalServerError, code: "internal_error", kind: .internalError, reason: reason)
    }

    /// The `error` object of the envelope.
    var json: JSONValue {
        .object([("code", .string(code)), ("type", .string(kind.rawValue)), ("reason", .string(reason))] + details)
    }
}

/// Index names as API.md fixes them: `[a-z0-9][a-z0-9_-]{0,127}`, so a name is always a safe
/// path component and a safe metrics label.
enum IndexName {
    static func validate(_ name: String) throws(APIError) {
        let bytes = Array(name.utf8)
        func allowed(_ b: UInt8, first: Bool) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || (!first && (b == 0x5F || b == 0x2D))
        }
        guard !bytes.isEmpty, bytes.count <= 128, allowed(bytes[0], first: true),
              bytes.dropFirst().allSatisfy({ allowed($0, first: false) }) else {
            throw .badRequest("invalid_index_name",
                              "index name '\(name)' is invalid: it must match [a-z0-9][a-z0-9_-]{0,127}")
        }
    }
}
