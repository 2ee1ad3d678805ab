import Analyzers
import Core
import Plugins

/// A registry with every built-in component, as the server builds it.
func builtinRegistry() throws -> Registry {
    let registry = Registry()
    try BuiltinAnalysis.register(into: registry)
    try BuiltinPlugins.register(into: registry)
    try BuiltinWeightings.register(into: registry)
    return registry
}
