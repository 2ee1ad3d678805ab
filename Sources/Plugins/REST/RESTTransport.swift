import Core
import Hummingbird
import Logging

/// The REST transport (API.md) as a registered transport: `cockatrice server` looks it up by
/// name like any plugin's.
public struct RESTTransportFactory: TransportFactory {
    public init() {}

    public func makeTransport(_ context: TransportContext) throws -> any Transport {
        RESTServer(context: context)
    }

    /// Registers the transport as `rest` (alias `http`).
    public static func register(into registry: Registry) throws {
        try registry.register(.transport, name: "rest", aliases: ["http"], summary: "the REST API of API.md over HTTP/1.1 (Hummingbird 2)") { args in
            try args.allowOnly([])
            return RESTTransportFactory()
        }
    }
}

/// Serves the REST API until graceful shutdown: stops accepting, lets in-flight requests
/// finish, then returns (Hummingbird's application does this inside a service group).
struct RESTServer: Transport {
    let context: TransportContext

    func run() async throws {
        let api = RESTAPI(slot: context.nodeSlot, registry: context.registry, advertisedAddress: context.advertisedAddress,
                          snapshotFile: context.snapshotFile, bodies: BodyReader(maxBytes: context.maxBodyBytes),
                          renderMetrics: context.renderMetrics)
        var accessLogger = context.logger
        accessLogger[metadataKey: "component"] = "http"
        let app = Application(
            router: api.router(logger: accessLogger),
            server: RESTChildChannel.builder,
            configuration: ApplicationConfiguration(address: .hostname(context.host, port: context.port), serverName: "cockatrice"),
            logger: context.logger
        )
        try await app.runService()
    }
}
