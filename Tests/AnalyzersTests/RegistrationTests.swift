import Testing
import Core
@testable import Analyzers

/// Names, aliases, and the errors a bad config gets (each naming the key path to fix).
@Suite struct RegistrationTests {
    let registry = TestRegistry.shared

    private func args(_ entries: [(String, ConfigValue)], path: String = "analyzers.a.args") -> ComponentArgs {
        ComponentArgs(ConfigMap(entries.map { (key: $0.0, value: $0.1) }), path: path)
    }

    /// The error message of making `name` with `entries`, or nil if it was made.
    private func error<P>(_ kind: ComponentKind<P>, _ name: String, _ entries: [(String, ConfigValue)]) -> String? {
        do {
            _ = try registry.make(kind, name: name, args: args(entries), path: "analyzers.a.class")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func everyWhooshClassNameIsAnAlias() {
        for name in ["RegexTokenizer", "SpaceSeparatedTokenizer", "CommaSeparatedTokenizer", "PathTokenizer", "NgramTokenizer", "IDTokenizer"] {
            #expect(registry.contains(.tokenizer, name: "whoosh.analysis.\(name)"), "\(name)")
        }
        for name in ["LowercaseFilter", "StopFilter", "StemFilter", "NgramFilter", "IntraWordFilter", "ShingleFilter", "StripFilter", "ReverseTextFilter"] {
            #expect(registry.contains(.filter, name: "whoosh.analysis.\(name)"), "\(name)")
        }
        for name in ["IDAnalyzer", "KeywordAnalyzer", "RegexAnalyzer", "SimpleAnalyzer", "StandardAnalyzer", "StemmingAnalyzer",
                     "FancyAnalyzer", "LanguageAnalyzer", "NgramAnalyzer", "NgramWordAnalyzer"] {
            #expect(registry.contains(.analyzer, name: "whoosh.analysis.\(name)"), "\(name)")
        }
        #expect(registry.names(of: .tokenizer) == ["comma", "id", "keyword", "ngram", "path", "regex", "space"])
        #expect(registry.names(of: .filter) == ["asciifolding", "cjk_bigram", "intraword", "lowercase", "ngram", "reversetext",
                                                "shingle", "stem", "stop", "strip"])
        #expect(registry.names(of: .analyzer) == ["fancy", "id", "idlist", "keyword", "language", "ngram", "ngramwords", "regex",
                                                  "simple", "standard", "stemming"])
        #expect(registry.canonicalName(.analyzer, name: "whoosh.analysis.StemmingAnalyzer") == "stemming")
    }

    @Test func registeringTwiceIsRefused() {
        #expect(throws: RegistryError.self) { try BuiltinAnalysis.register(into: registry) }
    }

    @Test func unknownArgumentNamesThePathAndTheAllowedOnes() throws {
        let message = try #require(error(.analyzer, "standard", [("stoplst", .list([]))]))
        #expect(message.contains("analyzers.a.args"))
        #expect(message.contains("'stoplst'"))
        #expect(message.contains("stoplist, minsize, maxsize"))
        // The original's `attributes:` mistake is the config layer's warning, not ours; but an
        // argument Whoosh's function does not take is an error here.
        #expect(error(.filter, "lowercase", [("lang", .string("en"))]) != nil)
        #expect(error(.tokenizer, "space", [("expression", .string("x"))]) != nil)
    }

    @Test func badTypesNameTheKeyPath() throws {
        let minsize = try #require(error(.analyzer, "standard", [("minsize", .string("two"))]))
        #expect(minsize.contains("analyzers.a.args.minsize"))
        #expect(minsize.contains("integer"))
        let gaps = try #require(error(.analyzer, "regex", [("gaps", .string("yes"))]))
        #expect(gaps.contains("analyzers.a.args.gaps"))
        let stoplist = try #require(error(.analyzer, "stemming", [("stoplist", .list([.string("a"), .map(ConfigMap())]))]))
        #expect(stoplist.contains("analyzers.a.args.stoplist[1]"))
        let expression = try #require(error(.analyzer, "simple", [("expression", .string("(unclosed"))]))
        #expect(expression.contains("analyzers.a.args.expression"))
        let size = try #require(error(.analyzer, "ngram", [("minsize", .int(4)), ("maxsize", .int(2))]))
        #expect(size.contains("analyzers.a.args.maxsize"))
        let at = try #require(error(.analyzer, "ngramwords", [("at", .string("middle"))]))
        #expect(at.contains("analyzers.a.args.at"))
        let lang = try #require(error(.analyzer, "language", [("lang", .string("fr"))]))
        #expect(lang.contains("analyzers.a.args.lang"))
        let missing = try #require(error(.analyzer, "language", []))
        #expect(missing.contains("analyzers.a.args.lang"))
        let stopLang = try #require(error(.filter, "stop", [("lang", .string("klingon"))]))
        #expect(stopLang.contains("analyzers.a.args.lang"))
        let tokenizer = try #require(error(.analyzer, "ngramwords", [("tokenizer", .string("nope"))]))
        #expect(tokenizer.contains("analyzers.a.args.tokenizer"))
        #expect(tokenizer.contains("unknown tokenizer 'nope'"))
        let ngram = try #require(error(.tokenizer, "ngram", []))
        #expect(ngram.contains("analyzers.a.args.minsize"))
    }

    @Test func fieldTypeImpliedAnalyzersAcceptTheirArguments() throws {
        _ = try registry.make(.analyzer, name: "standard", args: args([]), path: "p")
        _ = try registry.make(.analyzer, name: "language", args: args([("lang", .string("en"))]), path: "p")
        _ = try registry.make(.analyzer, name: "keyword", args: args([("lowercase", .bool(true)), ("commas", .bool(true))]), path: "p")
        _ = try registry.make(.analyzer, name: "id", args: args([("lowercase", .bool(false))]), path: "p")
        _ = try registry.make(.analyzer, name: "idlist", args: args([("expression", .null), ("lowercase", .bool(false))]), path: "p")
        _ = try registry.make(.analyzer, name: "ngram", args: args([("minsize", .int(2)), ("maxsize", .int(4))]), path: "p")
        _ = try registry.make(.analyzer, name: "ngramwords",
                              args: args([("minsize", .int(2)), ("maxsize", .int(4)), ("tokenizer", .null), ("at", .null)]), path: "p")
        let withTokenizer = try registry.make(
            .analyzer, name: "ngramwords",
            args: args([("minsize", .int(3)), ("tokenizer", .map(ConfigMap([(key: "class", value: .string("regex")),
                                                                              (key: "args", value: .map(ConfigMap([(key: "expression", value: .string("[a-z]+"))])))])))]),
            path: "p")
        #expect(withTokenizer.analyzedTokens("ab1cde").map(\.token) == ["cde"])
    }
}
