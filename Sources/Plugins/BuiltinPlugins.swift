import Core

/// The built-in codecs (and, later, transports).
public enum BuiltinPlugins {
    public static func register(into registry: Registry) throws {
    }
}
