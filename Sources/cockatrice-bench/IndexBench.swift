import Analyzers
import ArgumentParser
import Core
import Foundation
import Plugins

/// `cockatrice-bench index`: builds an index of the corpus and prints one JSON object (see
/// ../shared/bench/README.md). Reading and parsing the corpus (gunzip, JSON) is not timed, as
/// the peers do not time it; building the `Document` values is not timed either. Timed: create
/// the index -> add every document -> commit -> wait for merges -> commit.
struct IndexBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "index", abstract: "Index the corpus; print docs/s, size, memory.")

    @Option(help: "The corpus (.jsonl or .jsonl.gz).")
    var corpus: String = "../shared/bench/corpus.jsonl.gz"

    @Option(help: "The index config (schema.yaml).")
    var schema: String = "../shared/bench/schema.yaml"

    @Option(name: .customLong("index-dir"), help: "Where to build the index (emptied first).")
    var indexDir: String = "/tmp/cockatrice-bench/index"

    @Option(help: "Indexing threads (only 1 is implemented).")
    var threads: Int = 1

    @Option(name: .customLong("ram-mb"), help: "The writer's RAM budget in MB.")
    var ramMB: Int = 128

    @Option(help: "Index only the first N documents (0: all).")
    var limit: Int = 0

    @Option(help: "The segment codec.")
    var codec: String = "lz4"

    @Option(name: .customLong("peer-results"), help: "A peer's index result JSON (e.g. tantivy_run1_index.json) to print ratios against.")
    var peerResults: String?

    @Flag(name: .customLong("crash-worker"), help: .hidden)
    var crashWorker = false

    func run() throws {
        if crashWorker { return try CrashWorker.run(indexDir: indexDir) }
        let registry = try makeBuiltinRegistry()
        let config = try IndexConfigLoader(registry: registry).load(text: String(contentsOfFile: schema, encoding: .utf8))
        let fieldNames = config.fields.map(\.name)
        log("reading \(corpus)")
        let documents = try CorpusDocuments.read(corpus, fields: fieldNames, limit: limit)
        let inputBytes = documents.textBytes
        log("\(documents.documents.count) documents, \(inputBytes / 1_000_000) MB of text")
        let segmentCodec = try registry.make(.codec, name: codec, args: ComponentArgs(path: "codec"), path: "codec")

        let fileIO = LocalFileIO()
        try fileIO.removeTree(indexDir)
        let directory = IndexDirectory(fileIO: fileIO, path: indexDir)
        let options = IndexWriterOptions(ramBudgetBytes: ramMB << 20, refreshInterval: nil)

        let start = DispatchTime.now().uptimeNanoseconds
        let writer = try IndexWriter.open(directory: directory, config: config, codec: segmentCodec, codecs: CodecResolver(registry: registry), options: options)
        for (i, document) in documents.documents.enumerated() {
            try writer.add(document)
            if i % 50_000 == 49_999 { log("\(i + 1) documents") }
        }
        try writer.commit()
        writer.waitForMerges()
        try writer.commit()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let segments = writer.snapshot().segments.count
        writer.close()

        var indexBytes = 0
        for name in try fileIO.listDirectory(indexDir) { indexBytes += try fileIO.fileSize(indexDir + "/" + name) }
        let result: [String: Any] = [
            "engine": "cockatrice",
            "docs": documents.documents.count,
            "index_seconds": (seconds * 1000).rounded() / 1000,
            "docs_per_s": (Double(documents.documents.count) / seconds).rounded(),
            "mb_per_s": (Double(inputBytes) / 1e6 / seconds * 10).rounded() / 10,
            "index_bytes": indexBytes,
            "segments": segments,
            "vm_hwm_kb": Self.peakMemoryKB(),
            "ram_budget_mb": ramMB,
            "codec": codec,
            "timed": "create -> add all -> commit -> wait for merges -> commit (corpus reading and JSON parsing excluded)",
        ]
        var output = result
        if let peerResults, let data = FileManager.default.contents(atPath: peerResults),
           let peer = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
            let docsPerSecond = Double(documents.documents.count) / seconds
            if let peerRate = (peer["docs_per_s"] as? NSNumber)?.doubleValue, peerRate > 0 {
                output["ratio_docs_per_s"] = (docsPerSecond / peerRate * 100).rounded() / 100
            }
            if let peerBytes = (peer["index_bytes"] as? NSNumber)?.doubleValue, peerBytes > 0 {
                output["ratio_index_bytes"] = (Double(indexBytes) / peerBytes * 100).rounded() / 100
            }
            if let peerMemory = (peer["vm_hwm_kb"] as? NSNumber)?.doubleValue, peerMemory > 0 {
                output["ratio_vm_hwm"] = (Double(Self.peakMemoryKB()) / peerMemory * 100).rounded() / 100
            }
            output["peer"] = peer["engine"] ?? "peer"
            log("ratios to \(output["peer"] ?? "peer"): docs/s x\(output["ratio_docs_per_s"] ?? "?"), index bytes x\(output["ratio_index_bytes"] ?? "?")")
        }
        let json = try JSONSerialization.data(withJSONObject: output, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("index: \(message)\n".utf8))
    }

    /// VmHWM of this process, in kB.
    static func peakMemoryKB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }
}

