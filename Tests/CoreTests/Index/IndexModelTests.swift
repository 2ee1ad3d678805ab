import Testing
@testable import Core

/// Random sequences of add / update / delete / delete-by-query / refresh / commit / merge /
/// reopen, checked against a plain in-memory model (documents by id, and term -> ids).
@Suite struct IndexModelTests {
    typealias Model = [String: String]  // id -> body

    static func check(_ writer: IndexWriter, _ model: Model, _ context: String) throws {
        let snapshot = writer.snapshot()
        #expect(snapshot.numDocs == model.count, "\(context): numDocs")
        #expect(try TestIndex.liveIds(snapshot) == Set(model.keys), "\(context): ids")
        for word in ["alpha", "beta", "gamma", "omega"] {
            let expected = Set(model.filter { $0.value.split(separator: " ").contains(Substring(word)) }.keys)
            #expect(try TestIndex.search(snapshot, field: "body", term: word) == expected, "\(context): term \(word)")
        }
        for id in model.keys.prefix(5) {
            #expect(try TestIndex.search(snapshot, field: "id", term: id) == [id], "\(context): id \(id)")
        }
    }

    @Test(arguments: 0..<24) func randomOperationsMatchTheModel(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9 &+ 1)
        let io = SimulatedFileIO(seed: UInt64(seed))
        let background = seed % 3 == 0
        let options = TestIndex.options(ram: seed % 2 == 0 ? 16 << 10 : 64 << 20, merges: background)
        var writer = try TestIndex.open(io, codec: seed % 4 == 1 ? RunLengthCodec() : IdentityCodec(), options: options)
        var model: Model = [:]
        var committed: Model = [:]
        var nextId = 0
        for step in 0..<150 {
            let roll = rng.next() % 100
            let context = "seed \(seed) step \(step)"
            switch roll {
            case 0..<45:
                let id = "d\(nextId)"
                nextId += 1
                let body = TestIndex.randomText(&rng, words: Int(rng.next() % 12) + 1)
                try writer.add(TestIndex.document(id: id, title: "t", body: body, year: Int64(step)))
                model[id] = body
            case 45..<60:
                let id = model.isEmpty || rng.next() % 4 == 0 ? "d\(nextId)" : model.keys.sorted()[Int(rng.next() % UInt64(model.count))]
                if id == "d\(nextId)" { nextId += 1 }
                let body = TestIndex.randomText(&rng, words: Int(rng.next() % 12) + 1)
                try writer.update(TestIndex.document(id: id, title: "t", body: body))
                model[id] = body
            case 60..<70:
                guard !model.isEmpty else { continue }
                let id = model.keys.sorted()[Int(rng.next() % UInt64(model.count))]
                #expect(try writer.delete(id: id) == 1, "\(context): delete \(id)")
                model[id] = nil
            case 70..<73:
                let word = TestIndex.words[Int(rng.next() % 6)]
                let n = try writer.delete { reader, _ in
                    guard var p = try reader.postings("body", term: Array(word.utf8)) else { return [] }
                    var docs: [Int32] = []
                    while try p.next() != PostingsIterator.noMoreDocs { docs.append(p.doc) }
                    return docs
                }
                let victims = model.filter { $0.value.split(separator: " ").contains(Substring(word)) }.keys
                #expect(n == victims.count, "\(context): delete by query \(word)")
                for v in victims { model[v] = nil }
            case 73..<83:
                try writer.refresh()
                try Self.check(writer, model, context + " after refresh")
            case 83..<90:
                try writer.commit(lastAppliedLogIndex: UInt64(step))
                committed = model
                try Self.check(writer, model, context + " after commit")
            case 90..<94:
                try writer.forceMerge(maxSegments: Int(rng.next() % 3) + 1)
                try Self.check(writer, model, context + " after force merge")
            default:
                writer.close()
                writer = try TestIndex.open(io, options: options)
                model = committed
                try Self.check(writer, model, context + " after reopen")
            }
        }
        try writer.commit()
        writer.waitForMerges()
        try writer.refresh()
        try Self.check(writer, model, "seed \(seed) end")
        #expect(writer.lastMergeError == nil)
        writer.close()
        let reopened = try TestIndex.open(io, options: options)
        try Self.check(reopened, model, "seed \(seed) final reopen")
        reopened.close()
    }
}
