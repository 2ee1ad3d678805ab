import ArgumentParser
import Core

/// `cockatrice plugins`: what is registered, per kind, as JSON.
struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "Print the registered tokenizers, filters, analyzers, codecs... per kind (JSON)."
    )

    @OptionGroup var pluginOptions: PluginOptions

    @Flag(name: .customLong("abi-id"), help: "Print only this build's Core ABI id (what `make plugin-sdk` records).")
    var abiID = false

    func run() async throws {
        if abiID {
            guard let id = CoreABI.hostID else {
                throw ValidationError("--abi-id: Core's module file is not beside this executable, so it has no ABI id")
            }
            print(id)
            return
        }
        let (registry, loaded) = try pluginOptions.makeRegistry()
        var output: [String: Any] = [:]
        for (kind, entries) in registry.listing() {
            output[kind] = entries.map { entry -> [String: Any] in
                ["name": entry.name, "aliases": entry.aliases, "provider": entry.provider, "summary": entry.summary]
            }
        }
        output["plugins"] = loaded.map { ["path": $0.path, "provider": $0.provider, "abi": $0.abi] }
        output["abi"] = CoreABI.hostID ?? "unknown"
        try printJSON(output)
    }
}
