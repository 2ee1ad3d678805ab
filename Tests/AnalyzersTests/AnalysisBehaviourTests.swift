import Testing
import Core
@testable import Analyzers

/// Behaviour that has no Whoosh reference (the filters beyond the original, odd input) or that
/// is worth stating by example.
@Suite struct AnalysisBehaviourTests {
    private func chain(_ tokenizer: String, _ tokenizerArgs: [(String, ConfigValue)] = [], filters: [String]) throws -> any Analyzer {
        let registry = TestRegistry.shared
        let t = try registry.make(.tokenizer, name: tokenizer,
                                  args: ComponentArgs(ConfigMap(tokenizerArgs.map { (key: $0.0, value: $0.1) }), path: "t"), path: "t")
        let f = try filters.map { try registry.make(.filter, name: $0, args: ComponentArgs(path: "f"), path: "f") }
        return ChainAnalyzer(tokenizer: t, filters: f)
    }

    private func terms(_ analyzer: any Analyzer, _ text: String, mode: AnalysisMode = .index) -> [String] {
        analyzer.analyzedTokens(text, mode: mode).map(\.token)
    }

    @Test func asciiFoldingFoldsLatinAndLeavesOtherScripts() throws {
        let a = try chain("regex", filters: ["asciifolding"])
        #expect(terms(a, "Café crème brûlée Straße Æsir ﬁnal Ｆｏｏ øre Łódź") == ["Cafe", "creme", "brulee", "Strasse", "AEsir", "final", "Foo", "ore", "Lodz"])
        #expect(terms(a, "Москва 東京 ελληνικά") == ["Москва", "東京", "ελληνικά"])
        let tokens = a.analyzedTokens("naïve résumé")
        #expect(tokens.map(\.startOffset) == [0, 6])
        #expect(tokens.map(\.endOffset) == [5, 12])
    }

    @Test func cjkBigramsMakeChineseAndJapaneseSearchable() throws {
        let a = try chain("regex", filters: ["lowercase", "cjk_bigram"])
        let tokens = a.analyzedTokens("東京都に住む iPhone用 中 text")
        #expect(tokens.map(\.token) == ["東京", "京都", "都に", "に住", "住む", "iphone", "用", "中", "text"])
        #expect(tokens.map(\.position) == [0, 1, 2, 3, 4, 5, 6, 7, 8])
        #expect(tokens.map(\.startOffset) == [0, 1, 2, 3, 4, 7, 13, 15, 17])
        #expect(tokens.map(\.endOffset) == [2, 3, 4, 5, 6, 13, 14, 16, 21])
        #expect(terms(a, "한국어 텍스트") == ["한국", "국어", "텍스", "스트"])
        // A query analyzed the same way is a phrase of the same bigrams.
        #expect(terms(a, "京都", mode: .query) == ["京都"])
    }

    @Test func cjkBigramsKeepGapsLeftByStopWords() throws {
        let registry = TestRegistry.shared
        let analyzer = ChainAnalyzer(
            tokenizer: try registry.make(.tokenizer, name: "regex", args: ComponentArgs(path: "t"), path: "t"),
            filters: [StopFilter(stoplist: ["the"], minSize: 1, renumber: false), CJKBigramFilter()])
        let tokens = analyzer.analyzedTokens("東京 the 京都")
        #expect(tokens.map(\.token) == ["東京", "京都"])
        #expect(tokens.map(\.position) == [0, 2])
    }

