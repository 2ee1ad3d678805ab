@testable import Core
import Foundation
import Testing

/// Compares our parses with Whoosh 2.7.4's, from `Fixtures/whoosh_queries.json` (made by
/// `Fixtures/whoosh_queries.py`), in the notation that script defines. Deliberate
/// differences (API.md, QueryParser's doc comment) are listed with our expected notation.
@Suite struct WhooshReferenceTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var query: String
            var fields: [String]
            var whoosh: String
        }
        var cases: [Case]
    }

    /// Query -> our notation where we differ from Whoosh on purpose.
    static let deliberateDifferences: [String: String] = [
        // `-a` excludes; Whoosh read '-' as text.
        "-a b": "AND(text:b, NOT(text:a))",
        "-foo bar": "AND(OR(title:bar, text:bar), NOT(OR(title:foo, text:foo)))",
        // A fuzzy term's default prefix length is 1 (Whoosh's FuzzyTerm default; its plugin gave 0).
        "foo~": "text:foo~1/1",
        "foo~2": "text:foo~2/1",
        "Foo~1": "text:foo~1/1",
        "a -title:b": "AND(text:a, NOT(title:b))",
        // Exclusive datetime bounds exclude their whole period (Whoosh ignored '{' and '}').
        "date:{2018 TO 2020}": "date:[1546300800000000 TO 1577836799999999]",
        // Bad syntax and unknown fields are errors (Whoosh searched the operator or field name as text).
        "a AND": "error: query error at position 5: expected a term, phrase, range or group after 'AND'",
        "a OR": "error: query error at position 4: expected a term, phrase, range or group after 'OR'",
        "(a": "error: query error at position 2: expected ')' to close the group opened at 0",
        "nofield:x": "error: query error at position 0: unknown field 'nofield'; fields: id, title, text, body, gapped, cased, nopos, count, price, date, flag, tags, stash",
    ]

    @Test func parsesLikeWhoosh() throws {
        let url = Paths.repository.appendingPathComponent("Tests/CoreTests/Search/Fixtures/whoosh_queries.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(fixture.cases.count == 104)
        let config = try SearchFixtures.config()
        var same = 0
        for c in fixture.cases {
            let parser = try QueryParser(config: config, defaultFields: c.fields)
            let ours: String
            do {
                ours = Self.notation(try parser.parse(c.query), config: config)
            } catch {
                ours = "error: \(error)"
            }
            let expected = c.fields == ["text"] || c.query == "-foo bar" ? Self.deliberateDifferences[c.query] ?? c.whoosh : c.whoosh
            #expect(ours == expected, "\(c.query) over \(c.fields)")
            if ours == c.whoosh { same += 1 }
        }
        #expect(same == fixture.cases.count - Self.deliberateDifferences.count)
    }

    /// Our tree in the shared notation of `whoosh_queries.py`.
    static func notation(_ query: Query, config: IndexConfig, boost: Double = 1) -> String {
        func suffix() -> String { boost == 1 ? "" : "^" + Query.number(boost) }
        func sub(_ q: Query) -> String { notation(q, config: config, boost: boost) }
        switch query {
        case .term(let field, let text):
            return "\(field):\(text)\(suffix())"
        case .phrase(let p):
            return "\(p.field):\"\(p.terms.joined(separator: " "))\"~\(p.slop)\(suffix())"
        case .prefix(let field, let prefix):
            return "\(field):\(prefix)*\(suffix())"
        case .wildcard(let field, let pattern):
            return "\(field):WILD(\(pattern))\(suffix())"
        case .fuzzy(let f):
            return "\(f.field):\(f.text)~\(f.maxEdits)/\(f.prefixLength)\(suffix())"
        case .termRange(let r):
            return "\(r.field):\(r.includeLower ? "[" : "{")\(r.lower ?? "*") TO \(r.upper ?? "*")\(r.includeUpper ? "]" : "}")\(suffix())"
        case .numericRange(let r):
            func show(_ v: NumericValue?) -> String {
                switch v {
                case nil: "*"
                case .int(let i)?: String(i)
                case .double(let d)?: Query.number(d)
                }
            }
            return "\(r.field):\(r.includeLower ? "[" : "{")\(show(r.lower)) TO \(show(r.upper))\(r.includeUpper ? "]" : "}")\(suffix())"
        case .datetimeRange(let r):
            return "\(r.field):[\(r.lower.map { String($0) } ?? "*") TO \(r.upper.map { String($0) } ?? "*")]\(suffix())"
        case .matchAll:
            return "*"
        case .matchNone:
            return "NULL"
        case .boost(let inner, let factor):
            return notation(inner, config: config, boost: boost * factor)
        case .boolean(let b):
            if b.must == [.matchAll] && b.mustNot.count == 1 && b.should.isEmpty && b.filter.isEmpty {
                return "NOT(\(sub(b.mustNot[0])))"
            }
            if b.must.isEmpty && b.mustNot.isEmpty && b.filter.isEmpty {
                return "OR(" + b.should.map(sub).joined(separator: ", ") + ")"
            }
            if b.must.count == 1 && b.should.count == 1 && b.mustNot.isEmpty && b.filter.isEmpty && b.minimumShouldMatch == 0 {
                return "ANDMAYBE(\(sub(b.must[0])), \(sub(b.should[0])))"
            }
            if b.must.count == 1 && b.filter.count == 1 && b.should.isEmpty && b.mustNot.isEmpty {
                return "REQUIRE(\(sub(b.must[0])), \(sub(b.filter[0])))"
            }
            if b.should.isEmpty && b.filter.isEmpty {
                return "AND(" + (b.must.map(sub) + b.mustNot.map { "NOT(\(sub($0)))" }).joined(separator: ", ") + ")"
            }
            return "BOOL(\(query))"
        }
    }
}
