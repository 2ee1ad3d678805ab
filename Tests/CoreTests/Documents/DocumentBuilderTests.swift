import Core
import Testing

@Suite struct DocumentBuilderTests {
    func builder() throws -> DocumentBuilder {
        let config = try IndexConfigLoader(registry: try fakeRegistry()).load(text: """
            schema:
              id: {field_type: id, args: {unique: true, stored: true}}
              title: {field_type: text, args: {stored: true}}
              tags: {field_type: keyword, args: {stored: true}}
              price: {field_type: numeric, args: {numtype: float, stored: true}}
              count: {field_type: numeric, args: {bits: 8, signed: false}}
              when: {field_type: datetime, args: {stored: true}}
              done: {field_type: boolean}
              blob: {field_type: stored}
            """)
        return DocumentBuilder(config: config)
    }

    func build(_ json: String, id: String? = nil) throws -> (id: String, document: Document) {
        let bytes = Array(json.utf8)
        let b = try builder()
        return try bytes.withUnsafeBufferPointer { try b.build(json: $0, id: id) }
    }

    func failure(_ json: String, id: String? = nil) throws -> DocumentError? {
        do {
            _ = try build(json, id: id)
            return nil
        } catch let error as DocumentError {
            return error
        }
    }

    @Test func convertsEveryTypeAndKeepsStoredTextExactly() throws {
        let (id, document) = try build(#"{"id": "a1", "title": "Hello", "tags": ["x", "y"], "price": 1.50, "count": 255, "when": "20180704054100", "done": "yes", "blob": {"any": [1]}}"#)
        #expect(id == "a1")
        func field(_ name: String) -> Document.Field? { document.fields.first { $0.name == name } }
        #expect(field("title")?.values == [.text("Hello")])
        #expect(field("tags")?.values == [.keywords(["x", "y"])])
        #expect(field("price")?.values == [.double(1.5)])
        #expect(field("count")?.values == [.int(255)])
        #expect(field("when")?.values == [.datetime(1_530_682_860_000_000)])
        #expect(field("done")?.values == [.bool(true)])
        #expect(field("price")?.storedJSON == Array("1.50".utf8), "stored exactly as sent")
        #expect(field("when")?.storedJSON == Array(#""20180704054100""#.utf8))
        #expect(field("blob")?.storedJSON == Array(#"{"any": [1]}"#.utf8))
        #expect(field("count")?.storedJSON == nil, "not stored")
    }

    @Test func theIdComesFromThePathOrTheBody() throws {
        let fromPath = try build(#"{"title": "t"}"#, id: "p9")
        #expect(fromPath.id == "p9")
        #expect(fromPath.document.fields.first?.name == "id")
        #expect(fromPath.document.fields.first?.storedJSON == Array(#""p9""#.utf8))
        #expect(try build(#"{"id": "p9", "title": "t"}"#, id: "p9").id == "p9")
        #expect(try build(#"{"id": 42}"#).id == "42")
        #expect(try failure(#"{"id": "other"}"#, id: "p9")?.reason == "the body's id 'other' differs from the id 'p9' in the path")
        #expect(try failure(#"{"title": "t"}"#)?.reason == "the document has no id (field 'id')")
        #expect(try failure(#"{"id": ""}"#)?.reason == "the id is empty")
        #expect(try failure(#"{"id": 1.5}"#)?.reason == "field 'id' is the id: expected a string, got a number")
    }

    @Test func badDocumentsNameTheField() throws {
        #expect(try failure(#"{"id": "1", "colour": "red"}"#) ==
            DocumentError(field: "colour", reason: "field 'colour' is not in the schema; fields: id, title, tags, price, count, when, done, blob"))
        #expect(try failure(#"{"id": "1", "title": 5}"#)?.reason == "field 'title' (text): expected a string, got a number")
        #expect(try failure(#"{"id": "1", "count": 256}"#)?.reason == "field 'count' (numeric int, 8 bits, unsigned): 256 is out of range 0...255")
        #expect(try failure(#"{"id": "1", "count": -1}"#)?.field == "count")
        #expect(try failure(#"{"id": "1", "count": "abc"}"#)?.reason == "field 'count' (numeric int): 'abc' is not an integer")
        #expect(try failure(#"{"id": "1", "when": "yesterday"}"#)?.reason == "field 'when' (datetime): 'yesterday' is not YYYYMMDDhhmmss (or a prefix of it) nor ISO 8601")
        #expect(try failure(#"{"id": "1", "done": "maybe"}"#)?.reason == "field 'done' (boolean): expected true or false, got a string")
        #expect(try failure(#"{"id": "1", "tags": [1]}"#)?.reason == "field 'tags' (keyword): expected strings in the array, got a number")
        #expect(try failure(#"[1]"#)?.reason == "invalid JSON at byte 0: expected a JSON object")
        #expect(try failure(#"{"id": "1",}"#)?.reason.hasPrefix("invalid JSON at byte 11") == true)
    }

    @Test func nullFieldsAreAbsentAndArraysAreMultiValued() throws {
        let (_, document) = try build(#"{"id": "1", "title": ["a", "b"], "price": null}"#)
        #expect(document.fields.first { $0.name == "title" }?.values == [.text("a"), .text("b")])
        #expect(!document.fields.contains { $0.name == "price" })
    }

    @Test func yamlBodiesGoThroughTheSameChecks() throws {
        let members: [(key: String, value: JSONValue)] = [("id", .string("y")), ("price", .number("2.25"))]
        let (id, document) = try builder().build(members: members)
        #expect(id == "y")
        #expect(document.fields.first { $0.name == "price" }?.storedJSON == Array("2.25".utf8))
    }
}
