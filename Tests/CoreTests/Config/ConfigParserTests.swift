@testable import Core
import Testing

@Suite struct ConfigParserTests {
    @Test func resolvesPlainScalarsByTheCoreSchema() throws {
        let value = try ConfigParser.parse("""
            a: on
            b: yes
            c: true
            d: 12
            e: 1.5
            f: null
            g: "12"
            h: ~
            i: -3
            j: 1e3
            k: 0x1F
            l: 2018-07-04
            """)
        let map = try #require(value.mapValue)
        #expect(map["a"] == .string("on"))
        #expect(map["b"] == .string("yes"))
        #expect(map["c"] == .bool(true))
        #expect(map["d"] == .int(12))
        #expect(map["e"] == .double(1.5))
        #expect(map["f"] == .null)
        #expect(map["g"] == .string("12"))
        #expect(map["h"] == .null)
        #expect(map["i"] == .int(-3))
        #expect(map["j"] == .double(1000))
        #expect(map["k"] == .int(31))
        #expect(map["l"] == .string("2018-07-04"))
        #expect(map.keys == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"], "file order is kept")
    }

    @Test func parsesJSONWithTheSameValues() throws {
        let json = try ConfigParser.parse(#"{"x": [1, 2.5, "s", true, null, {"y": "\u00e9\/"}]}"#)
        let yaml = try ConfigParser.parse("x: [1, 2.5, s, true, null, {y: \"é/\"}]")
        #expect(json == yaml)
    }

    @Test func syntaxErrorsSayWhere() {
        #expect {
            _ = try ConfigParser.parse("schema:\n  a: [1, 2\n  b: 3\n")
        } throws: { error in
            guard case ConfigError.syntax(let reason) = error else { return false }
            return reason.contains("line") || reason.contains("3:")
        }
    }

    @Test func aliasBombIsRefusedNotExpanded() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            let refs = Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
            yaml += "a\(i): &a\(i) [\(refs)]\n"
        }
        #expect {
            _ = try ConfigParser.parse(yaml)
        } throws: { error in
            "\(error)".contains("expands to more than")
        }
    }

    @Test func smallAliasesAreExpanded() throws {
        let value = try ConfigParser.parse("base: &b {stored: true}\nfield: *b\n")
        #expect(value.mapValue?["field"] == .map(ConfigMap([("stored", .bool(true))])))
    }
}

/// Hostile YAML found in review: refused quickly, never expanded.
@Suite struct HostileYAMLTests {
    static func bomb(levels: Int) -> String {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...levels {
            yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return yaml
    }

    /// An alias-expanded mapping key made Yams hash billions of nodes before any budget applied.
    @Test func anAliasAsAMappingKeyIsRefusedAtOnce() {
        let yaml = Self.bomb(levels: 4) + "? *a4\n: 1\n"
        // Without the guard this takes many seconds inside Yams (no timed assertion here: the
        // message below is the guard's own).
        #expect {
            _ = try ConfigParser.parse(yaml)
        } throws: { error in
            "\(error)" == "(document): the alias *a4 is used as a mapping key; keys must be plain strings"
        }
        #expect {
            _ = try ConfigParser.parse("a: &k key\n*k : 1\n")
        } throws: { error in
            "\(error)" == "(document): the alias *k is used as a mapping key; keys must be plain strings"
        }
    }

    /// The tree builders recurse once per level; libyaml stops at 1,000 levels, the guard far
    /// earlier, at the bound JSON bodies have.
    @Test func deepNestingIsRefusedBeforeTheTreeIsBuilt() throws {
        for yaml in [String(repeating: "[", count: 900), String(repeating: "- ", count: 500) + "x", String(repeating: "{a: ", count: 200)] {
            #expect {
                _ = try ConfigParser.parse(yaml)
            } throws: { error in
                "\(error)".contains("nests deeper than 64 levels")
            }
        }
        // Past libyaml's own limit it is a syntax error, and the message does not echo the body.
        #expect {
            _ = try ConfigParser.parse(String(repeating: "[", count: 100_000))
        } throws: { error in
            "\(error)".count < 1_000
        }
        // The bound is not lower than what real configs and documents need.
        _ = try ConfigParser.parse(String(repeating: "[", count: 60) + String(repeating: "]", count: 60))
    }

    @Test func expansionIsCountedBeforeTheTreeIsBuilt() {
        #expect {
            _ = try ConfigParser.parse(Self.bomb(levels: 5), maxNodes: 10_000)
        } throws: { error in
            "\(error)".contains("expands to more than 10000 values")
        }
        // The same document under a large enough budget parses: the count is right, not a guess.
        #expect(throws: Never.self) { _ = try ConfigParser.parse(Self.bomb(levels: 2), maxNodes: 1_500) }
    }

    @Test func aLargeFlatMappingKeepsEveryKeyInOrder() throws {
        let yaml = (0..<40_000).map { "k\($0): \($0)" }.joined(separator: "\n")
        let value = try ConfigParser.parse(yaml)
        #expect(value.mapValue?.entries.count == 40_000)
        #expect(value.mapValue?.entries.last?.key == "k39999")
    }
}
