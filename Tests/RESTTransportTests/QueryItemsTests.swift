import Testing
@testable import RESTTransport

@Suite struct QueryItemsTests {
    @Test func decodesPlusAndPercentAsFormsAndCurlSendThem() throws {
        let items = try QueryItems(query: "query=title%3Ahello+world&fields=id,%20title&empty")
        #expect(items["query"] == "title:hello world")
        #expect(items.list("fields") == ["id", "title"])
        #expect(items["empty"] == "")
        #expect(items["missing"] == nil)
    }

    @Test func theLastOfRepeatedParametersWins() throws {
        #expect(try QueryItems(query: "page_len=5&page_len=7").int("page_len", default: 10, in: 0...100) == 7)
    }

    @Test func badEscapesAndInvalidUTF8AreRefusedNamingTheParameter() {
        for query in ["query=%zz", "query=%4", "query=%ff%fe"] {
            #expect(throws: APIError.self) { try QueryItems(query: query) }
            do { _ = try QueryItems(query: query) } catch {
                #expect(error.code == "invalid_parameter")
                #expect(error.reason.contains("query"))
            }
        }
    }

    @Test func integersOutsideTheirRangeOrNotIntegersAreRefused() throws {
        let items = try QueryItems(query: "page_len=-1&page_num=abc")
        #expect(throws: APIError.self) { try items.int("page_len", default: 10, in: 0...10_000) }
        do { _ = try items.int("page_num", default: 1, in: 1...10_000) } catch {
            #expect(error.reason == "parameter 'page_num': 'abc' is not an integer")
        }
    }

    @Test func booleansTakeTheSpellingsAPIMDListsAndNothingElse() throws {
        for text in ["true", "True", "1", "yes"] {
            #expect(try QueryItems(query: "sync=\(text)").bool("sync") == true)
        }
        for text in ["false", "False", "0", "no"] {
            #expect(try QueryItems(query: "sync=\(text)").bool("sync") == false)
        }
        #expect(try QueryItems(query: nil).bool("sync") == false)
        #expect(throws: APIError.self) { try QueryItems(query: "sync=maybe").bool("sync") }
    }

    @Test func durationsTakeUnits() throws {
        let items = try QueryItems(query: "a=10s&b=250ms&c=2m&d=3&e=-1s&f=1h")
        #expect(try items.duration("a", default: .zero, max: .seconds(300)) == .seconds(10))
        #expect(try items.duration("b", default: .zero, max: .seconds(300)) == .milliseconds(250))
        #expect(try items.duration("c", default: .zero, max: .seconds(300)) == .seconds(120))
        #expect(try items.duration("d", default: .zero, max: .seconds(300)) == .seconds(3))
        #expect(throws: APIError.self) { try items.duration("e", default: .zero, max: .seconds(300)) }
        #expect(throws: APIError.self) { try items.duration("f", default: .zero, max: .seconds(300)) }
    }
}
