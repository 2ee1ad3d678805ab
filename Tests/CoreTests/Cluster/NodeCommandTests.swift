import Core
import Testing

@Suite struct NodeCommandTests {
    static func sampleDocument(_ i: Int) -> IdentifiedDocument {
        IdentifiedDocument(id: "doc-\(i)", document: Document(fields: [
            .init(name: "id", values: [.text("doc-\(i)")], storedJSON: Array("\"doc-\(i)\"".utf8)),
            .init(name: "text", values: [.text("naïve café \(i)"), .text("second value")], storedJSON: Array("[\"x\"]".utf8)),
            .init(name: "n", values: [.int(-Int64(i)), .double(-0.5), .datetime(1_530_682_860_000_000), .bool(true)]),
            .init(name: "tags", values: [.keywords(["a", "b c", ""])]),
        ]))
    }

    static let commands: [NodeCommand] = [
        .createIndex(name: "books", indexID: "8f7c0e2a", config: "schema:\n  id: {field_type: id, args: {unique: true}}\n"),
        .deleteIndex(name: "books"),
        .putDocuments(index: "books", documents: (0..<5).map(sampleDocument)),
        .putDocuments(index: "books", documents: []),
        .patchDocument(index: "books", id: "doc-1", fields: sampleDocument(1).document),
        .deleteDocuments(index: "books", ids: ["1", "2", "ß"]),
        .deleteByQuery(index: "books", query: "title:(a OR b)", searchField: "text"),
        .deleteByQuery(index: "books", query: "*", searchField: nil),
        .optimize(index: "books", maxSegments: 1),
    ]

    @Test func everyCommandRoundTrips() throws {
        for command in Self.commands {
            #expect(try NodeCommand.decode(command.encoded(), source: "entry") == command)
        }
    }

    @Test func damagedEntriesAreErrorsNeverCrashes() throws {
        var rng = SplitMix64(seed: 9)
        var errors = 0
        for command in Self.commands {
            let bytes = command.encoded()
            for cut in 0..<bytes.count {
                #expect(throws: StoreError.self) { _ = try NodeCommand.decode(Array(bytes.prefix(cut)), source: "entry 7") }
            }
            for _ in 0..<200 {
                var damaged = bytes
                damaged[Int(rng.next() % UInt64(damaged.count))] = UInt8(truncatingIfNeeded: rng.next())
                do {
                    _ = try NodeCommand.decode(damaged, source: "entry 7")
                } catch {
                    errors += 1
                }
            }
        }
        #expect(errors > 0)
        #expect {
            _ = try NodeCommand.decode([9, 1], source: "raft entry 12")
        } throws: { error in
            "\(error)" == "raft entry 12: corrupt at offset 1: command format version 9, expected 1"
        }
    }

    @Test func bulkPutsAreSplitIntoEntriesOfAboutAMebibyte() throws {
        let big = String(repeating: "x", count: 100_000)
        let documents = (0..<30).map { i in
            IdentifiedDocument(id: "\(i)", document: Document(fields: [.init(name: "text", values: [.text(big)])]))
        }
        let batches = NodeCommand.putBatches(index: "books", documents: documents)
        #expect(batches.count == 3)
        var ids: [String] = []
        for batch in batches {
            #expect(batch.encoded().count <= NodeCommand.maxEntryBytes + 64)
            guard case .putDocuments(_, let docs) = batch else { Issue.record("not a put"); continue }
            ids += docs.map(\.id)
        }
        #expect(ids == (0..<30).map(String.init), "order is kept")
        // A document larger than the limit goes alone rather than being refused.
        let huge = IdentifiedDocument(id: "h", document: Document(fields: [.init(name: "text", values: [.text(String(repeating: "y", count: 2 << 20))])]))
        #expect(NodeCommand.putBatches(index: "books", documents: [documents[0], huge, documents[1]]).count == 3)
    }
}
