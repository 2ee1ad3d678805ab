import Metrics

/// HTTP metrics through swift-metrics, labelled by route template (never the raw path, so the
/// number of series stays bounded whatever clients send), method and status.
struct HTTPMetrics: Sendable {
    func record(route: String, method: String, status: Int, duration: Duration, requestBytes: Int, responseBytes: Int) {
        let dimensions = [("route", route), ("method", method)]
        Counter(label: "cockatrice_http_requests_total", dimensions: dimensions + [("status", String(status))]).increment()
        Timer(label: "cockatrice_http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        if requestBytes > 0 {
            Counter(label: "cockatrice_http_request_bytes_total", dimensions: dimensions).increment(by: requestBytes)
        }
        Counter(label: "cockatrice_http_response_bytes_total", dimensions: dimensions).increment(by: responseBytes)
    }
}
