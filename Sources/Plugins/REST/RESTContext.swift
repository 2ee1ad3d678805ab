import Hummingbird
import Logging

/// Per-request state: when the request started (the envelope's `time` and the latency
/// histogram measure from here).
struct RESTContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let started: ContinuousClock.Instant

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        started = .now
    }

    /// Bodies are read by `BodyReader` against the server's own limit, not through Codable.
    var maxUploadSize: Int { Int.max }
}
