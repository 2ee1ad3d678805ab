/// The weighting of every field for one search: the index config's `weighting` section,
/// overridden by the request's, resolved through the registry.
///
/// For a field, the first of these wins: the request's entry for the field, the request's
/// `default`, the config's entry for the field, the config's `default`, BM25F with K1 1.2 and
/// B 0.75. (A request that names a default means "score this search with it", so it also
/// replaces the config's per-field entries, except where the request names the field itself.)
public struct FieldWeightings: Sendable {
    /// What scores fields without their own entry.
    public let defaultWeighting: any Weighting
    /// Field name -> its weighting.
    public let perField: [String: any Weighting]

    public init(defaultWeighting: any Weighting = BM25FWeighting(), perField: [String: any Weighting] = [:]) {
        self.defaultWeighting = defaultWeighting
        self.perField = perField
    }

    /// The weighting that scores `field`.
    public func weighting(for field: String) -> any Weighting {
        perField[field] ?? defaultWeighting
    }

    /// The scorer of one term in `field`: the field's weighting with the query boost times the
    /// field's `field_boost`, or a constant for a field that is not scorable.
    public func scorer(for field: FieldConfig, collection: CollectionStatistics, term: TermStatistics, queryBoost: Float = 1) -> any TermScorer {
        let boost = queryBoost * Float(field.fieldBoost)
        guard field.scorable else { return ConstantScorer(boost) }
        return weighting(for: field.name).scorer(field: field.name, collection: collection, term: term, boost: boost)
    }

    /// The scorer of a phrase in `field` (see `Weighting.phraseScorer`).
    public func phraseScorer(for field: FieldConfig, collection: CollectionStatistics, terms: [TermStatistics], queryBoost: Float = 1) -> any TermScorer {
        let boost = queryBoost * Float(field.fieldBoost)
        guard field.scorable else { return ConstantScorer(boost) }
        return weighting(for: field.name).phraseScorer(field: field.name, collection: collection, terms: terms, boost: boost)
    }

    /// Whether every weighting in use allows block-max skipping.
    public var allMonotone: Bool {
        defaultWeighting.isMonotone && perField.values.allSatisfy(\.isMonotone)
    }

    /// Resolves `config.weighting`, then `override` on top.
    ///
    /// - Throws: `ConfigError` for an unknown class, a bad argument, a field the schema does
    ///   not have (a per-field entry or a `<field>_B` argument).
    public static func resolve(config: IndexConfig, override: WeightingConfig? = nil, registry: Registry) throws(ConfigError) -> FieldWeightings {
        func make(_ spec: ComponentSpec) throws(ConfigError) -> any Weighting {
            let args = ComponentArgs(spec.args, path: "\(spec.path).args")
            let weighting: any Weighting
            do {
                weighting = try registry.make(.weighting, name: spec.className, args: args, path: "\(spec.path).class")
            } catch let error as ConfigError {
                throw error
            } catch {
                throw .invalid(path: args.path, reason: "\(error)")
            }
            if let bm25 = weighting as? BM25FWeighting {
                for name in bm25.fieldB.keys.sorted() where config.field(name) == nil {
                    throw .invalid(path: "\(args.path).\(name)_B", reason: "no field named '\(name)' in the schema; fields: \(config.fields.map(\.name).joined(separator: ", "))")
                }
            }
            return weighting
        }
        var perField: [String: any Weighting] = [:]
        var defaultWeighting: any Weighting = BM25FWeighting()
        if let spec = config.weighting.defaultWeighting { defaultWeighting = try make(spec) }
        for (name, spec) in config.weighting.perField { perField[name] = try make(spec) }
        if let override {
            for name in override.perField.keys where config.field(name) == nil {
                throw .invalid(path: "weighting.\(name)", reason: "no field named '\(name)' in the schema (use 'default' for all fields)")
            }
            if let spec = override.defaultWeighting {
                defaultWeighting = try make(spec)
                perField = [:]
            }
            for (name, spec) in override.perField { perField[name] = try make(spec) }
        }
        return FieldWeightings(defaultWeighting: defaultWeighting, perField: perField)
    }

    /// Parses a request's weighting override (YAML or JSON): the `weighting` section of the
    /// schema format, either as `{weighting: {default: {class, args}, <field>: ...}}` or its
    /// inside alone. An empty body is no override.
    public static func parseOverride(_ text: String) throws(ConfigError) -> WeightingConfig? {
        let value = try ConfigParser.parse(text)
        guard case .map(var root) = value else {
            if value == .null { return nil }
            throw .badValue(path: "(body)", expected: "a mapping: the 'weighting' section of an index config", got: value.typeDescription)
        }
        if root.keys == ["weighting"] {
            switch root["weighting"] {
            case .map(let inner)?: root = inner
            case .null?: return nil
            case let other?: throw .badValue(path: "weighting", expected: "a mapping of 'default' and field names to {class, args}", got: other.displayText)
            case nil: break
            }
        }
        var context = LoadContext(registry: Registry())
        var config = WeightingConfig()
        for (name, entry) in try IndexConfigLoader.entries(ConfigMap([("weighting", .map(root))]), "weighting") {
            let path = "weighting.\(name)"
            let (className, args) = try IndexConfigLoader.classAndArgs(entry, path: path, context: &context)
            let spec = ComponentSpec(className: className, args: args.values, path: path)
            if name == "default" { config.defaultWeighting = spec } else { config.perField[name] = spec }
        }
        if let warning = context.warnings.first {
            throw .invalid(path: "weighting", reason: warning)
        }
        return config
    }
}
