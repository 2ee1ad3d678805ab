import Foundation

/// Turns the original's index config format (YAML or JSON) into a validated `IndexConfig`.
///
/// Every named tokenizer, filter and analyzer in the file is built, used or not (as the
/// original did), so a bad entry is an error at load, never a failure at indexing or query time.
/// Keys that change nothing are warnings, so the original's files (whose `standard` analyzer
/// says `attributes:` where `args:` was meant) load unchanged.
public struct IndexConfigLoader: Sendable {
    public let registry: Registry

    public init(registry: Registry) {
        self.registry = registry
    }

    static let topLevelKeys = ["schema", "default_search_field", "field_types", "analyzers", "tokenizers", "filters", "weighting"]

    /// Loads a config from YAML or JSON text.
    public func load(text: String) throws(ConfigError) -> IndexConfig {
        try load(try ConfigParser.parse(text))
    }

    /// Loads a config from parsed values.
    public func load(_ value: ConfigValue) throws(ConfigError) -> IndexConfig {
        guard case .map(let root) = value else {
            throw .badValue(path: "(document)", expected: "a mapping with a 'schema' key", got: value.typeDescription)
        }
        var context = LoadContext(registry: registry)
        for key in root.keys where !Self.topLevelKeys.contains(key) {
            context.warnings.append("\(key): unknown top-level key ignored; known: \(Self.topLevelKeys.joined(separator: ", "))")
        }
        context.tokenizers = try buildSection(root, "tokenizers", kind: .tokenizer, context: &context)
        context.filters = try buildSection(root, "filters", kind: .filter, context: &context)
        let analyzers = try buildAnalyzers(root, context: &context)
        context.analyzers = analyzers
        let fieldTypes = try parseFieldTypes(root, context: &context)

        guard let schemaValue = root["schema"] else { throw .missingKey(path: "schema") }
        guard case .map(let schema) = schemaValue, !schema.isEmpty else {
            throw .badValue(path: "schema", expected: "a mapping of field names to field definitions", got: schemaValue.displayText)
        }
        var fields: [FieldConfig] = []
        for (name, definition) in schema.entries {
            fields.append(try FieldBuilder(name: name, definition: definition, fieldTypes: fieldTypes).build(context: &context))
        }

        let uniques = fields.filter(\.unique)
        guard let idField = uniques.first else {
            throw .invalid(path: "schema", reason: "no field has 'unique: true'; exactly one field must be the document id")
        }
        guard uniques.count == 1 else {
            throw .invalid(path: "schema", reason: "several fields are unique (\(uniques.map(\.name).joined(separator: ", "))); exactly one field is the document id")
        }
        guard idField.type == .id else {
            throw .invalid(path: "schema.\(idField.name)", reason: "the unique (id) field must have field type 'id' (whoosh.fields.ID), not '\(idField.type.rawValue)'")
        }

        let defaultSearchField = try parseDefaultSearchField(root, fields: fields)
        let weighting = try parseWeighting(root, fields: fields, context: &context)
        let config = IndexConfig(fields: fields, idField: idField.name, defaultSearchField: defaultSearchField,
                                 weighting: weighting, analyzers: analyzers, warnings: context.warnings, source: root)
        // Resolve the weightings once so that an unknown class or a bad argument is refused
        // here, at load, rather than at the first search.
        _ = try FieldWeightings.resolve(config: config, registry: registry)
        return config
    }

    // MARK: Sections

    /// The entries of a `class` + `args` section, keyed by name, each a mapping.
    static func entries(_ root: ConfigMap, _ section: String) throws(ConfigError) -> [(name: String, entry: ConfigMap)] {
        switch root[section] {
        case nil, .null?:
            return []
        case .map(let map)?:
            var result: [(String, ConfigMap)] = []
            for (name, value) in map.entries {
                guard case .map(let entry) = value else {
                    throw .badValue(path: "\(section).\(name)", expected: "a mapping with 'class' and 'args'", got: value.displayText)
                }
                result.append((name, entry))
            }
            return result
        case let other?:
            throw .badValue(path: section, expected: "a mapping of names to definitions", got: other.displayText)
        }
    }

