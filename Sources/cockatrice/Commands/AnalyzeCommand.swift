import ArgumentParser
import Core
import Foundation

/// `cockatrice analyze`: show the tokens an analyzer produces, as the REST analyze endpoint does.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Print the tokens of TEXT as an analyzer of an index config produces them (JSON).",
        discussion: "Offsets count Unicode code points. With --analyzer and no --schema, the name is a built-in or plugin analyzer."
    )

    @Option(help: ArgumentHelp("The index config (schema) file, YAML or JSON.", valueName: "file"))
    var schema: String?

    @Option(help: "An analyzer of the schema's `analyzers` section, or a registered analyzer name.")
    var analyzer: String?

    @Option(help: "A field of the schema: use its analyzer.")
    var field: String?

    @Flag(help: "Analyze as a query would (some analyzers, such as n-grams, differ).")
    var query = false

    @OptionGroup var pluginOptions: PluginOptions

    @Argument(help: "The text to analyze.")
    var text: String

    mutating func validate() throws {
        guard (analyzer == nil) != (field == nil) else {
            throw ValidationError("give exactly one of --analyzer and --field")
        }
        if field != nil && schema == nil {
            throw ValidationError("--field: needs --schema")
        }
        if let schema, !FileManager.default.isReadableFile(atPath: schema) {
            throw ValidationError("--schema: cannot read '\(schema)'")
        }
    }

    func run() async throws {
        let (registry, _) = try pluginOptions.makeRegistry()
        let chosen: any Analyzer
        if let schema {
            let text = try String(contentsOfFile: schema, encoding: .utf8)
            let config: IndexConfig
            do {
                config = try IndexConfigLoader(registry: registry).load(text: text)
            } catch {
                throw ValidationError("--schema: \(schema): \(error)")
            }
            if let field {
                guard let fieldConfig = config.field(field) else {
                    throw ValidationError("--field: no field '\(field)' in \(schema); fields: \(config.fields.map(\.name).joined(separator: ", "))")
                }
                guard let fieldAnalyzer = fieldConfig.analyzer else {
                    throw ValidationError("--field: field '\(field)' is of type \(fieldConfig.type.rawValue), which is not analyzed")
                }
                chosen = fieldAnalyzer
            } else {
                chosen = try Self.named(analyzer ?? "", config: config, registry: registry)
            }
        } else {
            chosen = try Self.named(analyzer ?? "", config: nil, registry: registry)
        }
        let tokens = chosen.analyzedTokens(text, mode: query ? .query : .index)
        try printJSON(["tokens": tokens.map {
            ["token": $0.token, "position": $0.position, "start_offset": $0.startOffset, "end_offset": $0.endOffset] as [String: Any]
        }])
    }

    static func named(_ name: String, config: IndexConfig?, registry: Registry) throws -> any Analyzer {
        if let configured = config?.analyzers[name] { return configured }
        do {
            return try registry.make(.analyzer, name: name, args: ComponentArgs(path: "--analyzer"), path: "--analyzer")
        } catch let error as ConfigError {
            if case .unknownComponent(_, _, _, let known) = error {
                let all = (config?.analyzers.keys.sorted() ?? []) + known
                throw ValidationError("--analyzer: unknown analyzer '\(name)'; known: \(all.joined(separator: ", "))")
            }
            throw ValidationError("--analyzer: \(error)")
        }
    }
}
