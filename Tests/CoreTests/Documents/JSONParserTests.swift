import Core
import Foundation
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValueKeepingNumberTextAndKeyOrder() throws {
        let value = try JSONParser.parse(#" {"b": [1, -2.50, 3e2, true, false, null], "a": "x\ty\u00e9\ud83d\ude00\/", "c": {}} "#)
        #expect(value == .object([
            ("b", .array([.number("1"), .number("-2.50"), .number("3e2"), .bool(true), .bool(false), .null])),
            ("a", .string("x\ty\u{e9}\u{1F600}/")),
            ("c", .object([])),
        ]))
        #expect(value.jsonText == #"{"b":[1,-2.50,3e2,true,false,null],"a":"x\tyé😀/","c":{}}"#)
    }

    @Test(arguments: [
        ("", 0, "unexpected end of input, expected a value"),
        ("{\"a\": 1,}", 8, "expected a string key"),
        ("[1, 2", 5, "unexpected end of input, expected ',' or ']'"),
        ("01", 1, "leading zeros are not allowed"),
        ("NaN", 0, "unexpected character, expected a value"),
        ("{\"a\": 1} x", 9, "unexpected text after the JSON value"),
        ("{\"a\": 1, \"a\": 2}", 9, "duplicate key 'a'"),
        ("\"a\u{01}b\"", 2, "control character in a string (escape it)"),
        ("\"\\ud800\"", 1, "unpaired surrogate in \\u escape"),
        ("\"\\x\"", 1, "invalid escape '\\x'"),
        ("\"abc", 0, "unterminated string"),
        ("1.", 2, "expected a digit after '.'"),
        ("tru", 0, "unexpected end of input"),
    ])
    func errorsSayWhereAndWhat(input: String, offset: Int, reason: String) {
        #expect(throws: JSONError(offset: offset, reason: reason)) { _ = try JSONParser.parse(input) }
    }

    @Test func invalidUTF8IsRefused() {
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]
        #expect(throws: JSONError(offset: 2, reason: "invalid UTF-8")) {
            _ = try bytes.withUnsafeBufferPointer { try JSONParser.parse($0) }
        }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONError.self) { _ = try JSONParser.parse(deep) }
        let ok = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(throws: Never.self) { _ = try JSONParser.parse(ok) }
    }

    @Test func spansPointAtEachMembersExactText() throws {
        let text = #"{ "id" : "7", "price": 1.50 , "tags": ["a", "b"] }"#
        let bytes = Array(text.utf8)
        let (members, spans) = try bytes.withUnsafeBufferPointer { try JSONParser.parseObjectWithSpans($0) }
        #expect(members.map(\.key) == ["id", "price", "tags"])
        #expect(spans.map { String(decoding: bytes[$0], as: UTF8.self) } == [#""7""#, "1.50", #"["a", "b"]"#])
    }

    /// Differential test: Foundation writes generated documents, we read back the same values;
    /// random mutations never crash (they parse or throw `JSONError`).
    @Test func readsWhatFoundationWritesAndSurvivesMutations() throws {
        var rng = SplitMix64(seed: 42)
        func generate(_ depth: Int) -> Any {
            switch rng.next() % (depth > 3 ? 4 : 6) {
            case 0: return Int(truncatingIfNeeded: rng.next() % 2_000_000) - 1_000_000
            case 1: return ["é\"\\\n", "plain", "\u{1F600}", "tab\there", ""][Int(rng.next() % 5)]
            case 2: return rng.next() % 2 == 0
            case 3: return Double(rng.next() % 10_000) / 8
            case 4: return (0..<Int(rng.next() % 4)).map { _ in generate(depth + 1) }
            default:
                var object: [String: Any] = [:]
                for i in 0..<Int(rng.next() % 4) { object["k\(i)"] = generate(depth + 1) }
                return object
            }
        }
        /// A comparable rendering: numbers as Doubles, objects with sorted keys.
        func canonical(_ value: Any) -> String {
            switch value {
            case let b as Bool: return b ? "true" : "false"
            case let i as Int: return "n\(Double(i))"
            case let d as Double: return "n\(d)"
            case let s as String: return "s\(s.debugDescription)"
            case let a as [Any]: return "[" + a.map(canonical).joined(separator: ",") + "]"
            case let o as [String: Any]: return "{" + o.keys.sorted().map { "\($0):\(canonical(o[$0]!))" }.joined(separator: ",") + "}"
            default: return "?"
            }
        }
        func canonical(_ value: JSONValue) -> String {
            switch value {
            case .null: return "null"
            case .bool(let b): return b ? "true" : "false"
            case .number(let n): return "n\(Double(n) ?? .nan)"
            case .string(let s): return "s\(s.debugDescription)"
            case .array(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
            case .object(let members): return "{" + members.sorted { $0.key < $1.key }.map { "\($0.key):\(canonical($0.value))" }.joined(separator: ",") + "}"
            }
        }
        for _ in 0..<300 {
            let object: [String: Any] = ["doc": generate(0)]
            let data = try JSONSerialization.data(withJSONObject: object)
            let ours = try Array(data).withUnsafeBufferPointer { try JSONParser.parse($0) }
            #expect(canonical(ours) == canonical(object), "\(String(decoding: data, as: UTF8.self))")
            var mutated = Array(data)
            for _ in 0..<3 {
                let at = Int(rng.next() % UInt64(mutated.count))
                mutated[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            // Parses or throws JSONError (the typed throw guarantees the kind); never crashes.
            _ = try? mutated.withUnsafeBufferPointer { try JSONParser.parse($0) }
        }
    }
}
