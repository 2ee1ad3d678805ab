import Core
import Testing

/// `.patchDocument` and `.deleteByQuery` as the state machine applies them: real-time reads,
/// deterministic refusals, and replay after a restart or a power loss.
@Suite struct NodeStateMachinePatchTests {
    static let schema = """
        schema:
          id: {field_type: id, args: {unique: true, stored: true}}
          title: {field_type: text, args: {stored: true}}
          year: {field_type: numeric, args: {stored: true}}
          tags: {field_type: keyword, args: {stored: true}}
          stamp: {field_type: datetime, args: {stored: true}}
          notes: {field_type: stored}
        default_search_field: title
        """

    /// The same but `title` is not stored: partial updates are refused.
    static let unstoredSchema = """
        schema:
          id: {field_type: id, args: {unique: true, stored: true}}
          title: {field_type: text}
        """

    func open(_ io: SimulatedFileIO) throws -> NodeStateMachine {
        try NodeStateMachine(root: "/data", fileIO: io, registry: try builtinRegistry(),
                             options: IndexWriterOptions(refreshInterval: nil, backgroundMerges: false))
    }

    static func config() throws -> IndexConfig {
        try IndexConfigLoader(registry: try builtinRegistry()).load(text: schema)
    }

    /// A document as the REST layer builds it from a JSON body.
    static func document(_ json: String, id: String? = nil) throws -> (id: String, document: Document) {
        let builder = DocumentBuilder(config: try config())
        return try Array(json.utf8).withUnsafeBufferPointer { bytes in try builder.build(json: bytes, id: id) }
    }

    static func put(_ json: String) throws -> NodeCommand {
        let (id, document) = try document(json)
        return .putDocuments(index: "books", documents: [IdentifiedDocument(id: id, document: document)])
    }

    static func patch(_ id: String, _ json: String) throws -> NodeCommand {
        .patchDocument(index: "books", id: id, fields: try document(json, id: id).document)
    }

    /// Stored fields of `id` as name -> JSON text (nil: absent).
    static func stored(_ machine: NodeStateMachine, _ id: String) throws -> [String: String]? {
        let index = try #require(machine.index(named: "books"))
        guard let fields = try index.writer.storedDocument(id: id) else { return nil }
        return Dictionary(fields.map { ($0.name, String(decoding: $0.value, as: UTF8.self)) }, uniquingKeysWith: { a, _ in a })
    }

    static func count(_ machine: NodeStateMachine, _ query: String) throws -> Int {
        let index = try #require(machine.index(named: "books"))
        try index.writer.refresh()
        let parsed = try QueryParser(config: index.config).parse(query)
        return try Searcher(snapshot: index.writer.snapshot(), config: index.config).count(parsed)
    }

