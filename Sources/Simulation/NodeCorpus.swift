import Core

/// The index the node-level simulation writes, and the documents and queries its clients
/// make: a small vocabulary, so that every search matches many documents and scores depend
/// on many of them.
struct NodeCorpus {
    static let schema = """
        schema:
          id: {field_type: id, args: {unique: true, stored: true}}
          body: {field_type: text, args: {stored: true}}
          tag: {field_type: keyword, args: {stored: true}}
          n: {field_type: numeric, args: {stored: true}}
        default_search_field: body
        """

    /// Words no analyzer stems or drops, so the model's whitespace split matches the index's.
    static let vocabulary = ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "indigo", "juniper", "kelp", "lumen"]
    static let tags = ["red", "green", "blue"]

    /// The fixed searches every node runs: single words and tags (the model evaluates them),
    /// and combinations (compared between nodes only).
    static let queries = ["amber", "cedar", "kelp", "tag:red", "tag:blue", "birch grove", "delta OR lumen", "ember NOT fjord"]

    let config: IndexConfig
    let builder: DocumentBuilder
    /// Distinct document ids the clients use.
    let documentCount: Int

    init(registry: Registry, documentCount: Int) throws {
        config = try IndexConfigLoader(registry: registry).load(text: Self.schema)
        builder = DocumentBuilder(config: config)
        self.documentCount = max(1, documentCount)
    }

    func id(_ n: Int) -> String { "d\(n)" }

    /// A document with `random` words of text (3 to 12), a tag and a number.
    func document(id: String, random: (Int) -> Int) throws -> IdentifiedDocument {
        let words = (0..<(3 + random(10))).map { _ in Self.vocabulary[random(Self.vocabulary.count)] }
        let json = "{\"id\": \"\(id)\", \"body\": \"\(words.joined(separator: " "))\", \"tag\": \"\(Self.tags[random(Self.tags.count)])\", \"n\": \(random(100))}"
        let built = try build(json, id: id)
        return IdentifiedDocument(id: built.id, document: built.document)
    }

    /// A patch of one field: a new tag, or a new text.
    func patch(id: String, random: (Int) -> Int) throws -> Document {
        let json: String
        if random(2) == 0 {
            json = "{\"tag\": \"\(Self.tags[random(Self.tags.count)])\"}"
        } else {
            let words = (0..<(2 + random(6))).map { _ in Self.vocabulary[random(Self.vocabulary.count)] }
            json = "{\"body\": \"\(words.joined(separator: " "))\"}"
        }
        return try build(json, id: id).document
    }

    private func build(_ json: String, id: String) throws -> (id: String, document: Document) {
        try Array(json.utf8).withUnsafeBufferPointer { bytes in try builder.build(json: bytes, id: id) }
    }
}
