import ArgumentParser
import Analyzers
import Core
import Foundation
import Plugins

/// `--plugin=PATH` (repeatable), shared by every command that builds a registry.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugin"), help: ArgumentHelp("Path of a plugin shared library to load (repeatable).", valueName: "path"))
    var plugins: [String] = []

    mutating func validate() throws {
        for path in plugins {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ValidationError("--plugin: cannot read '\(path)'")
            }
        }
    }

    /// A registry with the built-ins and the requested plugins.
    func makeRegistry() throws -> (Registry, [PluginLoader.Loaded]) {
        let registry = Registry()
        try BuiltinAnalysis.register(into: registry)
        try BuiltinPlugins.register(into: registry)
        try BuiltinWeightings.register(into: registry)
        var loaded: [PluginLoader.Loaded] = []
        for path in plugins {
            do {
                loaded.append(try PluginLoader.load(path: path, into: registry))
            } catch {
                throw ValidationError("--plugin: \(error)")
            }
        }
        return (registry, loaded)
    }
}
