import Core
import Hummingbird
import NIOCore

/// The response format a client asked for with `?output=`.
enum OutputFormat: Sendable {
    case json
    case yaml

    init(parameter: String?) throws(APIError) {
        switch parameter?.lowercased() {
        case nil, "json": self = .json
        case "yaml", "yml": self = .yaml
        case let other?: throw .invalidParameter("output", "'\(other)' is not one of json, yaml")
        }
    }

    var contentType: String {
        switch self {
        case .json: "application/json; charset=utf-8"
        case .yaml: "application/yaml; charset=utf-8"
        }
    }
}

/// The envelope every JSON answer of API.md wears: the payload, the time taken, the status
/// with the phrase and description the original's clients print, and the error if any.
enum Envelope {
    static func response(status: HTTPResponse.Status, payload: [(key: String, value: JSONValue)], error: APIError? = nil,
                         started: ContinuousClock.Instant, format: OutputFormat) -> Response {
        var members = payload
        if let error { members.append(("error", error.json)) }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        members.append(("time", .number(decimal(seconds))))
        members.append(("status", .object([
            ("code", .number(String(status.code))),
            ("phrase", .string(status.reasonPhrase)),
            ("description", .string(description(of: status))),
        ])))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        switch format {
        case .json:
            JSONValue.object(members).appendJSON(to: &bytes)
            bytes.append(0x0A)
        case .yaml:
            YAMLWriter.write(.object(members), to: &bytes)
        }
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        if let retry = error?.retryAfter { headers[.retryAfter] = String(retry) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Seconds to the microsecond.
    private static func decimal(_ seconds: Double) -> String {
        String((seconds * 1_000_000).rounded() / 1_000_000)
    }

    /// The descriptions Python's `http.HTTPStatus` gives (the original's envelope carried them).
    static func description(of status: HTTPResponse.Status) -> String {
        switch status.code {
        case 200: "Request fulfilled, document follows"
        case 201: "Document created, URL follows"
        case 202: "Request accepted, processing continues off-line"
        case 400: "Bad request syntax or unsupported method"
        case 404: "Nothing matches the given URI"
        case 405: "Specified method is invalid for this resource"
        case 409: "Request conflict"
        case 413: "Entity is too large"
        case 415: "Entity body in unsupported format"
        case 500: "Server got itself in trouble"
        case 503: "The server cannot process the request due to a high load"
        case 504: "The gateway server did not receive a timely response"
        default: status.reasonPhrase
        }
    }
}
