import Analyzers
import Core
import Testing
@testable import RESTTransport

@Suite struct SearchParametersTests {
    static func config() throws -> IndexConfig {
        let registry = Registry()
        try BuiltinAnalysis.register(into: registry)
        try BuiltinWeightings.register(into: registry)
        return try IndexConfigLoader(registry: registry).load(text: """
            schema:
              id: {field_type: id, args: {unique: true, stored: true}}
              text: {field_type: text, args: {stored: true}}
              year: {field_type: numeric, args: {stored: true}}
            default_search_field: text
            """)
    }

    static func parameters(_ query: String) throws -> SearchParameters {
        try SearchParameters(try QueryItems(query: query), config: try config())
    }

    @Test func theWindowOfTenThousandIsEnforcedNamingTheLimit() throws {
        _ = try Self.parameters("query=a&page_num=100&page_len=100")
        do {
            _ = try Self.parameters("query=a&page_num=101&page_len=100")
            Issue.record("a page past the window was accepted")
        } catch let error as APIError {
            #expect(error.code == "invalid_parameter")
            #expect(error.reason.contains("10000"))
            #expect(error.reason.contains("search_after"))
        }
        #expect(throws: APIError.self) { try Self.parameters("query=a&page_num=999999&page_len=1000") }
        #expect(throws: APIError.self) { try Self.parameters("query=a&page_len=-1") }
        #expect(throws: APIError.self) { try Self.parameters("query=a&page_num=0") }
    }

    @Test func aQueryThatDoesNotParseIsAnInvalidQueryWithItsPosition() throws {
        do {
            _ = try Self.parameters("query=" + "text:(a OR".replacingOccurrences(of: " ", with: "+"))
            Issue.record("a bad query was accepted")
        } catch let error as APIError {
            #expect(error.code == "invalid_query")
            #expect(error.details.contains { $0.key == "position" })
        }
    }

    @Test func cursorsRoundTripExactly() {
        for doc in [ScoredDoc(score: 1.2345678, doc: 0), ScoredDoc(score: 0, doc: 99_999), ScoredDoc(score: 3.4e38, doc: 7)] {
            let parsed = SearchParameters.parseCursor(SearchParameters.cursor(doc))
            #expect(parsed?.0 == doc && parsed?.1 == nil)
            // A sorted search's cursor carries the hit's sort value too.
            for value: SortValue in [.number(-42), .number(Int64.max), .bytes(Array("kéy.-x".utf8)), .bytes([]), .missing] {
                let sorted = SearchParameters.parseCursor(SearchParameters.cursor(doc, sortValue: value))
                #expect(sorted?.0 == doc && sorted?.1 == value, "\(value)")
            }
        }
        for bad in ["", "x", "3f80-", "-5", "3f800000-x", "3f800000--1", "q5.3f800000-1", "n.3f800000-1", "babc.3f800000-1",
                    "bzz.3f800000-1", "mm.3f800000-1", "n1.", "n1.x-1"] {
            #expect(SearchParameters.parseCursor(bad) == nil, "\(bad)")
        }
    }

    @Test func trackTotalSortAndHighlightAreRead() throws {
        let p = try Self.parameters("query=a&track_total=true&sort=-year&highlight=text&highlight_pre_tag=%5B&highlight_post_tag=%5D&facets=year&explain=1")
        #expect(p.request.trackTotal == nil)
        #expect(p.request.sort == SearchSort(field: "year", descending: true))
        #expect(p.request.highlight?.preTag == "[")
        #expect(p.request.highlight?.postTag == "]")
        #expect(p.request.facets == ["year"])
        #expect(p.explain)
        #expect(throws: APIError.self) { try Self.parameters("query=a&track_total=maybe") }
        #expect(throws: APIError.self) { try Self.parameters("query=a&search_after=nonsense") }
    }
}
