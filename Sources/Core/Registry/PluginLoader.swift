#if canImport(Glibc)
import Glibc
#endif

/// Loads shared-library plugins (`--plugin=PATH`) into a registry.
///
/// A plugin exports two C functions:
/// - `const char *cockatrice_plugin_abi(void)`: the `CoreABI` id it was built against, checked
///   before any Swift type crosses the boundary;
/// - `int32_t cockatrice_plugin_register(const void *host)`: registers its components through the
///   `PluginHost` it is given and returns 0, or calls `host.fail` and returns non-zero.
///
/// The plugin must be built against the host's Core module file without linking Core (the
/// executable exports Core's symbols), or two copies of Core's type metadata would exist and
/// every cast across the boundary would fail (DESIGN.md).
public enum PluginLoader {
    /// A plugin that loaded.
    public struct Loaded: Sendable, Hashable, Codable {
        public var path: String
        public var provider: String
        public var abi: String
    }

    /// Loads the plugin at `path` and lets it register into `registry`.
    ///
    /// - Parameter hostABI: the id this host accepts (`CoreABI.hostID`); nil refuses every plugin.
    public static func load(path: String, into registry: Registry, hostABI: String? = CoreABI.hostID) throws(PluginError) -> Loaded {
        // dlopen searches the library path for a name without a slash, while access() looks in
        // the working directory: resolve the path once so both see the same file.
        guard let resolved = realpath(path, nil) else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let absolute = String(cString: resolved)
        free(resolved)
        guard access(absolute, R_OK) == 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard let handle = dlopen(absolute, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "dlopen failed"
            let hint = reason.contains("undefined symbol") ? " (was it built against this cockatrice's SDK? see make plugin-sdk)" : ""
            throw .cannotLoad(path: path, reason: reason + hint)
        }
        // The library is never closed: its code backs the factories it registered.
        guard let abiSymbol = dlsym(handle, "cockatrice_plugin_abi"),
              let registerSymbol = dlsym(handle, "cockatrice_plugin_register") else {
            throw .notAPlugin(path: path)
        }
        typealias ABIFunction = @convention(c) () -> UnsafePointer<CChar>?
        typealias RegisterFunction = @convention(c) (UnsafeRawPointer) -> Int32
        let abiFunction = unsafeBitCast(abiSymbol, to: ABIFunction.self)
        let pluginABI = abiFunction().map { String(cString: $0) } ?? ""
        guard let hostABI else {
            throw .abiMismatch(path: path, plugin: pluginABI, host: "unknown (Core's module file is not beside the executable)")
        }
        guard pluginABI == hostABI else {
            throw .abiMismatch(path: path, plugin: pluginABI, host: hostABI)
        }
        let provider = String(path.split(separator: "/").last ?? Substring(path))
        let host = PluginHost(registry: registry, provider: provider)
        let register = unsafeBitCast(registerSymbol, to: RegisterFunction.self)
        let status = withExtendedLifetime(host) {
            register(UnsafeRawPointer(Unmanaged.passUnretained(host).toOpaque()))
        }
        guard status == 0 else {
            throw .registrationFailed(path: path, reason: host.failure ?? "cockatrice_plugin_register returned \(status)")
        }
        return Loaded(path: path, provider: provider, abi: pluginABI)
    }
}

/// Why a plugin was refused.
public enum PluginError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case cannotLoad(path: String, reason: String)
    case notAPlugin(path: String)
    case abiMismatch(path: String, plugin: String, host: String)
    case registrationFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "plugin \(path): cannot read: \(reason)"
        case .cannotLoad(let path, let reason):
            "plugin \(path): cannot load: \(reason)"
        case .notAPlugin(let path):
            "plugin \(path): not a Cockatrice plugin (no cockatrice_plugin_abi / cockatrice_plugin_register symbols)"
        case .abiMismatch(let path, let plugin, let host):
            "plugin \(path): built against Core ABI \(plugin.isEmpty ? "(none)" : plugin), but this cockatrice is \(host); rebuild the plugin against this build's SDK (make plugin-sdk)"
        case .registrationFailed(let path, let reason):
            "plugin \(path): registration failed: \(reason)"
        }
    }
}
