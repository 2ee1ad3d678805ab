import Core
import Foundation
import Testing

/// Bad syntax is an error with a position and what was expected; no input crashes the parser.
@Suite struct QueryErrorTests {
    let parser: QueryParser

    init() throws {
        parser = try SearchFixtures.parser()
    }

    @Test func syntaxErrorsNamePositionAndExpectation() {
        let cases: [(String, String)] = [
            ("a AND", "error@5: expected a term, phrase, range or group after 'AND'"),
            ("a OR OR b", "error@5: expected a term, phrase, range or group after 'OR'"),
            ("AND a", "error@0: expected a term, phrase, range or group, got AND"),
            ("a AND (b", "error@8: expected ')' to close the group opened at 6"),
            ("a)", "error@1: unexpected ')' without a matching '('"),
            ("()", "error@1: expected a term, phrase, range or group inside '()'"),
            ("NOT", "error@3: expected a term, phrase, range or group after 'NOT'"),
            ("a NOT", "error@5: expected a term, phrase, range or group after 'NOT'"),
            ("\"open phrase", "error@12: expected '\"' to close the phrase opened at 0"),
            ("'open", "error@5: expected \"'\" to close the quoted term opened at 0"),
            ("a ]", "error@2: unexpected ']' outside a range"),
            ("~a", "error@0: '~' must directly follow a term (fuzzy) or a phrase (slop)"),
            ("a~x", "error@2: expected a space after '~'"),
            ("a~1/", "error@4: expected a prefix length after '/'"),
            ("-", "error@1: expected a term, phrase or group after '-'"),
            ("a (b -)", "error@6: expected a term, phrase or group after '-'"),
            ("(a)~2", "error@3: expected a term, phrase, range or group, got '~'"),
            ("title:", "error@6: expected a term, phrase, range or group right after 'title:'"),
        ]
        for (query, expected) in cases {
            #expect(parser.show(query) == expected, "\(query)")
        }
    }

    @Test func positionsCountCodePoints() {
        // "é" and "😀" are one code point each (two and four UTF-8 bytes).
        #expect(parser.show("é 😀 AND") == "error@7: expected a term, phrase, range or group after 'AND'")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 10_000) + "a" + String(repeating: ")", count: 10_000)
        #expect(parser.show(deep) == "error@100: groups and operators nest deeper than 100")
        let nots = String(repeating: "NOT ", count: 10_000) + "a"
        #expect(parser.show(nots).hasPrefix("error@400: groups and operators nest deeper"))
        #expect(parser.show(String(repeating: "(a ", count: 50) + String(repeating: ")", count: 50)).hasPrefix("(+text:a"))
    }

    @Test func errorDescription() {
        #expect(QueryError(position: 3, message: "expected x").description == "query error at position 3: expected x")
    }

    /// Random strings over the syntax's alphabet, and random mutations of valid queries: each
    /// gives a query or a QueryError whose position lies within the string.
    @Test func randomInputNeverCrashes() {
        // COCKATRICE_QUERY_FUZZ=N runs N times more inputs (and another seed) for a longer hunt.
        let scale = Int(ProcessInfo.processInfo.environment["COCKATRICE_QUERY_FUZZ"] ?? "") ?? 1
        var rng = TestRandom(seed: 0x5EED &+ UInt64(scale))
        let alphabet: [String] = ["a", "b", "Foo", " ", " ", "(", ")", "\"", "'", "[", "]", "{", "}", "^", "~", "*", "?", ":", "-", "+",
                                  "/", "2", "0", ".", "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO", "title:", "count:",
                                  "date:", "flag:", "body:", "the", "é", "😀", "\u{0}", "\\", "\n", "nofield:"]
        let valid = ["a AND b OR c", "title:(a OR b) -c", "\"quick fox\"~2 foo*", "count:[1 TO 5} date:2018", "te?t^2 fuzzy~1/2",
                     "a ANDNOT b ANDMAYBE c REQUIRE d", "date:[2018-07-04T05:41 TO]", "body:\"the fox\" flag:yes", "*:* NOT x"]
        var inputs: [String] = []
        for _ in 0..<3000 * scale {
            let n = rng.next(upTo: 12)
            inputs.append((0..<n).map { _ in alphabet[rng.next(upTo: alphabet.count)] }.joined())
        }
        for _ in 0..<3000 * scale {
            var scalars = Array(valid[rng.next(upTo: valid.count)].unicodeScalars)
            for _ in 0..<(1 + rng.next(upTo: 3)) {
                let at = rng.next(upTo: scalars.count + 1)
                switch rng.next(upTo: 3) {
                case 0 where at < scalars.count: scalars.remove(at: at)
                case 1 where at < scalars.count: scalars[at] = Unicode.Scalar(UInt8(32 + rng.next(upTo: 95)))
                default: scalars.insert(Unicode.Scalar(UInt8(32 + rng.next(upTo: 95))), at: at)
                }
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars)
            inputs.append(String(text))
        }
        for _ in 0..<500 * scale {
            let bytes = (0..<rng.next(upTo: 20)).map { _ in UInt8(rng.next(upTo: 256)) }
            inputs.append(String(decoding: bytes, as: UTF8.self))
        }
        var parsed = 0
        for input in inputs {
            do {
                let query = try parser.parse(input)
                _ = query.description
                parsed += 1
            } catch {
                #expect(error.position >= 0 && error.position <= input.unicodeScalars.count, "\(input)")
                #expect(!error.message.isEmpty)
            }
        }
        #expect(parsed > 500)
    }
}

/// A small deterministic generator (SplitMix64) so a failure replays.
struct TestRandom {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(upTo bound: Int) -> Int {
        bound <= 0 ? 0 : Int(next() % UInt64(bound))
    }
}