    static func log() throws -> [NodeCommand] {
        [
            .createIndex(name: "books", indexID: "id-1", config: schema),
            try put(#"{"id": "1", "title": "Old Title", "year": 1999, "tags": ["a", "b"], "stamp": "20180704054100", "notes": {"x": 1.50}}"#),
            try put(#"{"id": "2", "title": "Second book", "year": 2005}"#),
            try patch("1", #"{"title": "New Title"}"#),
            try patch("1", #"{"year": 2001.0}"#),
            try patch("9", #"{"title": "nobody"}"#),
            .deleteByQuery(index: "books", query: "second", searchField: nil),
            .deleteByQuery(index: "books", query: "title:(", searchField: nil),
            try put(#"{"id": "3", "title": "Third"}"#),
        ]
    }

    static let expectedOutcomes: [NodeStateMachine.Outcome] = [
        .applied, .applied, .applied, .applied, .applied,
        .rejected("document '9' does not exist"),
        .deleted(1),
    ]

    /// The state the log leaves (checked without any refresh: real-time reads).
    static func checkFinalState(_ machine: NodeStateMachine) throws {
        let one = try #require(try stored(machine, "1"))
        #expect(one["title"] == #""New Title""#)
        #expect(one["year"] == "2001.0")  // as sent in the patch
        #expect(one["tags"] == #"["a", "b"]"#)  // rebuilt fields keep their exact JSON
        #expect(one["stamp"] == #""20180704054100""#)
        #expect(one["notes"] == #"{"x": 1.50}"#)
        #expect(one["id"] == #""1""#)
        #expect(try stored(machine, "2") == nil)
        #expect(try stored(machine, "3")?["title"] == #""Third""#)
    }

    @Test func appliesPatchesAndDeleteByQueryInLogOrder() throws {
        let machine = try open(SimulatedFileIO(seed: 11))
        let log = try Self.log()
        for (i, command) in log.enumerated() {
            let outcome = try machine.apply(command, at: UInt64(i + 1))
            if i < Self.expectedOutcomes.count { #expect(outcome == Self.expectedOutcomes[i], "entry \(i + 1)") }
            if i == 7 {
                guard case .rejected(let reason) = outcome else { Issue.record("bad query applied: \(outcome)"); continue }
                #expect(reason.hasPrefix("query: "))
            }
        }
        try Self.checkFinalState(machine)
        // The merged document is indexed as a put of it would be: new words, kept keywords,
        // the patched number, the rebuilt datetime.
        #expect(try Self.count(machine, "title:new") == 1)
        #expect(try Self.count(machine, "title:old") == 0)
        #expect(try Self.count(machine, "tags:a") == 1)
        #expect(try Self.count(machine, "year:[2000 TO 2002]") == 1)
        #expect(try Self.count(machine, "year:[1990 TO 1999]") == 0)
        #expect(try Self.count(machine, "stamp:[2018 TO 2018]") == 1)
        #expect(try Self.count(machine, "*") == 2)
    }

    @Test func replayAfterACleanRestartChangesNothing() throws {
        let io = SimulatedFileIO(seed: 12)
        let machine = try open(io)
        let log = try Self.log()
        for (i, command) in log.enumerated() { _ = try machine.apply(command, at: UInt64(i + 1)) }
        try machine.commitAll()
        machine.close()
        io.powerLoss()
        let reopened = try open(io)
        for (i, command) in log.enumerated() {
            #expect(try reopened.apply(command, at: UInt64(i + 1)) == .alreadyApplied)
        }
        try Self.checkFinalState(reopened)
        #expect(try Self.count(reopened, "*") == 2)
    }

    /// Power lost after a commit in the middle of the log: replaying the entries after the
    /// durable index gives the same outcomes and the same documents as a node that never
    /// crashed (what another replica holds).
    @Test func powerLossBeforeACommitThenReplay() throws {
        let io = SimulatedFileIO(seed: 13)
        let machine = try open(io)
        let log = try Self.log()
        var outcomes: [NodeStateMachine.Outcome] = []
        for (i, command) in log.enumerated() {
            outcomes.append(try machine.apply(command, at: UInt64(i + 1)))
            if i == 3 { try machine.commitAll() }  // durable up to the first patch
        }
        io.powerLoss()
        let reopened = try open(io)
        #expect(reopened.durableIndex == 4)
        #expect(try Self.stored(reopened, "1")?["title"] == #""New Title""#)
        #expect(try Self.stored(reopened, "1")?["year"] == "1999")
        for (i, command) in log.enumerated() {
            let logIndex = UInt64(i + 1)
            let outcome = try reopened.apply(command, at: logIndex)
            #expect(outcome == (logIndex <= 4 ? .alreadyApplied : outcomes[i]), "entry \(logIndex)")
        }
        try Self.checkFinalState(reopened)
        #expect(try Self.count(reopened, "*") == 2)
    }

    @Test func patchIsRefusedDeterministically() throws {
        let machine = try open(SimulatedFileIO(seed: 14))
        #expect(try machine.apply(.createIndex(name: "books", indexID: "a", config: Self.schema), at: 1) == .applied)
        #expect(try machine.apply(try Self.put(#"{"id": "1", "title": "One"}"#), at: 2) == .applied)
        // A patch naming another id, or a field the schema lacks (the REST layer checks both
        // first; replicas must still agree).
        let otherID = NodeCommand.patchDocument(index: "books", id: "1", fields: Document(fields: [
            .init(name: "id", values: [.text("2")], storedJSON: Array(#""2""#.utf8)),
        ]))
        guard case .rejected(let reason) = try machine.apply(otherID, at: 3) else { Issue.record("accepted"); return }
        #expect(reason.contains("differs"))
        let unknown = NodeCommand.patchDocument(index: "books", id: "1", fields: Document(fields: [.init(name: "nope", values: [.text("x")])]))
        #expect(try machine.apply(unknown, at: 4) == .rejected("field 'nope' is not in the schema"))
        #expect(try machine.apply(try Self.patch("7", #"{"title": "x"}"#), at: 5) == .rejected("document '7' does not exist"))
        // A deleted document does not exist either, refreshed or not.
        #expect(try machine.apply(.deleteDocuments(index: "books", ids: ["1"]), at: 6) == .applied)
        #expect(try machine.apply(try Self.patch("1", #"{"title": "x"}"#), at: 7) == .rejected("document '1' does not exist"))
        #expect(try machine.apply(try Self.patch("1", #"{"title": "x"}"#).withIndex("missing"), at: 8) == .rejected("index 'missing' does not exist"))

        // An index with a field that is not stored refuses every patch (API.md: 400).
        #expect(try machine.apply(.createIndex(name: "plain", indexID: "b", config: Self.unstoredSchema), at: 9) == .applied)
        let doc = Document(fields: [.init(name: "id", values: [.text("1")], storedJSON: Array(#""1""#.utf8)), .init(name: "title", values: [.text("t")])])
        #expect(try machine.apply(.putDocuments(index: "plain", documents: [IdentifiedDocument(id: "1", document: doc)]), at: 10) == .applied)
        let patch = NodeCommand.patchDocument(index: "plain", id: "1", fields: Document(fields: [.init(name: "title", values: [.text("u")])]))
        guard case .rejected(let why) = try machine.apply(patch, at: 11) else { Issue.record("accepted"); return }
        #expect(why.contains("not stored: title"))
    }

    @Test func deleteByQuerySeesBufferedDocumentsAndHonoursTheSearchField() throws {
        let machine = try open(SimulatedFileIO(seed: 15))
        #expect(try machine.apply(.createIndex(name: "books", indexID: "a", config: Self.schema), at: 1) == .applied)
        #expect(try machine.apply(try Self.put(#"{"id": "1", "title": "red apple", "tags": ["fruit"]}"#), at: 2) == .applied)
        let index = try #require(machine.index(named: "books"))
        try index.writer.refresh()
        #expect(try machine.apply(try Self.put(#"{"id": "2", "title": "red car", "tags": ["thing"]}"#), at: 3) == .applied)
        #expect(try machine.apply(try Self.put(#"{"id": "3", "title": "green apple", "tags": ["fruit"]}"#), at: 4) == .applied)
        // Unrefreshed document 2 and the refreshed 1 both match.
        #expect(try machine.apply(.deleteByQuery(index: "books", query: "red", searchField: nil), at: 5) == .deleted(2))
        #expect(try machine.apply(.deleteByQuery(index: "books", query: "red", searchField: nil), at: 6) == .deleted(0))
        #expect(try machine.apply(.deleteByQuery(index: "books", query: "fruit", searchField: "tags"), at: 7) == .deleted(1))
        #expect(try Self.stored(machine, "3") == nil)
        guard case .rejected(let reason) = try machine.apply(.deleteByQuery(index: "books", query: "x", searchField: "nope"), at: 8) else {
            Issue.record("unknown search field accepted"); return
        }
        #expect(reason.contains("nope"))
        #expect(try machine.apply(.deleteByQuery(index: "missing", query: "x", searchField: nil), at: 9) == .rejected("index 'missing' does not exist"))
    }
}

extension NodeCommand {
    /// The same patch aimed at another index (tests).
    func withIndex(_ name: String) -> NodeCommand {
        guard case .patchDocument(_, let id, let fields) = self else { return self }
        return .patchDocument(index: name, id: id, fields: fields)
    }
}
