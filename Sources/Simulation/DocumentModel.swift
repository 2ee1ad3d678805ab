import Core

/// What the index must hold after a prefix of the committed log, computed without the engine:
/// the reference the nodes' indices are checked against (tantivy's proptest model).
///
/// Documents are field name -> stored JSON text, the way the client sent them. The rules are
/// the state machine's as documented: commands on a missing index are refused; a put replaces;
/// a patch of a missing document is refused, else replaces the fields it names; a delete by
/// query removes what the query matches at that point of the log.
struct DocumentModel: Equatable {
    var indexExists = false
    var documents: [String: [String: String]] = [:]
    /// For each id, the log index of the last command that put, patched or deleted it.
    var lastTouched: [String: UInt64] = [:]

    /// Applies the command of committed entry `index` (`NodeWorkload.indexName` only).
    mutating func apply(_ command: NodeCommand, at index: UInt64) {
        switch command {
        case .createIndex(let name, _, _):
            if name == NodeWorkload.indexName { indexExists = true }
        case .deleteIndex(let name):
            if name == NodeWorkload.indexName {
                indexExists = false
                documents = [:]
            }
        case .putDocuments(let name, let puts):
            guard indexExists, name == NodeWorkload.indexName else { return }
            for put in puts {
                documents[put.id] = Self.storedFields(put.document)
                lastTouched[put.id] = index
            }
        case .patchDocument(let name, let id, let fields):
            guard indexExists, name == NodeWorkload.indexName, var document = documents[id] else { return }
            for (field, json) in Self.storedFields(fields) { document[field] = json }
            documents[id] = document
            lastTouched[id] = index
        case .deleteDocuments(let name, let ids):
            guard indexExists, name == NodeWorkload.indexName else { return }
            for id in ids where documents[id] != nil {
                documents[id] = nil
                lastTouched[id] = index
            }
        case .deleteByQuery(let name, let query, _):
            guard indexExists, name == NodeWorkload.indexName else { return }
            for id in matches(query) {
                documents[id] = nil
                lastTouched[id] = index
            }
        case .optimize:
            break
        }
    }

    /// The ids a query of the simple forms the simulation sends matches: `word` (in `body`) or
    /// `tag:value`, sorted; nil for a query the model cannot evaluate.
    func matchesIfKnown(_ query: String) -> [String]? {
        if query.hasPrefix("tag:") {
            let tag = "\"" + query.dropFirst(4) + "\""
            return documents.keys.filter { documents[$0]?["tag"] == tag }.sorted()
        }
        guard !query.contains(" "), !query.contains(":") else { return nil }
        return documents.keys.filter { id in
            guard let body = documents[id]?["body"] else { return false }
            return Self.words(ofJSONString: body).contains(query)
        }.sorted()
    }

    private func matches(_ query: String) -> [String] { matchesIfKnown(query) ?? [] }

    /// The stored fields of a document as name -> JSON text.
    static func storedFields(_ document: Document) -> [String: String] {
        var fields: [String: String] = [:]
        for field in document.fields {
            guard let json = field.storedJSON else { continue }
            fields[field.name] = String(decoding: json, as: UTF8.self)
        }
        return fields
    }

    /// The words of a JSON string literal of lowercase words separated by spaces.
    static func words(ofJSONString json: String) -> Set<String> {
        Set(json.trimmingCharacters(in: "\"").split(separator: " ").map(String.init))
    }
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return String(text)
    }
}
