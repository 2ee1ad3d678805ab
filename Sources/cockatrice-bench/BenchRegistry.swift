import Analyzers
import Core
import Plugins

/// Every built-in component, registered as the server registers them: analysis, codecs and
/// weightings (index configs resolve their weighting at load).
func makeBuiltinRegistry() throws -> Registry {
    let registry = Registry()
    try BuiltinAnalysis.register(into: registry)
    try BuiltinPlugins.register(into: registry)
    try BuiltinWeightings.register(into: registry)
    return registry
}