    /// The `class` and `args` of an entry, warning about other keys.
    static func classAndArgs(_ entry: ConfigMap, path: String, otherKeys: [String] = [], context: inout LoadContext) throws(ConfigError) -> (String, ComponentArgs) {
        context.warnUnknownKeys(entry, allowed: ["class", "args"] + otherKeys, path: path)
        guard let classValue = entry["class"] else { throw .missingKey(path: "\(path).class") }
        guard case .string(let className) = classValue else {
            throw .badValue(path: "\(path).class", expected: "a class name", got: classValue.displayText)
        }
        let args: ConfigMap
        switch entry["args"] {
        case nil, .null?: args = ConfigMap()
        case .map(let map)?: args = map
        case let other?: throw .badValue(path: "\(path).args", expected: "a mapping of argument names to values", got: other.displayText)
        }
        return (className, ComponentArgs(args, path: "\(path).args"))
    }

    private func buildSection<Product>(_ root: ConfigMap, _ section: String, kind: ComponentKind<Product>,
                                       context: inout LoadContext) throws(ConfigError) -> [String: Product] {
        var built: [String: Product] = [:]
        for (name, entry) in try Self.entries(root, section) {
            let path = "\(section).\(name)"
            let (className, args) = try Self.classAndArgs(entry, path: path, context: &context)
            built[name] = try context.make(kind, name: className, args: args, path: "\(path).class")
        }
        return built
    }

    private func buildAnalyzers(_ root: ConfigMap, context: inout LoadContext) throws(ConfigError) -> [String: any Analyzer] {
        var built: [String: any Analyzer] = [:]
        for (name, entry) in try Self.entries(root, "analyzers") {
            let path = "analyzers.\(name)"
            if entry["class"] != nil {
                let (className, args) = try Self.classAndArgs(entry, path: path, context: &context)
                built[name] = try context.make(.analyzer, name: className, args: args, path: "\(path).class")
                continue
            }
            guard let tokenizerValue = entry["tokenizer"] else {
                throw .invalid(path: path, reason: "an analyzer needs either 'class' (and 'args') or 'tokenizer' (and 'filters')")
            }
            context.warnUnknownKeys(entry, allowed: ["tokenizer", "filters"], path: path)
            guard case .string(let tokenizerName) = tokenizerValue else {
                throw .badValue(path: "\(path).tokenizer", expected: "a tokenizer name", got: tokenizerValue.displayText)
            }
            let tokenizer = try context.tokenizer(named: tokenizerName, path: "\(path).tokenizer")
            var filters: [any TokenFilter] = []
            switch entry["filters"] {
            case nil, .null?: break
            case .list(let items)?:
                for (i, item) in items.enumerated() {
                    guard case .string(let filterName) = item else {
                        throw .badValue(path: "\(path).filters[\(i)]", expected: "a filter name", got: item.displayText)
                    }
                    filters.append(try context.filter(named: filterName, path: "\(path).filters[\(i)]"))
                }
            case let other?:
                throw .badValue(path: "\(path).filters", expected: "a list of filter names", got: other.displayText)
            }
            built[name] = ChainAnalyzer(tokenizer: tokenizer, filters: filters)
        }
        return built
    }

    private func parseFieldTypes(_ root: ConfigMap, context: inout LoadContext) throws(ConfigError) -> [String: (FieldType, ConfigMap)] {
        var types: [String: (FieldType, ConfigMap)] = [:]
        for (name, entry) in try Self.entries(root, "field_types") {
            let path = "field_types.\(name)"
            let (className, args) = try Self.classAndArgs(entry, path: path, context: &context)
            guard let type = FieldType(className: className) else {
                throw .unknownComponent(path: "\(path).class", kind: "field type", name: className,
                                        known: FieldType.allCases.flatMap { [$0.rawValue, $0.whooshClassName] })
            }
            types[name] = (type, args.values)
        }
        return types
    }

