import Foundation
import Testing
@testable import Core

/// An index written by an older format version still opens, searches exactly like the same
/// documents indexed now, takes new writes, and is rewritten in the current format by a merge.
///
/// `Fixtures/format-vN` is the first 1,000 documents of the corpus slice under the bench
/// schema, as `cockatrice-bench index --limit 1000 --ram-mb 1` wrote them in format version N,
/// two segments with full blocks: version 1 packs full postings blocks in `BitPacker`'s
/// sequential layout, version 2 in `LanePacker`'s lanes with variable-byte skip entries.
@Suite struct FormatCompatibilityTests {
    static func fixture(_ version: UInt16) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/format-v\(version)")
    }

    /// The format version in the header of every postings file of the index at `dir`.
    func postingsVersions(_ dir: String) throws -> Set<UInt16> {
        var versions: Set<UInt16> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasSuffix(".doc") {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            try #require(bytes.count > 6)
            versions.insert(UInt16(bytes[4]) | UInt16(bytes[5]) << 8)
        }
        return versions
    }

    func open(_ dir: String, config: IndexConfig, registry: Registry) throws -> IndexWriter {
        let codec = try registry.make(.codec, name: "lz4", args: ComponentArgs(path: "codec"), path: "codec")
        return try IndexWriter.open(directory: IndexDirectory(fileIO: LocalFileIO(), path: dir), config: config, codec: codec,
                                    codecs: CodecResolver(registry: registry),
                                    options: IndexWriterOptions(ramBudgetBytes: 256 << 10, refreshInterval: nil, backgroundMerges: false))
    }

    /// Every hit of `query`: stored id -> score.
    func hits(_ writer: IndexWriter, _ config: IndexConfig, _ query: Query) throws -> [String: Float] {
        let searcher = Searcher(snapshot: writer.snapshot(), config: config)
        let result = try searcher.search(SearchRequest(query: query, pageLen: 10_000, trackTotal: nil, fields: ["id"]))
        var byId: [String: Float] = [:]
        for hit in result.hits { byId[String(decoding: hit.fields.first?.value ?? [], as: UTF8.self)] = hit.score }
        #expect(byId.count == result.total)
        return byId
    }

    @Test(arguments: [1, 2] as [UInt16])
    func anOlderIndexSearchesLikeANewOneAndMergesIntoTheCurrentFormat(version: UInt16) throws {
        let registry = try builtinRegistry()
        let config = try IndexConfigLoader(registry: registry).load(text: Paths.text(Paths.shared.appendingPathComponent("bench/schema.yaml")))
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("format-v\(version)-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let old = root + "/old"
        try FileManager.default.copyItem(atPath: Self.fixture(version).path, toPath: old)
        #expect(try postingsVersions(old) == [version])
        #expect(version < FileHeader.formatVersion)

        let entries = Array(try CorpusSliceTests.load().prefix(1_000))
        let fresh = try open(root + "/new", config: config, registry: registry)
        defer { fresh.close() }
        for e in entries {
            var d = Document()
            d.add("id", .text(e.id))
            d.add("title", .text(e.title))
            d.add("text", .text(e.text))
            try fresh.add(d)
        }
        try fresh.commit()
        #expect(try postingsVersions(root + "/new") == [FileHeader.formatVersion])

        let writer = try open(old, config: config, registry: registry)
        defer { writer.close() }
        #expect(writer.snapshot().numDocs == 1_000)
        #expect(writer.snapshot().segments.count == 2)

        // Terms of every frequency, frequent ones spanning several full blocks.
        var byFrequency: [(term: String, df: Int32)] = []
        if let terms = writer.snapshot().segments[0].reader.terms("text") {
            var iterator = terms.makeIterator()
            while try iterator.next() { byFrequency.append((iterator.termString, iterator.info.docFreq)) }
        }
        let frequent = byFrequency.filter { $0.df >= 128 }.map(\.term)
        let other = byFrequency.filter { $0.df < 128 && $0.df > 2 }.map(\.term)
        try #require(frequent.count >= 5 && other.count > 50)
        var rng = SplitMix64(seed: 1)
        func pick(_ list: [String]) -> String { list[Int(rng.next() % UInt64(list.count))] }
        let analyzer = TestAnalyzer()
        var queries: [Query] = []
        for q in 0..<60 {
            let (a, b) = (pick(frequent), q % 2 == 0 ? pick(frequent) : pick(other))
            switch q % 3 {
            case 0: queries.append(.boolean(BooleanQuery(should: [.term(field: "title", text: a), .term(field: "text", text: b)])))
            case 1: queries.append(.boolean(BooleanQuery(must: [.term(field: "text", text: a), .term(field: "text", text: b)])))
            default:
                let tokens = analyzer.analyzedTokens(entries[Int(rng.next() % 1_000)].text).map(\.token)
                guard tokens.count >= 3 else { continue }
                let at = Int(rng.next() % UInt64(tokens.count - 2))
                queries.append(.phrase(PhraseQuery(field: "text", terms: Array(tokens[at..<at + 2]))))
            }
        }
        var expected: [[String: Float]] = []
        for query in queries { expected.append(try hits(fresh, config, query)) }
        #expect(expected.filter { $0.count > 100 }.count > 5)
        for (query, want) in zip(queries, expected) {
            #expect(try hits(writer, config, query) == want, "\(query)")
        }

        // New writes beside the old segments, then a merge rewrites everything in the current format.
        var extra = Document()
        extra.add("id", .text("extra"))
        extra.add("text", .text("\(frequent[0]) \(frequent[1])"))
        try writer.add(extra)
        try writer.delete(id: "extra")
        try writer.commit()
        try writer.forceMerge(maxSegments: 1)
        try writer.commit()
        #expect(writer.snapshot().segments.count == 1)
        #expect(try postingsVersions(old) == [FileHeader.formatVersion])
        for (query, want) in zip(queries, expected) {
            #expect(try hits(writer, config, query) == want, "after the merge: \(query)")
        }
    }
}
