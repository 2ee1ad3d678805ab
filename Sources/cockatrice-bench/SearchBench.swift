import ArgumentParser
import Core
import Foundation

/// `cockatrice-bench search`: runs ../shared/bench/queries.jsonl against an index that
/// `cockatrice-bench index` built and prints one JSON object (see ../shared/bench/README.md).
///
/// As the peers' driver does: a warm-up pass, a timed pass of top-k with the stored `id` of
/// every hit (each query's time covers parsing the query string with the real parser, the
/// search and loading the ids), and a separate timed pass that counts the exact hits.
struct SearchBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Run the benchmark queries; print latency per class.")

    @Option(name: .customLong("index-dir"), help: "The index `cockatrice-bench index` built.")
    var indexDir: String = "/tmp/cockatrice-bench/index"

    @Option(help: "The queries (JSON lines with qid, class, query).")
    var queries: String = "../shared/bench/queries.jsonl"

    @Option(help: "The index config the index was built with (default: schema.yaml next to the queries).")
    var schema: String?

    @Option(name: .customLong("top-k"), help: "Hits per query in the timed pass.")
    var topK: Int = 10

    @Option(help: "Write {qid: {class, hits, top10: [[id, score], ...]}} here.")
    var out: String?

    @Option(help: "Timed passes; each query's latency is its fastest pass (for comparing builds on a noisy machine; the peers run one).")
    var repeats: Int = 1

    @Option(help: "Write {qid: milliseconds} (each query's timed latency) here, to compare query by query with a peer.")
    var latencies: String?

    @Flag(name: .customLong("cpu-time"), help: "Time each query by the thread's CPU clock rather than the wall clock (ignores time other processes take from this one).")
    var cpuTime = false

    func run() throws {
        let registry = try makeBuiltinRegistry()
        let schemaPath = schema ?? (URL(fileURLWithPath: queries).deletingLastPathComponent().appendingPathComponent("schema.yaml").path)
        let config = try IndexConfigLoader(registry: registry).load(text: String(contentsOfFile: schemaPath, encoding: .utf8))
        let weightings = try FieldWeightings.resolve(config: config, registry: registry)
        let parser = try QueryParser(config: config)
        let lines = try BenchQuery.load(queries)
        log("\(lines.count) queries")

        let openStart = DispatchTime.now().uptimeNanoseconds
        let codec = try registry.make(.codec, name: "lz4", args: ComponentArgs(path: "codec"), path: "codec")
        let writer = try IndexWriter.open(directory: IndexDirectory(fileIO: LocalFileIO(), path: indexDir), config: config, codec: codec,
                                          codecs: CodecResolver(registry: registry),
                                          options: IndexWriterOptions(refreshInterval: nil, backgroundMerges: false))
        defer { writer.close() }
        let searcher = Searcher(snapshot: writer.snapshot(), config: config, storedFields: StoredFieldsCache())
        let openSeconds = Double(DispatchTime.now().uptimeNanoseconds - openStart) / 1e9
        log("opened \(searcher.snapshot.segments.count) segments, \(searcher.snapshot.numDocs) documents in \(openSeconds) s")

        func topHits(_ q: BenchQuery) throws -> [(String, Float)] {
            let query = try parser.parse(q.query)
            let request = SearchRequest(query: query, pageLen: topK, trackTotal: topK, fields: [config.idField], weightings: weightings)
            return try searcher.search(request).hits.map { hit in
                let id = hit.fields.first.map { String(decoding: $0.value, as: UTF8.self) } ?? ""
                return (Self.unquote(id), hit.score)
            }
        }

        for q in lines { _ = try topHits(q) }  // warm-up
        var latency: [String: Double] = [:]
        var top: [String: [(String, Float)]] = [:]
        let wallStart = DispatchTime.now().uptimeNanoseconds
        let cpuTime = self.cpuTime
        func now() -> UInt64 {
            guard cpuTime else { return DispatchTime.now().uptimeNanoseconds }
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
        }
        for _ in 0..<max(repeats, 1) {
            for q in lines {
                let a = now()
                let hits = try topHits(q)
                let ms = Double(now() - a) / 1e6
                latency[q.qid] = min(latency[q.qid] ?? .infinity, ms)
                top[q.qid] = hits
            }
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9 / Double(max(repeats, 1))
        for (qid, ms) in latency.sorted(by: { $0.value > $1.value }).prefix(5) {
            log(String(format: "slowest: %@ %.3f ms %@", qid, ms, lines.first { $0.qid == qid }?.query ?? ""))
        }
        var counts: [String: Int] = [:]
        var countLatency: [String: Double] = [:]
        for q in lines {
            let a = DispatchTime.now().uptimeNanoseconds
            counts[q.qid] = try searcher.count(try parser.parse(q.query), weightings: weightings)
            countLatency[q.qid] = Double(DispatchTime.now().uptimeNanoseconds - a) / 1e6
        }

        var perClass: [String: Any] = [:]
        for cls in BenchQuery.classes + ["all"] {
            let qs = lines.filter { cls == "all" || $0.cls == cls }
            guard !qs.isEmpty else { continue }
            let v = qs.compactMap { latency[$0.qid] }.sorted()
            let cv = qs.compactMap { countLatency[$0.qid] }.sorted()
            let sum = v.reduce(0, +)
            let hits = Double(qs.reduce(0) { $0 + (counts[$1.qid] ?? 0) })
            var row: [String: Any] = ["n": qs.count]
            row["p50_ms"] = Self.round(Self.percentile(v, 50))
            row["p99_ms"] = Self.round(Self.percentile(v, 99))
            row["mean_ms"] = Self.round(sum / Double(v.count))
            row["qps"] = (Double(v.count) / (sum / 1e3) * 10).rounded() / 10
            row["count_p50_ms"] = Self.round(Self.percentile(cv, 50))
            row["count_p99_ms"] = Self.round(Self.percentile(cv, 99))
            row["mean_hits"] = (hits / Double(qs.count) * 10).rounded() / 10
            row["zero_hit_queries"] = qs.filter { counts[$0.qid] == 0 }.count
            perClass[cls] = row
        }
        let result: [String: Any] = [
            "engine": "cockatrice", "per_class": perClass, "top10_qps_wall": (Double(lines.count) / wall * 10).rounded() / 10,
            "open_seconds": Self.round(openSeconds), "segments": searcher.snapshot.segments.count, "vm_hwm_kb": IndexBench.peakMemoryKB(),
        ]
        if let latencies {
            try JSONSerialization.data(withJSONObject: latency, options: [.sortedKeys]).write(to: URL(fileURLWithPath: latencies))
        }
        if let out {
            var perQuery: [String: Any] = [:]
            for q in lines {
                perQuery[q.qid] = ["class": q.cls, "hits": counts[q.qid] ?? 0,
                                   "top10": (top[q.qid] ?? []).map { [$0.0, (Double($0.1) * 1e5).rounded() / 1e5] as [Any] }]
            }
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: out).deletingLastPathComponent().path, withIntermediateDirectories: true)
            try JSONSerialization.data(withJSONObject: perQuery, options: [.sortedKeys]).write(to: URL(fileURLWithPath: out))
        }
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    }

    /// The peers' percentile (common.py `pct`): nearest rank, rounded half up.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let k = max(0, min(sorted.count - 1, Int((p / 100 * Double(sorted.count) + 0.5).rounded()) - 1))
        return sorted[k]
    }

    static func round(_ x: Double) -> Double { (x * 1e4).rounded() / 1e4 }

    /// A stored JSON string value without its quotes. A string with no escapes (every id of
    /// the bench corpus) is its bytes between the quotes; others go through the JSON parser.
    static func unquote(_ json: String) -> String {
        let utf8 = json.utf8
        if utf8.count >= 2, utf8.first == UInt8(ascii: "\""), utf8.last == UInt8(ascii: "\""),
           !utf8.dropFirst().dropLast().contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 < 0x20 }) {
            return String(decoding: utf8.dropFirst().dropLast(), as: UTF8.self)
        }
        guard let data = json.data(using: .utf8), let s = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? String else {
            return json
        }
        return s
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("search: \(message)\n".utf8))
    }
}

/// One line of queries.jsonl.
struct BenchQuery {
    var qid: String
    var cls: String
    var query: String

    static let classes = ["term_frequent", "term_rare", "and2", "or2", "phrase"]

    static func load(_ path: String) throws -> [BenchQuery] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var result: [BenchQuery] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let qid = object["qid"] as? String, let query = object["query"] as? String else {
                throw ValidationError("--queries: a line without qid and query: \(line.prefix(80))")
            }
            result.append(BenchQuery(qid: qid, cls: object["class"] as? String ?? "all", query: query))
        }
        return result
    }
}
