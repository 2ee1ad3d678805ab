@testable import Core
import Testing

/// The loader's logic on a small fake registry: every error path and the message a user sees.
@Suite struct IndexConfigLoaderTests {
    let minimal = """
        schema:
          id: {field_type: id, args: {unique: true, stored: true}}
          body: {field_type: text, args: {stored: true}}
        default_search_field: body
        """

    func load(_ text: String) throws -> IndexConfig {
        try IndexConfigLoader(registry: try fakeRegistry()).load(text: text)
    }

    func message(_ text: String) throws -> String {
        do {
            _ = try load(text)
        } catch let error as ConfigError {
            return error.description
        }
        Issue.record("expected a ConfigError")
        return ""
    }

    @Test func minimalConfigLoadsWithImpliedAnalyzers() throws {
        let config = try load(minimal)
        #expect(config.fields.map(\.name) == ["id", "body"])
        #expect(config.idField == "id")
        #expect(config.defaultSearchField == "body")
        let body = try #require(config.field("body"))
        #expect(body.type == .text && body.stored && body.positions && body.scorable)
        #expect(body.analyzerName == "standard")
        #expect(config.field("id")?.analyzerName == "id")
        #expect(config.warnings.isEmpty)
    }

    @Test func fieldArgsOverrideTheirTypesArgs() throws {
        let config = try load("""
            schema:
              id: {field_type: myid, args: {unique: true}}
              tags: {field_type: kw, args: {stored: false}}
            field_types:
              myid: {class: whoosh.fields.ID, args: {stored: true, unique: false}}
              kw: {class: whoosh.fields.KEYWORD, args: {stored: true, lowercase: true, scorable: true}}
            """)
        #expect(config.field("id")?.stored == true)
        #expect(config.field("id")?.unique == true)
        #expect(config.field("tags")?.stored == false)
        #expect(config.field("tags")?.scorable == true)
        #expect(config.field("tags")?.analyzerName == "keyword")
    }

    @Test func chainAnalyzersResolveConfigSectionsThenTheRegistry() throws {
        let config = try load(minimal + """

            analyzers:
              words:
                tokenizer: spaces
                filters: [lowercase, longer]
            tokenizers:
              spaces: {class: whoosh.analysis.SpaceSeparatedTokenizer}
            filters:
              longer: {class: minlength, args: {minsize: 3}}
            """.replacingOccurrences(of: "body: {field_type: text, args: {stored: true}}", with: "body: {field_type: text, args: {analyzer: words}}"))
        let analyzer = try #require(config.analyzers["words"])
        #expect(analyzer.analyzedTokens("An OLD Oak").map(\.token) == ["old", "oak"])
    }

    @Test func attributesKeyIsAWarningNotAnError() throws {
        let config = try load(minimal + "\nanalyzers:\n  std: {class: standard, attributes: {minsize: 2}}\nextra: 1\n")
        #expect(config.warnings.contains { $0.contains("analyzers.std.attributes") && $0.contains("did you mean 'args'") })
        #expect(config.warnings.contains { $0.hasPrefix("extra:") })
    }

