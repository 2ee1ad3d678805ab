import Core

/// The built-in tokenizers, filters and analyzers.
public enum BuiltinAnalysis {
    /// Registers every built-in analysis component into `registry`, through the same public
    /// API a shared-library plugin uses.
    public static func register(into registry: Registry) throws {
    }
}
