/// One field of an index config, with its field type's arguments merged under the field's own.
public struct FieldConfig: Sendable {
    /// The field's name in documents.
    public var name: String
    public var type: FieldType
    /// Whether the original value is kept and returned with hits.
    public var stored: Bool
    /// Whether this is the index's document id (exactly one field is).
    public var unique: Bool
    /// Whether positions are indexed, so phrase queries work (text fields with `phrase: true`).
    public var positions: Bool
    /// Whether the field is scored (keyword fields only when `scorable`; text always).
    public var scorable: Bool
    /// A multiplier of the field's scores.
    public var fieldBoost: Double
    /// Whether a doc-value column is written for sorting even where the type would not have one.
    public var sortable: Bool
    /// The analyzer's name in the config's `analyzers` section or the registry; nil when the
    /// field is not analyzed.
    public var analyzerName: String?
    /// The analyzer itself, resolved at load; nil when the field is not analyzed.
    public var analyzer: (any Analyzer)?
    /// For numeric fields.
    public var numeric: NumericOptions?

    public init(name: String, type: FieldType, stored: Bool = false, unique: Bool = false, positions: Bool = false,
                scorable: Bool = false, fieldBoost: Double = 1, sortable: Bool = false,
                analyzerName: String? = nil, analyzer: (any Analyzer)? = nil, numeric: NumericOptions? = nil) {
        self.name = name
        self.type = type
        self.stored = stored
        self.unique = unique
        self.positions = positions
        self.scorable = scorable
        self.fieldBoost = fieldBoost
        self.sortable = sortable
        self.analyzerName = analyzerName
        self.analyzer = analyzer
        self.numeric = numeric
    }

    /// Whether the field's terms go into the inverted index.
    public var isIndexed: Bool { type != .stored }
}

/// How a numeric field stores its values (Whoosh `NUMERIC` arguments).
public struct NumericOptions: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case int, float }
    public var kind: Kind
    /// 8, 16, 32 or 64 for integers; 32 or 64 for floats.
    public var bits: Int
    public var signed: Bool
    /// Whoosh stores floats as integers scaled by 10^decimal_places when this is above 0.
    public var decimalPlaces: Int
    /// The value used for documents without one, if any.
    public var defaultValue: Double?

    public init(kind: Kind = .int, bits: Int = 32, signed: Bool = true, decimalPlaces: Int = 0, defaultValue: Double? = nil) {
        self.kind = kind
        self.bits = bits
        self.signed = signed
        self.decimalPlaces = decimalPlaces
        self.defaultValue = defaultValue
    }
}