    @Test func errorsNameTheKeyPathAndWhatIsAllowed() throws {
        #expect(try message("- a\n- b") == "(document): expected a mapping with a 'schema' key, got a list")
        #expect(try message("default_search_field: x") == "schema: required key is missing")
        #expect(try message("schema:\n  id: {field_type: uuid, args: {unique: true}}").hasPrefix(
            "schema.id.field_type: unknown field type 'uuid'; known: id, idlist, stored, keyword, text"))
        #expect(try message("schema:\n  id: {field_type: id, args: {unique: true, colour: red}}") ==
            "schema.id.args: unknown argument 'colour'; allowed: stored, unique, field_boost, sortable, analyzer")
        #expect(try message("schema:\n  id: {field_type: id, args: {unique: true, stored: maybe}}") ==
            "schema.id.args.stored: expected true or false, got 'maybe'")
        #expect(try message("schema:\n  t: {field_type: text}") ==
            "schema: no field has 'unique: true'; exactly one field must be the document id")
        #expect(try message("schema:\n  a: {field_type: id, args: {unique: true}}\n  b: {field_type: id, args: {unique: true}}") ==
            "schema: several fields are unique (a, b); exactly one field is the document id")
        #expect(try message("schema:\n  n: {field_type: numeric, args: {unique: true}}") ==
            "schema.n: the unique (id) field must have field type 'id' (whoosh.fields.ID), not 'numeric'")
        #expect(try message(minimal.replacingOccurrences(of: "default_search_field: body", with: "default_search_field: title")) ==
            "default_search_field: no field named 'title' in the schema; fields: id, body")
        #expect(try message(minimal + "\nweighting:\n  title: {class: bm25f}") ==
            "weighting.title: no field named 'title' in the schema (use 'default' for all fields)")
        #expect(try message(minimal + "\nanalyzers:\n  x: {class: nosuch}").hasPrefix(
            "analyzers.x.class: unknown analyzer 'nosuch'; known: id, idlist, keyword"))
        #expect(try message(minimal + "\nanalyzers:\n  x: {filters: [lowercase]}") ==
            "analyzers.x: an analyzer needs either 'class' (and 'args') or 'tokenizer' (and 'filters')")
        #expect(try message(minimal + "\nanalyzers:\n  x: {tokenizer: space, filters: [nosuch]}") ==
            "analyzers.x.filters[0]: unknown filter 'nosuch'; known: lowercase, minlength")
        #expect(try message(minimal + "\nfilters:\n  f: {class: minlength, args: {minsize: 0}}") ==
            "filters.f.args.minsize: expected an integer from 1 to 100, got 0")
        #expect(try message(minimal + "\ntokenizers:\n  t: {args: {}}") == "tokenizers.t.class: required key is missing")
        #expect(try message(minimal.replacingOccurrences(of: "args: {stored: true}}", with: "args: {analyzer: missing}}")).hasPrefix(
            "schema.body.args.analyzer: unknown analyzer 'missing'"))
        #expect(try message("schema:\n  id: {field_type: id, args: {unique: true}}\n  n: {field_type: numeric, args: {bits: 12}}") ==
            "schema.n.args.bits: expected one of 8, 16, 32, 64, got 12")
        #expect(try message("schema:\n  id: {field_type: id, args: {unique: true}}\n  'a b': {field_type: text}").hasPrefix(
            "schema.a b: field name 'a b' is not allowed"))
        #expect(try message("schema: [1]") == "schema: expected a mapping of field names to field definitions, got [1]")
        #expect(try message(minimal + "\nweighting:\n  default: {class: bm99}") ==
            "weighting.default.class: unknown weighting 'bm99'; known: bm25f, pl2, tf_idf")
        #expect(try message(minimal + "\nweighting:\n  default: {class: whoosh.scoring.BM25F, args: {B: 2}}").hasPrefix(
            "weighting.default.args.B: expected"))
    }

    @Test func weightingIsKeptPerField() throws {
        let config = try load(minimal + """

            weighting:
              default: {class: whoosh.scoring.BM25F, args: {B: 0.75, K1: 1.2}}
              body: {class: whoosh.scoring.PL2, args: {c: 1.0}}
            """)
        #expect(config.weighting.defaultWeighting?.className == "whoosh.scoring.BM25F")
        #expect(config.weighting.defaultWeighting?.args["K1"] == .double(1.2))
        #expect(config.weighting.perField["body"]?.className == "whoosh.scoring.PL2")
    }

    @Test func numericOptionsAreParsed() throws {
        let withNumeric = try load("""
            schema:
              id: {field_type: id, args: {unique: true}}
              price: {field_type: numeric, args: {numtype: float, bits: 64, stored: true}}
              count: {field_type: numeric}
            """)
        #expect(withNumeric.field("price")?.numeric == NumericOptions(kind: .float, bits: 64))
        #expect(withNumeric.field("count")?.numeric == NumericOptions(kind: .int, bits: 32))
        #expect(withNumeric.field("price")?.analyzer == nil)
    }
}
