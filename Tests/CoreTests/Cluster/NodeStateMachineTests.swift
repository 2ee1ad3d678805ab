import Core
import Testing

@Suite struct NodeStateMachineTests {
    static let schema = """
        schema:
          id: {field_type: id, args: {unique: true, stored: true}}
          body: {field_type: text, args: {stored: true}}
        """

    static func options() -> IndexWriterOptions {
        IndexWriterOptions(refreshInterval: nil, backgroundMerges: false)
    }

    static func put(_ index: String, _ ids: ClosedRange<Int>, text: String = "hello") -> NodeCommand {
        .putDocuments(index: index, documents: ids.map { i in
            IdentifiedDocument(id: "\(i)", document: Document(fields: [
                .init(name: "id", values: [.text("\(i)")], storedJSON: Array("\"\(i)\"".utf8)),
                .init(name: "body", values: [.text("\(text) \(i)")]),
            ]))
        })
    }

    func open(_ io: SimulatedFileIO) throws -> NodeStateMachine {
        try NodeStateMachine(root: "/data", fileIO: io, registry: try builtinRegistry(), options: Self.options())
    }

    func liveDocuments(_ machine: NodeStateMachine, _ name: String) throws -> Int {
        let index = try #require(machine.index(named: name))
        try index.writer.refresh()
        return index.writer.snapshot().numDocs
    }

    static let log: [NodeCommand] = [
        .createIndex(name: "books", indexID: "id-1", config: schema),
        put("books", 1...10),
        put("books", 5...12, text: "updated"),
        .deleteDocuments(index: "books", ids: ["1", "2", "missing"]),
    ]

    @Test func appliesCommandsInOrderAndSurvivesARestart() throws {
        let io = SimulatedFileIO(seed: 1)
        let machine = try open(io)
        for (i, command) in Self.log.enumerated() {
            #expect(try machine.apply(command, at: UInt64(i + 1)) == .applied)
        }
        #expect(try liveDocuments(machine, "books") == 10)  // 12 ids, 2 deleted, updates replace
        try machine.commitAll()
        #expect(machine.durableIndex == 4)
        machine.close()
        io.powerLoss()
        let reopened = try open(io)
        #expect(reopened.indexNames == ["books"])
        #expect(try liveDocuments(reopened, "books") == 10)
        // Replaying the log after a restart changes nothing.
        for (i, command) in Self.log.enumerated() {
            #expect(try reopened.apply(command, at: UInt64(i + 1)) == .alreadyApplied)
        }
        #expect(try liveDocuments(reopened, "books") == 10)
    }

    /// Power lost before the indices committed: the catalog change was durable at once, the
    /// documents come back by replaying the log after `durableIndex`.
    @Test func replayAfterPowerLossRestoresWhatWasNotCommitted() throws {
        let io = SimulatedFileIO(seed: 2)
        let machine = try open(io)
        for (i, command) in Self.log.enumerated() { _ = try machine.apply(command, at: UInt64(i + 1)) }
        io.powerLoss()
        let reopened = try open(io)
        #expect(reopened.indexNames == ["books"])
        #expect(reopened.durableIndex == 1)
        for (i, command) in Self.log.enumerated() where UInt64(i + 1) > reopened.durableIndex {
            #expect(try reopened.apply(command, at: UInt64(i + 1)) == .applied)
        }
        #expect(try liveDocuments(reopened, "books") == 10)
    }

    @Test func commandsWrongForTheStateAreRejectedTheSameWayEverywhere() throws {
        let io = SimulatedFileIO(seed: 3)
        let machine = try open(io)
        #expect(try machine.apply(Self.put("nope", 1...1), at: 1) == .rejected("index 'nope' does not exist"))
        #expect(try machine.apply(.deleteIndex(name: "nope"), at: 2) == .rejected("index 'nope' does not exist"))
        #expect(try machine.apply(.createIndex(name: "books", indexID: "a", config: Self.schema), at: 3) == .applied)
        #expect(try machine.apply(.createIndex(name: "books", indexID: "b", config: Self.schema), at: 4) == .rejected("index 'books' already exists"))
    }

    @Test func deletingAnIndexRemovesItsFilesAndTheNameCanBeReused() throws {
        let io = SimulatedFileIO(seed: 4)
        let machine = try open(io)
        _ = try machine.apply(.createIndex(name: "books", indexID: "id-1", config: Self.schema), at: 1)
        _ = try machine.apply(Self.put("books", 1...5), at: 2)
        try machine.commitAll()
        #expect(io.exists("/data/id-1"))
        #expect(try machine.apply(.deleteIndex(name: "books"), at: 3) == .applied)
        #expect(!io.exists("/data/id-1"))
        #expect(machine.index(named: "books") == nil)
        #expect(try machine.apply(.createIndex(name: "books", indexID: "id-2", config: Self.schema), at: 4) == .applied)
        #expect(try liveDocuments(machine, "books") == 0)
        io.powerLoss()
        let reopened = try open(io)
        #expect(reopened.index(named: "books")?.indexID == "id-2")
        #expect(!io.exists("/data/id-1"))
    }
}

extension NodeStateMachineTests {
    /// An index that holds more than the smallest piece (created after the last commit of the
    /// others) keeps its commit point when everything is committed at the smaller index after
    /// a reopen: a commit point never claims less than its index holds.
    @Test func aCommitNeverMovesAnIndexsCommitPointBack() throws {
        let io = SimulatedFileIO(seed: 3)
        let machine = try open(io)
        _ = try machine.apply(.createIndex(name: "books", indexID: "id-1", config: Self.schema), at: 1)
        _ = try machine.apply(Self.put("books", 1...3), at: 2)
        try machine.commitAll()
        _ = try machine.apply(.createIndex(name: "films", indexID: "id-2", config: Self.schema), at: 3)
        #expect(machine.index(named: "films")?.writer.lastCommit.lastAppliedLogIndex == 3)
        machine.close()
        let reopened = try open(io)
        #expect(reopened.appliedIndex == 2, "the smallest piece")
        try reopened.commitAll()
        #expect(reopened.index(named: "films")?.writer.lastCommit.lastAppliedLogIndex == 3)
        #expect(reopened.index(named: "books")?.writer.lastCommit.lastAppliedLogIndex == 2)
    }
}
