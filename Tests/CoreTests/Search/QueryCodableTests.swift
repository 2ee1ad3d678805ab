import Core
import Foundation
import Testing

/// The JSON form round-trips every kind of node and refuses malformed ones.
@Suite struct QueryCodableTests {
    func roundTrip(_ query: Query) throws -> Query {
        try JSONDecoder().decode(Query.self, from: try JSONEncoder().encode(query))
    }

    @Test func parsedQueriesRoundTrip() throws {
        let parser = try SearchFixtures.parser(["title", "text"])
        for text in ["a b OR c", "title:(a OR b) -c", "\"quick fox\"~2^1.5", "gapped:\"quick and the fox\"", "foo* te?t foo~2/3",
                     "title:[a TO c} count:{1 TO 5] price:[1.5 TO]", "date:{2018 TO 2020}", "a ANDMAYBE b", "a REQUIRE b",
                     "*:*", "body:the", "flag:no", "NOT x"] {
            let query = try parser.parse(text)
            #expect(try roundTrip(query) == query, "\(text)")
        }
    }

    @Test func jsonShape() throws {
        let query = Query.boolean(BooleanQuery(must: [.term(field: "text", text: "quick")],
                                               mustNot: [.phrase(PhraseQuery(field: "text", terms: ["lazy", "dog"]))]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(query), as: UTF8.self)
        #expect(json == #"{"bool":{"must":[{"term":{"field":"text","text":"quick"}}],"must_not":[{"phrase":{"field":"text","positions":[0,1],"slop":1,"terms":["lazy","dog"]}}]}}"#)
        let decoded = try JSONDecoder().decode(Query.self, from: Data(#"{"bool": {"should": [{"match_all": {}}, {"fuzzy": {"field": "t", "text": "x"}}], "minimum_should_match": 2}}"#.utf8))
        #expect(decoded.description == "(*:* t:x~1/1)~2")
        let exclusive = try JSONDecoder().decode(Query.self, from: Data(#"{"datetime_range": {"field": "d", "lower": 10, "upper": 20, "include_lower": false, "include_upper": false}}"#.utf8))
        #expect(exclusive == .datetimeRange(DatetimeRangeQuery(field: "d", lower: 11, upper: 19)))
    }

    @Test func everyKindRoundTrips() throws {
        let all: [Query] = [
            .term(field: "f", text: "x"), .prefix(field: "f", prefix: "ab"), .wildcard(field: "f", pattern: "a?c"),
            .fuzzy(FuzzyQuery(field: "f", text: "abc", maxEdits: 2, prefixLength: 0, maxExpansions: 7)),
            .termRange(TermRangeQuery(field: "f", lower: nil, upper: "z", includeLower: false, includeUpper: false)),
            .numericRange(NumericRangeQuery(field: "n", lower: .int(-4), upper: .double(2.5))),
            .datetimeRange(DatetimeRangeQuery(field: "d", lower: -1, upper: nil)),
            .matchAll, .matchNone, .boost(.term(field: "f", text: "y"), factor: 0.5),
            .boolean(BooleanQuery(must: [.matchAll], should: [.term(field: "f", text: "s")], filter: [.matchNone], minimumShouldMatch: 1)),
        ]
        for query in all {
            #expect(try roundTrip(query) == query, "\(query)")
        }
    }

    @Test func deepJSONIsRefusedNotACrash() throws {
        let depth = 5_000
        let text = String(repeating: #"{"bool":{"must":["#, count: depth) + #"{"match_all":{}}"# + String(repeating: "]}}", count: depth)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Query.self, from: Data(text.utf8)) }
        let shallow = String(repeating: #"{"bool":{"must":["#, count: 50) + #"{"match_all":{}}"# + String(repeating: "]}}", count: 50)
        #expect(throws: Never.self) { try JSONDecoder().decode(Query.self, from: Data(shallow.utf8)) }
    }

    @Test func malformedJSONIsADecodingError() {
        let bad = [
            #"{}"#, #"{"term": {"field": "f"}}"#, #"{"term": {"field": "f", "text": "x"}, "prefix": {"field": "f", "prefix": "x"}}"#,
            #"{"phrase": {"field": "f", "terms": []}}"#, #"{"phrase": {"field": "f", "terms": ["a"], "slop": 0}}"#,
            #"{"phrase": {"field": "f", "terms": ["a", "b"], "positions": [1, 0]}}"#,
            #"{"fuzzy": {"field": "f", "text": "x", "max_edits": 3}}"#, #"{"boost": {"query": {"match_all": {}}, "factor": -1}}"#,
            #"{"bool": {"should": [{"match_all": {}}], "minimum_should_match": 2}}"#, #"{"nope": {}}"#, #"[1]"#, #"{"match_all": 3}"#,
        ]
        for text in bad {
            #expect(throws: DecodingError.self, "\(text)") { try JSONDecoder().decode(Query.self, from: Data(text.utf8)) }
        }
    }
}

/// A program's query is checked against the index config before it runs.
@Suite struct QueryValidationTests {
    @Test func parsedQueriesAreValid() throws {
        let config = try SearchFixtures.config()
        let parser = try SearchFixtures.parser(["title", "text"])
        for text in ["a b OR c", "gapped:\"quick and the fox\"", "count:[1 TO 5} date:2018 flag:yes", "tags:x* id:y", "NOT a", "(a b)^2"] {
            #expect(throws: Never.self) { try parser.parse(text).validate(against: config) }
        }
    }

    @Test func refusesWhatDoesNotFitTheSchema() throws {
        let config = try SearchFixtures.config()
        func refusal(_ query: Query) -> String {
            do {
                try query.validate(against: config)
                return "valid"
            } catch {
                return "\(error.message)"
            }
        }
        #expect(refusal(.term(field: "nope", text: "x")).hasPrefix("term: unknown field 'nope'; fields: id, title"))
        #expect(refusal(.boolean(BooleanQuery(must: [.matchAll], should: [.numericRange(NumericRangeQuery(field: "title", lower: .int(1), upper: nil))])))
                == "bool.should[0].numeric_range: field 'title' is text; numeric_range needs a numeric field")
        #expect(refusal(.boost(.phrase(PhraseQuery(field: "nopos", terms: ["a", "b"])), factor: 2)) == "boost.query.phrase: field 'nopos' does not index positions")
        #expect(refusal(.prefix(field: "count", prefix: "1")) == "prefix: field 'count' is numeric; prefix needs a text, id or keyword field")
        #expect(refusal(.term(field: "stash", text: "x")) == "term: field 'stash' is stored; term needs a field with terms (numbers and dates use ranges)")
        #expect(refusal(.datetimeRange(DatetimeRangeQuery(field: "date", lower: 0, upper: nil))) == "valid")
    }
}
