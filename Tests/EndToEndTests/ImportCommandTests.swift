import Foundation
import Testing

/// `cockatrice import` as a client: batching, gzip input, retries on 503, stopping on a refused
/// batch, progress and summary. The bulk endpoint is a small recording stand-in (the real
/// server's ingest is tested with the server).
@Suite(.serialized) struct ImportCommandTests {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("cockatrice-import-test-\(getpid())")

    /// Starts the stand-in server; returns its port and process (the caller terminates it).
    func startServer(_ options: [String], log: URL) throws -> (Int, Process) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Executables.repository.appendingPathComponent("Tests/EndToEndTests/Resources/bulk_stub_server.py").path,
                             "--log", log.path] + options
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let line = out.fileHandleForReading.readLine()
        guard let port = line.flatMap({ Int($0) }) else {
            process.terminate()
            throw ImportTestError(message: "the stand-in server did not start")
        }
        return (port, process)
    }

    struct ImportTestError: Error { var message: String }

    /// SIGKILL, not terminate(): children of the test runner inherit its blocked SIGTERM.
    func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func writeDocuments(_ count: Int, to file: URL, blankLines: Bool = false) throws {
        var text = ""
        for i in 1...count {
            text += #"{"id": "\#(i)", "title": "document \#(i)", "text": "naïve café \#(i)"}"# + "\n"
            if blankLines && i % 7 == 0 { text += "\n  \n" }
        }
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    func accepted(_ log: URL) throws -> [[String: Any]] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func gzipFileInBatchesWithRetriesOn503() async throws {
        let plain = work.appendingPathComponent("docs.jsonl")
        try writeDocuments(2500, to: plain)
        let gz = work.appendingPathComponent("docs.jsonl.gz")
        #expect(try await Executables.shell("gzip -c '\(plain.path)' > '\(gz.path)'").status == 0)
        let log = work.appendingPathComponent("gz.log")
        let (port, server) = try startServer(["--unavailable-first", "2"], log: log)
        defer { stop(server) }
        let result = try await Executables.cockatrice("import", "--url=http://127.0.0.1:\(port)", "--index=books", "--batch=1000", gz.path)
        #expect(result.status == 0, "\(result.stderr)")
        let batches = try accepted(log)
        #expect(batches.map { ($0["ids"] as? [String])?.count ?? 0 } == [1000, 1000, 500])
        let ids = batches.flatMap { $0["ids"] as? [String] ?? [] }
        #expect(ids == (1...2500).map(String.init), "every document exactly once, in order")
        #expect(batches.allSatisfy { $0["path"] as? String == "/indices/books/documents" && $0["content_type"] as? String == "application/x-ndjson" })
        #expect(result.stderr.contains("done: 2,500 documents in 3 batches"), "\(result.stderr)")
        #expect(result.stderr.contains("2 retries"), "\(result.stderr)")
    }

    /// A Retry-After that is not a sane number (NaN, infinite, negative) must not crash the client.
    @Test(arguments: ["nan", "inf", "-5"])
    func oddRetryAfterValuesAreClamped(value: String) async throws {
        let plain = work.appendingPathComponent("retry-\(value).jsonl")
        try writeDocuments(3, to: plain)
        let log = work.appendingPathComponent("retry-\(value).log")
        let (port, server) = try startServer(["--unavailable-first", "1", "--retry-after", value], log: log)
        defer { stop(server) }
        let result = try await Executables.cockatrice("import", "--url=http://127.0.0.1:\(port)", "--index=books", plain.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try accepted(log).count == 1)
    }

    @Test func plainFileWithBlankLinesAndASmallLastBatch() async throws {
        let plain = work.appendingPathComponent("blank.jsonl")
        try writeDocuments(23, to: plain, blankLines: true)
        let log = work.appendingPathComponent("blank.log")
        let (port, server) = try startServer([], log: log)
        defer { stop(server) }
        let result = try await Executables.cockatrice("import", "--url=http://127.0.0.1:\(port)/", "--index=books", "--batch=10", plain.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try accepted(log).map { ($0["ids"] as? [String])?.count ?? 0 } == [10, 10, 3])
    }

    @Test func aRefusedBatchStopsTheImportNamingItsFirstLine() async throws {
        let plain = work.appendingPathComponent("reject.jsonl")
        try writeDocuments(30, to: plain)
        let log = work.appendingPathComponent("reject.log")
        let (port, server) = try startServer(["--reject-id", "15"], log: log)
        defer { stop(server) }
        let result = try await Executables.cockatrice("import", "--url=http://127.0.0.1:\(port)", "--index=books", "--batch=10", plain.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("batch starting at line 11 (HTTP 400)"), "\(result.stderr)")
        #expect(result.stderr.contains("document '15': field 'x' is not in the schema"), "\(result.stderr)")
        #expect(result.stderr.contains("10 documents were loaded"), "\(result.stderr)")
        #expect(try accepted(log).count == 1)
    }

    @Test func aLineThatIsNotAnObjectIsNamed() async throws {
        let plain = work.appendingPathComponent("bad.jsonl")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try "{\"id\": \"1\"}\n[1, 2]\n".write(to: plain, atomically: true, encoding: .utf8)
        let log = work.appendingPathComponent("bad.log")
        let (port, server) = try startServer([], log: log)
        defer { stop(server) }
        let result = try await Executables.cockatrice("import", "--url=http://127.0.0.1:\(port)", "--index=books", plain.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("line 2: not a JSON object"), "\(result.stderr)")
        #expect(try accepted(log).isEmpty, "nothing is sent from a file with a bad line in the first batch")
    }
}

extension FileHandle {
    /// Reads one line (for a child's first line of output), without buffering past it.
    func readLine() -> String? {
        var bytes: [UInt8] = []
        while true {
            let data = readData(ofLength: 1)
            guard let byte = data.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