    private func parseDefaultSearchField(_ root: ConfigMap, fields: [FieldConfig]) throws(ConfigError) -> String? {
        switch root["default_search_field"] {
        case nil, .null?:
            return nil
        case .string(let value)?:
            for name in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let field = fields.first(where: { $0.name == name }) else {
                    throw .invalid(path: "default_search_field", reason: "no field named '\(name)' in the schema; fields: \(fields.map(\.name).joined(separator: ", "))")
                }
                guard field.type.isAnalyzed else {
                    throw .invalid(path: "default_search_field", reason: "field '\(name)' is of type \(field.type.rawValue), which has no terms to search")
                }
            }
            return value
        case let other?:
            throw .badValue(path: "default_search_field", expected: "a field name", got: other.displayText)
        }
    }

    private func parseWeighting(_ root: ConfigMap, fields: [FieldConfig], context: inout LoadContext) throws(ConfigError) -> WeightingConfig {
        var config = WeightingConfig()
        for (name, entry) in try Self.entries(root, "weighting") {
            let path = "weighting.\(name)"
            let (className, args) = try Self.classAndArgs(entry, path: path, context: &context)
            let spec = ComponentSpec(className: className, args: args.values, path: path)
            if name == "default" {
                config.defaultWeighting = spec
            } else {
                guard fields.contains(where: { $0.name == name }) else {
                    throw .invalid(path: path, reason: "no field named '\(name)' in the schema (use 'default' for all fields)")
                }
                config.perField[name] = spec
            }
        }
        return config
    }
}

/// What the loader has built so far, for resolving names across sections.
struct LoadContext {
    let registry: Registry
    var tokenizers: [String: any Tokenizer] = [:]
    var filters: [String: any TokenFilter] = [:]
    var analyzers: [String: any Analyzer] = [:]
    var warnings: [String] = []

    /// Makes a component through the registry, turning factory failures into `ConfigError`s.
    func make<Product>(_ kind: ComponentKind<Product>, name: String, args: ComponentArgs, path: String) throws(ConfigError) -> Product {
        do {
            return try registry.make(kind, name: name, args: args, path: path)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw .invalid(path: args.path, reason: "\(error)")
        }
    }

    /// A component the config's own section defines under `name`, else a registered one made
    /// with no args; unknown names list both.
    func component<Product>(_ kind: ComponentKind<Product>, named name: String, defined: [String: Product], path: String) throws(ConfigError) -> Product {
        if let component = defined[name] { return component }
        guard registry.contains(kind, name: name) else {
            throw .unknownComponent(path: path, kind: kind.name, name: name, known: defined.keys.sorted() + registry.names(of: kind))
        }
        return try make(kind, name: name, args: ComponentArgs(path: path), path: path)
    }

    func tokenizer(named name: String, path: String) throws(ConfigError) -> any Tokenizer {
        try component(.tokenizer, named: name, defined: tokenizers, path: path)
    }

    func filter(named name: String, path: String) throws(ConfigError) -> any TokenFilter {
        try component(.filter, named: name, defined: filters, path: path)
    }

    func analyzer(named name: String, path: String) throws(ConfigError) -> any Analyzer {
        try component(.analyzer, named: name, defined: analyzers, path: path)
    }

    /// Warns about the keys of an entry that change nothing (the original's files have some).
    mutating func warnUnknownKeys(_ entry: ConfigMap, allowed: [String], path: String) {
        for key in entry.keys where !allowed.contains(key) {
            let hint = key == "attributes" ? " (did you mean 'args'?)" : ""
            warnings.append("\(path).\(key): unknown key ignored\(hint)")
        }
    }
}
