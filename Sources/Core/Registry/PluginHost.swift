/// What a shared-library plugin's entry point receives: the registry to add its components to,
/// and the name to register them under.
///
/// A plugin exports two C symbols (see `PluginLoader`); `cockatrice_plugin_register` gets an
/// opaque pointer to this object, valid only during the call:
///
/// ```swift
/// @_cdecl("cockatrice_plugin_register")
/// public func cockatricePluginRegister(_ host: UnsafeRawPointer) -> Int32 {
///     let host = PluginHost.from(host)
///     do {
///         try host.registry.register(.analyzer, name: "reverse", provider: host.provider) { _ in ReverseAnalyzer() }
///         return 0
///     } catch {
///         host.fail("\(error)")
///         return 1
///     }
/// }
/// ```
public final class PluginHost: @unchecked Sendable {
    // @unchecked: `failure` is written only by the plugin during the single-threaded load call.
    /// The registry the plugin adds to.
    public let registry: Registry
    /// The provider name to pass to `Registry.register` (the library's file name).
    public let provider: String
    var failure: String?

    init(registry: Registry, provider: String) {
        self.registry = registry
        self.provider = provider
    }

    /// Recovers the host from the pointer the entry point receives.
    public static func from(_ pointer: UnsafeRawPointer) -> PluginHost {
        Unmanaged<PluginHost>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Reports why registration failed; the loader includes it in its error.
    public func fail(_ message: String) {
        failure = message
    }
}
