import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends batches of documents to the bulk endpoint, retrying while the node cannot take writes
/// (503: no leader yet, catching up) or cannot be reached (restarting).
struct BulkUploader: Sendable {
    let endpoint: URL
    let maxAttempts: Int
    let session: URLSession

    init(baseURL: URL, index: String, maxAttempts: Int = 12) {
        endpoint = baseURL.appendingPathComponent("indices").appendingPathComponent(index).appendingPathComponent("documents")
        self.maxAttempts = maxAttempts
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 300
        session = URLSession(configuration: configuration)
    }

    /// Sends one batch (NDJSON); returns how many retries it took.
    func send(_ body: Data, firstLine: Int) async throws -> Int {
        var request = URLRequest(url: endpoint)
        request.httpMethod = "PUT"
        request.setValue("application/x-ndjson", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        var delay = 0.25
        for attempt in 1...maxAttempts {
            let last = attempt == maxAttempts
            let data: Data
            let response: HTTPURLResponse
            do {
                let (body, reply) = try await session.data(for: request)
                guard let http = reply as? HTTPURLResponse else { throw ImportError.io("not an HTTP response") }
                (data, response) = (body, http)
            } catch {
                if last { throw ImportError.unavailable("cannot reach \(endpoint.absoluteString): \(error.localizedDescription)") }
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                delay = min(delay * 2, 8)
                continue
            }
            switch response.statusCode {
            case 200..<300:
                return attempt - 1
            case 503:
                if last {
                    throw ImportError.unavailable("the node stayed unavailable (503) after \(maxAttempts) attempts: \(Self.reason(data))")
                }
                if let retryAfter = response.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init), retryAfter.isFinite {
                    delay = min(max(retryAfter, 0.05), 60)
                }
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                delay = min(delay * 2, 8)
            case 413:
                throw ImportError.rejected(status: 413, body: "batch too large; use a smaller --batch (\(Self.reason(data)))", firstLine: firstLine)
            default:
                throw ImportError.rejected(status: response.statusCode, body: Self.reason(data), firstLine: firstLine)
            }
        }
        throw ImportError.unavailable("gave up after \(maxAttempts) attempts")
    }

    /// The error reason of an API error body, or the body itself.
    static func reason(_ data: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let error = object["error"] as? [String: Any], let reason = error["reason"] as? String {
            return reason
        }
        return String(decoding: data.prefix(2000), as: UTF8.self)
    }
}
