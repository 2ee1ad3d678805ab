import Core
import Foundation
import Testing

/// The weightings' formulas against hand-computed values, their registration, and how a
/// config's and a request's `weighting` sections resolve into per-field weightings.
@Suite struct WeightingTests {
    /// Three documents, field lengths 4, 10 and 1 (total 15, average 5); the term occurs in
    /// two of them.
    let collection = CollectionStatistics(documentCount: 3, totalFieldLength: 15)
    let term = TermStatistics(documentFrequency: 2, totalTermFrequency: 3)

    @Test func bm25ByHand() {
        // idf = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln(1.6) = 0.47000363
        #expect(abs(BM25FWeighting.idf(documentFrequency: 2, documentCount: 3) - 0.470_003_63) < 1e-6)
        let scorer = BM25FWeighting().scorer(field: "body", collection: collection, term: term, boost: 1)
        // tf 2, length 4: 0.47000363 * 2.2 * 2 / (2 + 1.2 * (0.25 + 0.75 * 4 / 5)) = 2.06801597 / 3.02 = 0.68477350
        #expect(abs(scorer.score(termFrequency: 2, fieldLength: 4) - 0.684_773_5) < 1e-6)
        // tf 1, length 10: 1.03400799 / (1 + 1.2 * (0.25 + 1.5)) = 1.03400799 / 3.1 = 0.33355096
        #expect(abs(scorer.score(termFrequency: 1, fieldLength: 10) - 0.333_550_96) < 1e-6)
        // Lengths below 24 are exact norms, so both paths agree.
        #expect(scorer.score(termFrequency: 2, fieldNorm: 4) == scorer.score(termFrequency: 2, fieldLength: 4))
        // Boost and K1 / B.
        let boosted = BM25FWeighting(k1: 2, b: 0).scorer(field: "body", collection: collection, term: term, boost: 3)
        // B = 0: 3 * 0.47000363 * 3 * 1 / (1 + 2) = 1.41001089
        #expect(abs(boosted.score(termFrequency: 1, fieldLength: 99) - 1.410_010_9) < 1e-6)
    }

    @Test func bm25PerFieldB() {
        let weighting = BM25FWeighting(k1: 1.2, b: 0.75, fieldB: ["title": 0])
        let title = weighting.scorer(field: "title", collection: collection, term: term, boost: 1)
        let body = weighting.scorer(field: "body", collection: collection, term: term, boost: 1)
        #expect(title.score(termFrequency: 1, fieldLength: 1) == title.score(termFrequency: 1, fieldLength: 20))
        #expect(body.score(termFrequency: 1, fieldLength: 1) > body.score(termFrequency: 1, fieldLength: 20))
    }

    @Test func bm25UpperBoundCoversEveryScoreOfTheBlock() {
        let scorer = BM25FWeighting().scorer(field: "body", collection: collection, term: term, boost: 1)
        let bound = scorer.upperBound(maxTermFrequency: 5, minFieldNorm: FieldNorm.id(for: 3))
        #expect(bound != nil)
        for tf in UInt32(1)...5 {
            for length in UInt32(3)...200 {
                #expect(scorer.score(termFrequency: tf, fieldNorm: FieldNorm.id(for: length)) <= bound ?? 0)
            }
        }
    }

    @Test func tfIdfByHand() {
        // Whoosh: idf = ln(N / (df + 1)) + 1 = ln(3 / 3) + 1 = 1; score = tf * idf.
        let scorer = TFIDFWeighting().scorer(field: "body", collection: collection, term: term, boost: 2)
        #expect(scorer.score(termFrequency: 3, fieldLength: 7) == 6)
        #expect(scorer.upperBound(maxTermFrequency: 4, minFieldNorm: 1) == 8)
        #expect(TFIDFWeighting().isMonotone)
    }

