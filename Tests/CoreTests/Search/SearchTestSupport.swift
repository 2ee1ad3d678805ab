import Analyzers
import Core

/// The index config the query tests parse against: the bench schema's `title` and `text`
/// (regex `[^\W_]+` + lowercase), Whoosh's StandardAnalyzer on `body` (stop words,
/// renumbered as Whoosh does), a stop filter that keeps position gaps on `gapped`, and one
/// field of every other kind.
enum SearchFixtures {
    static let schema = #"""
    schema:
      id: {field_type: id, args: {unique: true, stored: true}}
      title: {field_type: text_plain}
      text: {field_type: text_plain}
      body: {field_type: text, args: {analyzer: whoosh.analysis.StandardAnalyzer}}
      gapped: {field_type: text, args: {analyzer: gapped}}
      cased: {field_type: text, args: {analyzer: cased}}
      nopos: {field_type: text, args: {analyzer: plain, phrase: false}}
      count: {field_type: numeric}
      price: {field_type: numeric, args: {numtype: float}}
      date: {field_type: datetime}
      flag: {field_type: boolean}
      tags: {field_type: keyword, args: {lowercase: true}}
      stash: {field_type: stored}
    default_search_field: text
    field_types:
      text_plain:
        class: whoosh.fields.TEXT
        args: {analyzer: plain, phrase: true}
    analyzers:
      plain: {tokenizer: words, filters: [lowercase]}
      gapped: {tokenizer: words, filters: [lowercase, stops]}
      cased: {tokenizer: words}
    tokenizers:
      words:
        class: whoosh.analysis.RegexTokenizer
        args: {expression: "[^\\W_]+", gaps: false}
    filters:
      stops:
        class: whoosh.analysis.StopFilter
        args: {renumber: false}
    """#

    static func registry() throws -> Registry {
        let registry = Registry()
        try BuiltinAnalysis.register(into: registry)
        try BuiltinWeightings.register(into: registry)
        return registry
    }

    static func config(_ text: String = schema) throws -> IndexConfig {
        try IndexConfigLoader(registry: registry()).load(text: text)
    }

    /// A parser over the fixture schema with the given default fields.
    static func parser(_ fields: [String] = ["text"]) throws -> QueryParser {
        try QueryParser(config: config(), defaultFields: fields)
    }
}

extension QueryParser {
    /// The textual form of `text`'s parse, or `error@POSITION: message`.
    func show(_ text: String) -> String {
        do {
            return try parse(text).description
        } catch {
            return "error@\(error.position): \(error.message)"
        }
    }
}
