import Core
import Foundation
import Testing

/// The original's schema files, read in place from ../shared/original-example: our users have
/// files like these, and they must load unchanged (Janome aside).
@Suite struct OriginalSchemaTests {
    static let janomeEntries: [(section: String, name: String)] = [("field_types", "text_janome"), ("analyzers", "janome"), ("tokenizers", "janome")]

    func loader() throws -> IndexConfigLoader {
        IndexConfigLoader(registry: try builtinRegistry())
    }

    func parsed(_ file: String) throws -> ConfigValue {
        try ConfigParser.parse(try Paths.text(Paths.originalExample.appendingPathComponent(file)))
    }

    /// The same file without its Janome entries.
    func withoutJanome(_ value: ConfigValue) throws -> ConfigValue {
        var root = try #require(value.mapValue)
        for (section, name) in Self.janomeEntries {
            let entries = try #require(root[section]?.mapValue)
            #expect(entries[name] != nil, "\(section).\(name) should be in the original file")
            root.set(section, .map(ConfigMap(entries.entries.filter { $0.key != name })))
        }
        return .map(root)
    }

    @Test(arguments: ["schema.yaml", "schema.json"])
    func janomeIsAClearErrorNamingItsClass(file: String) throws {
        let value = try parsed(file)
        #expect {
            _ = try loader().load(value)
        } throws: { error in
            guard case ConfigError.unknownComponent(let path, let kind, let name, _) = error else { return false }
            return path == "tokenizers.janome.class" && kind == "tokenizer" && name == "cockatrice.analysis.JanomeTokenizer"
                && "\(error)".contains("cockatrice.analysis.JanomeTokenizer")
        }
    }

    @Test(arguments: ["schema.yaml", "schema.json"])
    func withoutJanomeTheOriginalLoadsCompletely(file: String) throws {
        let config = try loader().load(try withoutJanome(try parsed(file)))
        #expect(config.fields.map(\.name) == ["id", "title", "text", "contributor", "timestamp"])
        #expect(config.fields.map(\.type) == [.id, .text, .text, .keyword, .datetime])
        #expect(config.idField == "id")
        #expect(config.defaultSearchField == "text")
        #expect(config.fields.allSatisfy { $0.stored })
        #expect(config.field("title")?.analyzerName == "standard")
        #expect(config.field("contributor")?.analyzerName == "keyword")
        #expect(config.field("timestamp")?.analyzer == nil)
        // Every named analyzer of the file was built.
        #expect(Set(config.analyzers.keys) == ["id", "keyword", "regex", "simple", "standard", "stemming", "fancy", "language", "ngram", "ngramword"])
        // The original's `attributes:` typo is a warning, not an error.
        #expect(config.warnings.contains { $0.hasPrefix("analyzers.standard.attributes") })
        let stemming = try #require(config.analyzers["stemming"])
        #expect(stemming.analyzedTokens("The quick brown foxes").map(\.token) == ["quick", "brown", "fox"])
    }

    @Test func theProjectsExampleConfigLoads() throws {
        let config = try loader().load(text: try Paths.text(Paths.repository.appendingPathComponent("conf/schema.yaml")))
        #expect(config.fields.map(\.name) == ["id", "title", "text", "contributor", "timestamp"])
        #expect(config.warnings.isEmpty, "\(config.warnings)")
        let text = try #require(config.field("text")?.analyzer)
        #expect(text.analyzedTokens("The lighthouses were flashing").map(\.token) == ["lighthous", "were", "flash"])
        #expect(config.field("title")?.fieldBoost == 2)
        #expect(config.field("timestamp")?.sortable == true)
    }

    @Test func theBenchConfigLoads() throws {
        let config = try loader().load(text: try Paths.text(Paths.shared.appendingPathComponent("bench/schema.yaml")))
        #expect(config.fields.map(\.name) == ["id", "title", "text"])
        let title = try #require(config.field("title"))
        #expect(title.analyzerName == "plain" && title.positions && !title.stored)
        #expect(try #require(title.analyzer).analyzedTokens("Hello, World_x Ünïcode 42").map(\.token) == ["hello", "world", "x", "ünïcode", "42"])
        #expect(config.weighting.defaultWeighting?.className == "whoosh.scoring.BM25F")
    }
}
