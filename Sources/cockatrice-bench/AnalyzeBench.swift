import Analyzers
import ArgumentParser
import Core
import Foundation

/// `cockatrice-bench analyze`: analysis throughput in MB/s of UTF-8 input, per analyzer, over
/// the title and text of every corpus document, single-threaded, reusing one token stream as
/// the index writer does. Reading and parsing the corpus is not timed.
struct AnalyzeBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analyze", abstract: "MB/s of the analyzers on the corpus text.")

    @Option(help: "The corpus (.jsonl or .jsonl.gz).")
    var corpus: String = "../shared/bench/corpus.jsonl.gz"

    @Option(help: "The bench index config; its `plain` analyzer is measured.")
    var schema: String = "../shared/bench/schema.yaml"

    @Option(help: "Timed passes per analyzer (the best is reported).")
    var passes: Int = 3

    @Option(help: "Measure only these analyzers (regex, simple, standard, stemming, plain).")
    var only: [String] = []

    func run() throws {
        let values = try CorpusValues.read(corpus)
        let registry = try makeBuiltinRegistry()
        var analyzers: [(String, any Analyzer)] = []
        for name in ["regex", "simple", "standard", "stemming"] {
            analyzers.append((name, try registry.make(.analyzer, name: name, args: ComponentArgs(path: "analyzers.\(name).args"), path: name)))
        }
        let (plain, plainSource) = try benchSchemaAnalyzer(registry: registry)
        analyzers.append(("plain", plain))

        var results: [String: Any] = [
            "engine": "cockatrice", "input_bytes": values.bytes.count, "values": values.count, "passes": passes,
            "plain_from": plainSource,
        ]
        for (name, analyzer) in analyzers where only.isEmpty || only.contains(name) {
            var stream = TokenStream()
            var tokens = 0
            var best = Double.infinity
            var bestCPU = Double.infinity
            for pass in 0...passes {  // pass 0 warms up
                tokens = 0
                let start = DispatchTime.now().uptimeNanoseconds
                let startCPU = Self.threadCPUSeconds()
                values.bytes.withUnsafeBufferPointer { all in
                    for i in 0..<values.count {
                        stream.analyze(UnsafeBufferPointer(rebasing: all[values.starts[i]..<values.starts[i + 1]]), with: analyzer)
                        tokens += stream.tokens.count
                    }
                }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                let cpuSeconds = Self.threadCPUSeconds() - startCPU
                if pass > 0 {
                    best = min(best, seconds)
                    bestCPU = min(bestCPU, cpuSeconds)
                }
            }
            let megabytes = Double(values.bytes.count) / 1_000_000
            results[name] = [
                "mb_per_s": (megabytes / best * 10).rounded() / 10,
                // Per second of this thread's CPU time: comparable when other work shares the cores.
                "cpu_mb_per_s": (megabytes / bestCPU * 10).rounded() / 10,
                "tokens": tokens, "seconds": (best * 1000).rounded() / 1000,
            ]
        }
        let json = try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    /// CPU time of the calling thread.
    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The bench schema's `plain` analyzer through the config loader, or, if the loader cannot
    /// give it, the same chain built from the registry (regex `[^\W_]+` + lowercase).
    private func benchSchemaAnalyzer(registry: Registry) throws -> (any Analyzer, String) {
        if let text = try? String(contentsOfFile: schema, encoding: .utf8),
           let config = try? IndexConfigLoader(registry: registry).load(text: text),
           let plain = config.analyzers["plain"] {
            return (plain, "schema")
        }
        FileHandle.standardError.write(Data("analyze: \(schema) did not load; building `plain` from the registry\n".utf8))
        var args = ConfigMap()
        args.set("expression", .string(#"[^\W_]+"#))
        let tokenizer = try registry.make(.tokenizer, name: "regex", args: ComponentArgs(args, path: "tokenizers.words.args"), path: "words")
        let lowercase = try registry.make(.filter, name: "lowercase", args: ComponentArgs(path: "filters.lowercase.args"), path: "lowercase")
        return (ChainAnalyzer(tokenizer: tokenizer, filters: [lowercase]), "registry")
    }
}

/// The title and text of every corpus document as UTF-8 values in one buffer.
struct CorpusValues {
    var bytes: [UInt8] = []
    /// Value i is `bytes[starts[i]..<starts[i + 1]]`.
    var starts: [Int] = [0]
    var count: Int { starts.count - 1 }

    static func read(_ path: String) throws -> CorpusValues {
        let corpus = try CorpusDocuments.read(path, fields: ["title", "text"], limit: 0)
        var values = CorpusValues()
        for document in corpus.documents {
            for key in ["title", "text"] {
                guard let value = document.text(key) else { continue }
                values.bytes.append(contentsOf: value.utf8)
                values.starts.append(values.bytes.count)
            }
        }
        return values
    }
}
