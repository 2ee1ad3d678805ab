/// A validated index config (the original's "schema" file): the fields, the id field, the
/// default search field and the weighting, with every analyzer resolved through the registry.
///
/// Loading resolves and checks everything up front, so an index never fails later on a name it
/// cannot find; see `IndexConfigLoader`.
public struct IndexConfig: Sendable {
    /// The fields in file order.
    public var fields: [FieldConfig]
    /// The name of the single `unique: true` field: the document id.
    public var idField: String
    /// Field(s) searched by terms without a `field:` prefix.
    public var defaultSearchField: String?
    /// The `weighting` section, kept as written; the query engine resolves it.
    public var weighting: WeightingConfig
    /// Named analyzers of the config's `analyzers` section (including unused ones).
    public var analyzers: [String: any Analyzer]
    /// Non-fatal remarks (unknown keys that change nothing), for the log and the response.
    public var warnings: [String]
    /// The config as parsed, to store in the catalog and return to users.
    public var source: ConfigMap

    public init(fields: [FieldConfig], idField: String, defaultSearchField: String?, weighting: WeightingConfig = WeightingConfig(),
                analyzers: [String: any Analyzer] = [:], warnings: [String] = [], source: ConfigMap = ConfigMap()) {
        self.fields = fields
        self.idField = idField
        self.defaultSearchField = defaultSearchField
        self.weighting = weighting
        self.analyzers = analyzers
        self.warnings = warnings
        self.source = source
    }

    /// The field named `name`.
    public func field(_ name: String) -> FieldConfig? {
        fields.first { $0.name == name }
    }
}

/// A `class` + `args` reference to a registered component, kept unresolved (weightings are
/// resolved by the query engine, which registers them).
public struct ComponentSpec: Sendable, Equatable {
    public var className: String
    public var args: ConfigMap
    /// Where it was in the config, for error messages.
    public var path: String

    public init(className: String, args: ConfigMap = ConfigMap(), path: String) {
        self.className = className
        self.args = args
        self.path = path
    }
}

/// The `weighting` section: a default and per-field overrides.
public struct WeightingConfig: Sendable, Equatable {
    /// nil means the engine default (BM25F with K1 1.2, B 0.75).
    public var defaultWeighting: ComponentSpec?
    public var perField: [String: ComponentSpec]

    public init(defaultWeighting: ComponentSpec? = nil, perField: [String: ComponentSpec] = [:]) {
        self.defaultWeighting = defaultWeighting
        self.perField = perField
    }
}