    @Test func pl2ByHand() {
        // Whoosh's pl2(tf 2, cf 3, qf 1, dc 3, fl 4, avgfl 5, c 1):
        //   TF = 2 * ln(1 + 5 / 4) = 1.62186043; f = 1
        //   (TF * ln 1 + 1 * 1.44269504 + 0.5 * ln(2π TF) + TF * (ln TF - 1.44269504)) / (TF + 1)
        let tfn = 2 * log(1 + 5.0 / 4)
        let log2e = 1 / log(2.0)
        let expected = (log2e + 0.5 * log(2 * Double.pi * tfn) + tfn * (log(tfn) - log2e)) / (tfn + 1)
        let scorer = PL2Weighting(c: 1).scorer(field: "body", collection: collection, term: term, boost: 1)
        #expect(abs(Double(scorer.score(termFrequency: 2, fieldLength: 4)) - expected) < 1e-6)
        #expect(abs(expected - 0.399_662_73) < 1e-6) // whoosh.scoring.pl2(2, 3, 1, 3, 4, 5, 1.0)
        #expect(scorer.upperBound(maxTermFrequency: 9, minFieldNorm: 1) == nil)
        #expect(!PL2Weighting().isMonotone)
    }

    @Test func registryNamesAndArguments() throws {
        let registry = try SearchFixtures.registry()
        #expect(registry.names(of: .weighting) == ["bm25f", "pl2", "tf_idf"])
        for alias in ["whoosh.scoring.BM25F", "whoosh.scoring.TF_IDF", "whoosh.scoring.PL2"] {
            #expect(registry.contains(.weighting, name: alias))
        }
        let args = ComponentArgs(ConfigMap([("B", .double(0.5)), ("K1", .int(2)), ("title_B", .double(0.1))]), path: "weighting.default.args")
        let bm25 = try registry.make(.weighting, name: "whoosh.scoring.BM25F", args: args, path: "weighting.default.class")
        #expect((bm25 as? BM25FWeighting)?.fieldB == ["title": 0.1])
        #expect((bm25 as? BM25FWeighting)?.k1 == 2)
        func refusal(_ name: String, _ entries: [(String, ConfigValue)]) -> String {
            do {
                _ = try registry.make(.weighting, name: name, args: ComponentArgs(ConfigMap(entries), path: "w.args"), path: "w.class")
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal("bm25f", [("B", .double(1.5))]) == "w.args.B: expected a number from 0 to 1, got 1.5")
        #expect(refusal("bm25f", [("K1", .double(-1))]) == "w.args.K1: expected a number, 0 or more, got -1.0")
        #expect(refusal("bm25f", [("b", .double(0.5))]) == "w.args: unknown argument 'b'; allowed: B, K1, <field>_B")
        #expect(refusal("pl2", [("c", .int(0))]) == "w.args.c: expected a positive number, got 0.0")
        #expect(refusal("tf_idf", [("c", .int(1))]) == "w.args: unknown argument 'c'; allowed: none")
        #expect(refusal("bm99", []).hasPrefix("w.class: unknown weighting 'bm99'; known: bm25f, pl2, tf_idf"))
    }

    static let weightedSchema = SearchFixtures.schema + """

    weighting:
      default:
        class: whoosh.scoring.BM25F
        args: {B: 0.5, K1: 1.5, text_B: 0.9}
      title:
        class: whoosh.scoring.TF_IDF
    """

    @Test func resolvesConfigAndRequestOverride() throws {
        let registry = try SearchFixtures.registry()
        let config = try IndexConfigLoader(registry: registry).load(text: Self.weightedSchema)
        let resolved = try FieldWeightings.resolve(config: config, registry: registry)
        #expect(resolved.weighting(for: "title").name == "tf_idf")
        let body = try #require(resolved.weighting(for: "body") as? BM25FWeighting)
        #expect(body.b == 0.5 && body.k1 == 1.5 && body.fieldB == ["text": 0.9])
        #expect(resolved.allMonotone)

        // A request's default replaces every field's weighting but those it names itself.
        let override = try FieldWeightings.parseOverride("""
        weighting:
          default: {class: pl2, args: {c: 2}}
          body: {class: bm25f}
        """)
        let request = try FieldWeightings.resolve(config: config, override: override, registry: registry)
        #expect(request.weighting(for: "title").name == "pl2")
        #expect(request.weighting(for: "body").name == "bm25f")
        #expect(!request.allMonotone)
        // JSON, and the section's inside alone.
        let json = try FieldWeightings.parseOverride(#"{"title": {"class": "bm25f", "args": {"B": 0}}}"#)
        let titleOnly = try FieldWeightings.resolve(config: config, override: json, registry: registry)
        #expect((titleOnly.weighting(for: "title") as? BM25FWeighting)?.b == 0)
        #expect(titleOnly.weighting(for: "body").name == "bm25f")
        #expect(try FieldWeightings.parseOverride("") == nil)
        // Nothing configured: BM25F with K1 1.2, B 0.75.
        let plain = try FieldWeightings.resolve(config: SearchFixtures.config(), registry: registry)
        #expect((plain.weighting(for: "text") as? BM25FWeighting).map { ($0.k1, $0.b) } ?? (0, 0) == (1.2, 0.75))
    }

    @Test func refusesBadOverrides() throws {
        let registry = try SearchFixtures.registry()
        let config = try SearchFixtures.config()
        func refusal(_ text: String) -> String {
            do {
                _ = try FieldWeightings.resolve(config: config, override: FieldWeightings.parseOverride(text), registry: registry)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal("nofield: {class: bm25f}") == "weighting.nofield: no field named 'nofield' in the schema (use 'default' for all fields)")
        #expect(refusal("default: {class: bm25f, args: {nofield_B: 0.2}}").hasPrefix("weighting.default.args.nofield_B: no field named 'nofield'"))
        #expect(refusal("default: {class: nope}").hasPrefix("weighting.default.class: unknown weighting 'nope'"))
        #expect(refusal("default: {class: bm25f, attributes: {B: 1}}") == "weighting: weighting.default.attributes: unknown key ignored (did you mean 'args'?)")
        #expect(refusal("[1, 2]") == "(body): expected a mapping: the 'weighting' section of an index config, got a list")
    }
}

/// What the executor asks of the weightings besides single terms: phrases, field boosts and
/// fields that are not scored.
@Suite struct ScorerSelectionTests {
    let collection = CollectionStatistics(documentCount: 10, totalFieldLength: 50)
    let rare = TermStatistics(documentFrequency: 1, totalTermFrequency: 1)
    let common = TermStatistics(documentFrequency: 6, totalTermFrequency: 9)

    @Test func bm25PhraseSumsIdfs() {
        let idf = BM25FWeighting.idf(documentFrequency: 1, documentCount: 10) + BM25FWeighting.idf(documentFrequency: 6, documentCount: 10)
        let phrase = BM25FWeighting().phraseScorer(field: "f", collection: collection, terms: [rare, common], boost: 1)
        let direct = BM25FWeighting().scorer(field: "f", collection: collection, idf: idf, boost: 1)
        #expect(phrase.score(termFrequency: 2, fieldLength: 5) == direct.score(termFrequency: 2, fieldLength: 5))
    }

    @Test func otherWeightingsScoreAPhraseAsItsRarestTerm() {
        let phrase = TFIDFWeighting().phraseScorer(field: "f", collection: collection, terms: [common, rare], boost: 1)
        let single = TFIDFWeighting().scorer(field: "f", collection: collection, term: rare, boost: 1)
        #expect(phrase.score(termFrequency: 3, fieldLength: 5) == single.score(termFrequency: 3, fieldLength: 5))
    }

    @Test func fieldBoostAndUnscoredFields() throws {
        let config = try SearchFixtures.config(SearchFixtures.schema.replacingOccurrences(
            of: "body: {field_type: text, args: {analyzer: whoosh.analysis.StandardAnalyzer}}",
            with: "body: {field_type: text, args: {analyzer: whoosh.analysis.StandardAnalyzer, field_boost: 2}}"))
        let weightings = FieldWeightings()
        let body = try #require(config.field("body"))
        let text = try #require(config.field("text"))
        let boosted = weightings.scorer(for: body, collection: collection, term: rare, queryBoost: 1.5)
        let plain = weightings.scorer(for: text, collection: collection, term: rare)
        #expect(abs(boosted.score(termFrequency: 1, fieldLength: 5) - 3 * plain.score(termFrequency: 1, fieldLength: 5)) < 1e-5)
        let id = try #require(config.field("id"))
        let constant = weightings.scorer(for: id, collection: collection, term: rare, queryBoost: 2)
        #expect(constant.score(termFrequency: 7, fieldLength: 1) == 2)
        #expect(constant.upperBound(maxTermFrequency: 7, minFieldNorm: 1) == 2)
    }
}
