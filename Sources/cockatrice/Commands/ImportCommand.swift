import ArgumentParser
import Foundation

/// `cockatrice import`: bulk-load a JSON-lines file through the REST API.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bulk-load documents from a .jsonl or .jsonl.gz file through the REST API, with progress.",
        discussion: """
            Each line is one document (a JSON object with the index's id field). Documents are sent \
            in batches to PUT /indices/<index>/documents as NDJSON; a 503 (no leader yet, node \
            catching up) or a connection failure is retried with backoff; any other error stops the \
            import and names the batch's first line.
            """
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
        guard index.range(of: "^[a-z0-9][a-z0-9_-]{0,127}$", options: .regularExpression) != nil else {
            throw ValidationError("--index: '\(index)' is not a valid index name ([a-z0-9][a-z0-9_-]{0,127})")
        }
        guard (1...100_000).contains(batch) else {
            throw ValidationError("--batch: must be from 1 to 100000, got \(batch)")
        }
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw ValidationError("<file>: cannot read '\(file)'")
        }
    }

    func run() async throws {
        guard let baseURL = URL(string: url) else { throw ValidationError("--url: '\(url)' is not a URL") }
        let source = try LineSource(path: file)
        let uploader = BulkUploader(baseURL: baseURL, index: index)
        let progress = ImportProgress()
        var documents = 0
        var batches = 0
        var retries = 0
        var body = Data()
        var inBatch = 0
        var firstLine = 1
        do {
            while let line = try source.nextLine() {
                guard let first = line.first(where: { $0 != 32 && $0 != 9 }), first == UInt8(ascii: "{") else {
                    throw ImportError.badLine(line: source.lineNumber, reason: "not a JSON object")
                }
                if inBatch == 0 { firstLine = source.lineNumber }
                body.append(contentsOf: line)
                body.append(UInt8(ascii: "\n"))
                inBatch += 1
                if inBatch == batch {
                    retries += try await uploader.send(body, firstLine: firstLine)
                    documents += inBatch
                    batches += 1
                    body.removeAll(keepingCapacity: true)
                    inBatch = 0
                    progress.update(documents: documents, fraction: Double(source.bytesRead) / Double(max(source.fileSize, 1)))
                }
            }
            if inBatch > 0 {
                retries += try await uploader.send(body, firstLine: firstLine)
                documents += inBatch
                batches += 1
            }
        } catch let error as ImportError {
            printError("import: \(documents) documents were loaded before the failure")
            throw ImportFailure(message: "import: \(error)")
        }
        progress.finish(documents: documents, batches: batches, retries: retries)
    }
}

/// An import that stopped: printed as it is, exit status 1.
struct ImportFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
