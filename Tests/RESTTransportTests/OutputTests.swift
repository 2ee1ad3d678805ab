import Core
import Foundation
import Testing
import Yams
@testable import RESTTransport

@Suite struct OutputTests {
    /// Values that a naive YAML writer turns into other types or breaks the layout with.
    static let tricky: JSONValue = .object([
        ("no", .string("no")), ("null", .string("null")), ("number_text", .string("1e3")),
        ("colon", .string("a: b")), ("multiline", .string("line one\nline two: x\n- not a list")),
        ("quote", .string("say \"hi\" \\ back")), ("unicode", .string("Zürich 東京")),
        ("number", .number("1.50")), ("int", .number("-7")), ("bool", .bool(false)), ("nil", .null),
        ("empty_list", .array([])), ("empty_map", .object([])),
        ("nested", .array([.object([("a", .array([.number("1"), .string("x")]))]), .array([.bool(true)])])),
    ])

    @Test func yamlOutputReadsBackAsTheSameValues() throws {
        var bytes: [UInt8] = []
        YAMLWriter.write(Self.tricky, to: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        let loaded = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(loaded["no"] as? String == "no")
        #expect(loaded["null"] as? String == "null")
        #expect(loaded["number_text"] as? String == "1e3")
        #expect(loaded["colon"] as? String == "a: b")
        #expect(loaded["multiline"] as? String == "line one\nline two: x\n- not a list")
        #expect(loaded["quote"] as? String == "say \"hi\" \\ back")
        #expect(loaded["unicode"] as? String == "Zürich 東京")
        #expect(loaded["number"] as? Double == 1.5)
        #expect(loaded["int"] as? Int == -7)
        #expect(loaded["bool"] as? Bool == false)
        #expect(loaded["nil"] is NSNull || loaded["nil"] == nil)
        #expect((loaded["empty_list"] as? [Any])?.isEmpty == true)
        #expect((loaded["empty_map"] as? [String: Any])?.isEmpty == true)
        let nested = try #require(loaded["nested"] as? [Any])
        let first = try #require(nested.first as? [String: Any])
        #expect((first["a"] as? [Any])?.count == 2)
        #expect(((nested.last as? [Any])?.first as? Bool) == true)
    }

    @Test func indexNamesFollowAPIMD() {
        for good in ["a", "books", "my-index_2", "0abc", String(repeating: "a", count: 128)] {
            #expect(throws: Never.self) { try IndexName.validate(good) }
        }
        for bad in ["", "Books", "_a", "-a", "a/b", "..", "a.b", "a b", String(repeating: "a", count: 129), "é"] {
            #expect(throws: APIError.self, "\(bad)") { try IndexName.validate(bad) }
        }
    }

    @Test func aKnownPathWithAnotherMethodIsTold() {
        var table = RouteTable()
        table.add(.get, "/indices/{index}")
        table.add(.put, "/indices/{index}")
        table.add(.put, "/indices/{index}/documents/{id}")
        #expect(table.methods(forPath: "/indices/books") == ["GET", "PUT"])
        #expect(table.methods(forPath: "/indices/books/documents/7") == ["PUT"])
        #expect(table.methods(forPath: "/indices/books/documents").isEmpty)
        #expect(table.methods(forPath: "/nothing").isEmpty)
    }
}
