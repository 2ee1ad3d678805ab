import ArgumentParser
import Foundation

/// `cockatrice import`: bulk-load a JSON-lines file through the REST API.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bulk-load documents from a .jsonl or .jsonl.gz file through the REST API, with progress."
    )

    @Option(help: ArgumentHelp("Base URL of a node's REST API.", valueName: "http://host:port"))
    var url: String

    @Option(help: "The index to load into.")
    var index: String

    @Option(help: "Documents per bulk request.")
    var batch: Int = 1000

    @Argument(help: ArgumentHelp("The documents, one JSON object a line (.jsonl or .jsonl.gz).", valueName: "file"))
    var file: String

    mutating func validate() throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw ValidationError("--url: '\(url)' is not an http:// or https:// URL")
        }
        guard (1...100_000).contains(batch) else {
            throw ValidationError("--batch: must be from 1 to 100000, got \(batch)")
        }
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw ValidationError("<file>: cannot read '\(file)'")
        }
    }

    func run() async throws {
        throw NotAvailableYet(feature: "cockatrice import")
    }
}