/// The corpus as `Document`s with only the fields the index config names (string values).
struct CorpusDocuments {
    var documents: [Document] = []
    /// UTF-8 bytes of the text values (what mb_per_s counts).
    var textBytes = 0

    static func read(_ path: String, fields: [String], limit: Int) throws -> CorpusDocuments {
        let raw = try CorpusFile.read(path)
        var result = CorpusDocuments()
        for line in raw.split(separator: UInt8(ascii: "\n")) {
            if limit > 0 && result.documents.count >= limit { break }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            var document = Document()
            for name in fields {
                guard let value = object[name] as? String else { continue }
                document.add(name, .text(value))
                if name != "id" { result.textBytes += value.utf8.count }
            }
            result.documents.append(document)
        }
        return result
    }
}

/// The process the SIGKILL crash tests (Tests/CoreTests/Index/CrashProcessTests.swift) kill:
/// indexes batches of 40 documents (`b<batch>-<k>`) into `--index-dir`, force-merging every
/// seventh batch and merging in the background, commits each batch with its number as the
/// last applied log index, and prints `committed <batch>` once `commit` returned. Restarted on
/// the same directory it continues after the last commit.
enum CrashWorker {
    static func run(indexDir: String) throws {
        let registry = try makeBuiltinRegistry()
        let analyzer = try registry.make(.analyzer, name: "simple", args: ComponentArgs(path: "simple"), path: "simple")
        let config = IndexConfig(fields: [
            FieldConfig(name: "id", type: .id, stored: true, unique: true),
            FieldConfig(name: "body", type: .text, positions: true, scorable: true, analyzer: analyzer),
        ], idField: "id", defaultSearchField: "body")
        let options = IndexWriterOptions(ramBudgetBytes: 16 << 10, refreshInterval: nil,
                                         mergePolicy: TieredMergePolicy(segmentsPerTier: 3, maxMergeAtOnce: 3, floorSegmentBytes: 4096))
        let writer = try IndexWriter.open(directory: IndexDirectory(fileIO: LocalFileIO(), path: indexDir), config: config,
                                          codec: NoneCodec(), codecs: CodecResolver(registry: registry), options: options)
        var batch = Int(writer.lastCommit.lastAppliedLogIndex) + 1
        var rng = SplitMix64(seed: UInt64(batch))
        let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
        while true {
            for k in 0..<40 {
                let body = (0..<20).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
                var document = Document()
                document.add("id", .text("b\(batch)-\(k)"))
                document.add("body", .text(body))
                try writer.add(document)
            }
            if batch % 7 == 0 { try writer.forceMerge(maxSegments: 2) }
            try writer.commit(lastAppliedLogIndex: UInt64(batch))
            FileHandle.standardOutput.write(Data("committed \(batch)\n".utf8))
            batch += 1
        }
    }
}
