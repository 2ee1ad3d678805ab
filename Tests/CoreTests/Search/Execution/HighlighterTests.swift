import Testing
@testable import Core

/// Fragments around matches from the stored text: terms, patterns, phrases as one mark,
/// custom tags, multi-byte text.
@Suite struct HighlighterTests {
    static func highlighter(_ query: Query, field: String = "title", pre: String = "<b>", post: String = "</b>", size: Int = 40,
                            max: Int = 3, config: IndexConfig = TestIndex.config()) -> Highlighter? {
        Highlighter(query: query, options: HighlightOptions(field: field, preTag: pre, postTag: post, fragmentSize: size, maxFragments: max),
                    config: config)
    }

    @Test func marksTermsAndPhrasesAsWholes() throws {
        let query = Query.boolean(BooleanQuery(should: [.phrase(PhraseQuery(field: "title", terms: ["quick", "fox"])), .term(field: "title", text: "dog")]))
        let h = try #require(Self.highlighter(query, size: 200))
        #expect(h.fragments("The Quick fox jumps over the lazy dog, quick!") == ["The <b>Quick fox</b> jumps over the lazy <b>dog</b>, quick!"])
        #expect(h.fragments("nothing here").isEmpty)
    }

    @Test func customTagsPatternsAndUnicode() throws {
        let query = Query.boolean(BooleanQuery(should: [.prefix(field: "title", prefix: "caf"), .fuzzy(FuzzyQuery(field: "title", text: "naive", maxEdits: 1, prefixLength: 0))]))
        // The real regex analyzer: its offsets count code points (the test analyzer's count bytes).
        let h = try #require(Self.highlighter(query, pre: "[[", post: "]]", size: 200, config: try SearchFixtures.config()))
        #expect(h.fragments("Un naïve Café à Zürich") == ["Un [[naïve]] [[Café]] à Zürich"])
    }

    @Test func fragmentsAreBoundedAndCutAtTokens() throws {
        let h = try #require(Self.highlighter(.term(field: "title", text: "alpha"), size: 12, max: 2))
        let text = (0..<40).map { $0 % 10 == 0 ? "alpha" : "word\($0)" }.joined(separator: " ")
        let fragments = h.fragments(text)
        #expect(fragments.count == 2)
        for f in fragments {
            #expect(f.contains("<b>alpha</b>"))
            #expect(f.count < 40)
            #expect(!f.hasPrefix(" ") && !f.hasSuffix(" "))
        }
        #expect(Self.highlighter(.term(field: "body", text: "alpha"), field: "title") == nil)
    }

    @Test func searchReturnsHighlightsOfTheStoredField() throws {
        var model = SearchModel()
        model.add(.init(id: "a", title: ["alpha", "beta", "gamma"], body: ["x"]))
        model.add(.init(id: "b", title: ["beta"], body: ["alpha"]))
        let writer = try SearchTestIndex.build(model.docs, cuts: [])
        defer { writer.close() }
        let searcher = Searcher(snapshot: writer.snapshot(), config: TestIndex.config())
        let query = Query.boolean(BooleanQuery(should: [.phrase(PhraseQuery(field: "title", terms: ["alpha", "beta"])), .term(field: "body", text: "alpha")]))
        let result = try searcher.search(SearchRequest(query: query, fields: ["id"], highlight: HighlightOptions(field: "title")))
        let byId = Dictionary(uniqueKeysWithValues: result.hits.map { (SearchTestIndex.id($0), $0.highlights) })
        #expect(byId["a"] == ["<b>alpha beta</b> gamma"])
        #expect(byId["b"] == [])
        #expect(result.hits.allSatisfy { $0.fields.map(\.name) == ["id"] })
    }
}
