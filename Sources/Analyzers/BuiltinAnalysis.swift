import Core

/// The built-in tokenizers, filters and analyzers.
public enum BuiltinAnalysis {
    /// Registers every built-in analysis component into `registry`, through the same public
    /// API a shared-library plugin uses, under short names and the original's Whoosh class
    /// names (`whoosh.analysis.StemmingAnalyzer`) so the original's schema files load.
    ///
    /// - Throws: `RegistryError.duplicate` if a name is already taken (registering twice).
    public static func register(into registry: Registry) throws {
        try TokenizerRegistration.register(into: registry)
        try FilterRegistration.register(into: registry)
        try AnalyzerRegistration.register(into: registry)
    }
}