    @Test func invalidUTF8IsReadAsReplacementCharacters() throws {
        let a = try chain("regex", [("expression", .string("[^ ]+"))], filters: [])
        var stream = TokenStream()
        let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0x20, 0xE2, 0x82, 0x63]
        bytes.withUnsafeBufferPointer { stream.analyze($0, with: a) }
        let terms = (0..<stream.tokens.count).map { stream.tokens.termString($0) }
        #expect(terms == ["a\u{FFFD}b", "\u{FFFD}c"])
        #expect(stream.tokens[1].startOffset == 4)
    }

    @Test func wordScannerHandlesLongRunsMixedScriptsAndInvalidBytes() throws {
        let text = "abcdefghijklmnop_qrstuvwxyz0123456789 \u{E9}abcdefgh\u{E9} x_y ...12345678901234567890"
        let alnum = try chain("regex", [("expression", .string(#"[^\W_]+"#))], filters: [])
        let tokens = alnum.analyzedTokens(text)
        #expect(tokens.map(\.token) == ["abcdefghijklmnop", "qrstuvwxyz0123456789", "\u{E9}abcdefgh\u{E9}", "x", "y", "12345678901234567890"])
        #expect(tokens.map(\.startOffset) == [0, 17, 38, 49, 51, 56])
        #expect(tokens.map(\.endOffset) == [16, 37, 48, 50, 52, 76])
        let word = try chain("regex", [("expression", .string(#"\w+"#))], filters: [])
        #expect(terms(word, text) == ["abcdefghijklmnop_qrstuvwxyz0123456789", "\u{E9}abcdefgh\u{E9}", "x_y", "12345678901234567890"])
        var stream = TokenStream()
        let bytes: [UInt8] = Array("abcdefghijkl".utf8) + [0xC3] + Array("mnopqrstuvwxyz abc".utf8)
        bytes.withUnsafeBufferPointer { stream.analyze($0, with: alnum) }
        #expect((0..<stream.tokens.count).map { stream.tokens.termString($0) } == ["abcdefghijkl", "mnopqrstuvwxyz", "abc"])
        #expect(stream.tokens[2].startOffset == 28)
    }

    @Test func emptyAndWhitespaceValues() throws {
        let standard = try TestRegistry.shared.make(.analyzer, name: "standard", args: ComponentArgs(path: "a"), path: "a")
        #expect(standard.analyzedTokens("").isEmpty)
        #expect(standard.analyzedTokens(" \t\n ").isEmpty)
        let id = try TestRegistry.shared.make(.analyzer, name: "id", args: ComponentArgs(path: "a"), path: "a")
        #expect(id.analyzedTokens("").map(\.token) == [""])
    }

    @Test func lowercaseFollowsPython() throws {
        let a = try chain("space", filters: ["lowercase"])
        #expect(terms(a, "ΟΔΥΣΣΕΥΣ İx ǅemal ẞ ΣΑΣ.") == ["οδυσσευς", "i\u{307}x", "ǆemal", "ß", "σας."])
    }

    @Test func reverseAndStripHandleMultibyteCharacters() throws {
        let a = try chain("comma", filters: ["reversetext"])
        #expect(terms(a, " café ,日本語 , x") == ["éfac", "語本日", "x"])
    }

    @Test func stemmingCachesizeIsAcceptedAndIgnoreIsHonoured() throws {
        let registry = TestRegistry.shared
        var args = ConfigMap()
        args.set("cachesize", .int(-1))
        args.set("ignore", .list([.string("running")]))
        let a = try registry.make(.analyzer, name: "stemming", args: ComponentArgs(args, path: "a"), path: "a")
        #expect(a.analyzedTokens("running jumping hopped").map(\.token) == ["running", "jump", "hop"])
    }

    @Test func analyzersAreSafeToShareAcrossThreads() async throws {
        let analyzer = try TestRegistry.shared.make(.analyzer, name: "stemming", args: ComponentArgs(path: "a"), path: "a")
        let text = "The quick brown foxes were running over the lazy dogs' generalizations"
        let expected = analyzer.analyzedTokens(text)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<200).allSatisfy { _ in analyzer.analyzedTokens(text) == expected }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }

    @Test func queryModeDiffersWhereWhooshDoes() throws {
        let ngram = try TestRegistry.shared.make(.analyzer, name: "ngram",
                                                 args: ComponentArgs(ConfigMap([(key: "minsize", value: .int(2)), (key: "maxsize", value: .int(3))]), path: "a"), path: "a")
        #expect(ngram.analyzedTokens("abcd", mode: .index).map(\.token) == ["ab", "abc", "bc", "bcd", "cd"])
        #expect(ngram.analyzedTokens("abcd", mode: .query).map(\.token) == ["abc", "bcd"])
    }

    @Test func generalRegexFallbackUsesPythonClasses() {
        #expect(GeneralRegexMatcher.pythonClasses(#"[a-z]+\d*|\w\W[\w.]\\d"#)
                == #"[a-z]+\p{Nd}*|[\p{L}\p{Nd}\p{Nl}\p{No}_][^\p{L}\p{Nd}\p{Nl}\p{No}_][\p{L}\p{Nd}\p{Nl}\p{No}_.]\\d"#)
        #expect(RegexPattern(#"\w+(\.?\w+)*"#) == .dottedRun(CharacterClass(items: [.word], negated: false)))
        #expect(RegexPattern(#"[^\W_]+"#) == .run(CharacterClass(items: [.notWord, .range(0x5F, 0x5F)], negated: true)))
        if case .general = RegexPattern(#"[a-z]+\d*"#) {} else { Issue.record("expected the general engine") }
    }
}
