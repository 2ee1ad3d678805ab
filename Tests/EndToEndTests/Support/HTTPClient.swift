import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// An HTTP answer, with the helpers the REST tests need to read the envelope.
struct HTTPResponse: CustomStringConvertible {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var contentType: String { headers["content-type"] ?? "" }

    /// The body as a JSON object (fails the test if it is not one).
    func json(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let object = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        return try #require(object as? [String: Any], "not a JSON object (\(status)): \(text.prefix(2000))",
                            sourceLocation: sourceLocation)
    }

    /// `error.code` of an error envelope, if any.
    var errorCode: String? {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])
            .flatMap { $0["error"] as? [String: Any] }?["code"] as? String
    }

    var errorReason: String? {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])
            .flatMap { $0["error"] as? [String: Any] }?["reason"] as? String
    }

    var description: String { "HTTP \(status) \(contentType): \(text.prefix(1500))" }
}

/// A small URLSession client for one server. Bodies are bytes; `json(_:)` and `yaml` helpers
/// build them. A path may carry a query string; use `HTTPClient.query` to encode one.
struct HTTPClient: Sendable {
    let port: Int
    let timeout: TimeInterval
    private let session: URLSession

    init(port: Int, timeout: TimeInterval = 60) {
        self.port = port
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpMaximumConnectionsPerHost = 16
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    /// Sends a request; `contentType` nil sends none of our own (URLSession on Linux then adds
    /// `application/x-www-form-urlencoded` to a request with a body, as `curl -d` does).
    func send(_ method: String, _ path: String, body: Data? = nil, contentType: String? = nil,
              headers: [String: String] = [:]) async throws -> HTTPResponse {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"), "bad path \(path)")
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = timeout
        if let body { request.httpBody = body }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var lowered: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { lowered[name.lowercased()] = value }
        }
        return HTTPResponse(status: http.statusCode, headers: lowered, body: data)
    }

    func get(_ path: String) async throws -> HTTPResponse { try await send("GET", path) }
    func delete(_ path: String) async throws -> HTTPResponse { try await send("DELETE", path) }

    func put(_ path: String, _ body: Data, _ contentType: String? = "application/json") async throws -> HTTPResponse {
        try await send("PUT", path, body: body, contentType: contentType)
    }

    func put(_ path: String, json object: Any) async throws -> HTTPResponse {
        try await send("PUT", path, body: JSON.data(object), contentType: "application/json")
    }

    func post(_ path: String, _ body: Data? = nil, _ contentType: String? = "application/json") async throws -> HTTPResponse {
        try await send("POST", path, body: body, contentType: body == nil ? nil : contentType)
    }

    func patch(_ path: String, _ body: Data, _ contentType: String? = "application/json") async throws -> HTTPResponse {
        try await send("PATCH", path, body: body, contentType: contentType)
    }

    func patch(_ path: String, json object: Any) async throws -> HTTPResponse {
        try await send("PATCH", path, body: JSON.data(object), contentType: "application/json")
    }

    /// `?a=1&b=2` with every value percent-encoded (`+`, `&`, `:` and spaces included).
    static func query(_ items: KeyValuePairs<String, String>) -> String {
        "?" + items.map { "\($0.key)=\(encode($0.value))" }.joined(separator: "&")
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

enum JSON {
    static func data(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed, .sortedKeys])
    }
}

/// Raw HTTP/1.1 over a socket, for requests URLSession will not send as they are (no
/// Content-Type at all, a malformed request line).
enum RawHTTP {
    /// Sends `request` (bytes as they go on the wire; it should say `Connection: close`) and
    /// reads the answer to the end of the connection.
    static func send(port: Int, _ request: Data, timeout: TimeInterval = 30) throws -> HTTPResponse {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw POSIXError(.ECONNREFUSED) }
        // A server may answer (a 413, say) and close before it has read the whole request: then
        // stop writing and read what it said.
        request.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { break }
                offset += written
            }
        }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        return try parse(received)
    }

    static func request(_ method: String, _ path: String, body: Data, headers: [String: String]) -> Data {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return Data((head + "\r\n").utf8) + body
    }

    private static func parse(_ data: Data) throws -> HTTPResponse {
        let separator = Data("\r\n\r\n".utf8)
        let split = try #require(data.range(of: separator), "no HTTP head in \(String(decoding: data, as: UTF8.self))")
        let head = String(decoding: data[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = head[0].split(separator: " ")
        let status = try #require(statusLine.count >= 2 ? Int(statusLine[1]) : nil, "bad status line \(head[0])")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(data[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ data: Data) -> Data {
        var out = Data()
        var rest = Data(data)
        while let lineEnd = rest.range(of: Data("\r\n".utf8)) {
            let sizeText = String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            let end = rest.index(start, offsetBy: size, limitedBy: rest.endIndex) ?? rest.endIndex
            out.append(rest[start..<end])
            rest = Data(rest[min(end + 2, rest.endIndex)...])
        }
        return out
    }
}
