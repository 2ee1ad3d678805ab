/// The kinds of field an index config can declare: Whoosh's field classes, which the original's
/// schema files name (`whoosh.fields.TEXT`) or this project's short names (`text`).
public enum FieldType: String, Sendable, CaseIterable, Codable {
    /// One untokenized term (the whole value); Whoosh `ID`.
    case id
    /// A list of ids split by a pattern; Whoosh `IDLIST`.
    case idlist
    /// Stored only, never indexed; Whoosh `STORED`.
    case stored
    /// Space- or comma-separated keywords, optionally lowercased; Whoosh `KEYWORD`.
    case keyword
    /// Analyzed text with positions (phrase queries); Whoosh `TEXT`.
    case text
    /// Integer or floating-point numbers; Whoosh `NUMERIC`.
    case numeric
    /// Points in time (`YYYYMMDDhhmmss` and ISO 8601); Whoosh `DATETIME`.
    case datetime
    /// true / false; Whoosh `BOOLEAN`.
    case boolean
    /// Character n-grams of the whole value; Whoosh `NGRAM`.
    case ngram
    /// Character n-grams of each word; Whoosh `NGRAMWORDS`.
    case ngramwords

    /// The original's class name for this type.
    public var whooshClassName: String {
        switch self {
        case .id: "whoosh.fields.ID"
        case .idlist: "whoosh.fields.IDLIST"
        case .stored: "whoosh.fields.STORED"
        case .keyword: "whoosh.fields.KEYWORD"
        case .text: "whoosh.fields.TEXT"
        case .numeric: "whoosh.fields.NUMERIC"
        case .datetime: "whoosh.fields.DATETIME"
        case .boolean: "whoosh.fields.BOOLEAN"
        case .ngram: "whoosh.fields.NGRAM"
        case .ngramwords: "whoosh.fields.NGRAMWORDS"
        }
    }

    /// Resolves a `class:` value: a short name or the original's class name.
    public init?(className: String) {
        if let short = FieldType(rawValue: className.lowercased()) {
            self = short
            return
        }
        guard let match = FieldType.allCases.first(where: { $0.whooshClassName == className }) else { return nil }
        self = match
    }

    /// Whether the field's values go through an analyzer into the inverted index.
    public var isAnalyzed: Bool {
        switch self {
        case .id, .idlist, .keyword, .text, .ngram, .ngramwords: true
        case .stored, .numeric, .datetime, .boolean: false
        }
    }

    /// Whether the field gets doc values (a column per segment for sorting, ranges, facets).
    /// Every non-text field has them (DESIGN.md, "Segments").
    public var hasDocValues: Bool {
        switch self {
        case .id, .idlist, .keyword, .numeric, .datetime, .boolean: true
        case .stored, .text, .ngram, .ngramwords: false
        }
    }
}
