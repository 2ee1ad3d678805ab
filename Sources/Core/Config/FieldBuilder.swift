/// Builds one `FieldConfig` from a `schema` entry: resolves its field type, merges the type's
/// args under the field's, checks every argument against what the Whoosh field class takes, and
/// resolves the field's analyzer.
struct FieldBuilder {
    let name: String
    let definition: ConfigValue
    let fieldTypes: [String: (FieldType, ConfigMap)]

    /// The arguments each Whoosh field class accepts (its constructor's parameters).
    static let allowedArgs: [FieldType: [String]] = [
        .id: ["stored", "unique", "field_boost", "sortable", "analyzer"],
        .idlist: ["stored", "unique", "expression", "field_boost"],
        .stored: ["stored"],
        .keyword: ["stored", "lowercase", "commas", "scorable", "unique", "field_boost", "sortable", "vector", "analyzer"],
        .text: ["analyzer", "phrase", "chars", "stored", "field_boost", "multitoken_query", "spelling", "sortable",
                "lang", "vector", "spelling_prefix"],
        .numeric: ["numtype", "bits", "stored", "unique", "field_boost", "decimal_places", "shift_step", "signed",
                   "sortable", "default"],
        .datetime: ["stored", "unique", "sortable"],
        .boolean: ["stored", "field_boost"],
        .ngram: ["minsize", "maxsize", "stored", "field_boost", "queryor", "phrase", "sortable"],
        .ngramwords: ["minsize", "maxsize", "stored", "field_boost", "tokenizer", "at", "queryor", "sortable"],
    ]

    func build(context: inout LoadContext) throws(ConfigError) -> FieldConfig {
        let path = "schema.\(name)"
        try Self.validateName(name, path: path)
        guard case .map(let entry) = definition else {
            throw .badValue(path: path, expected: "a mapping with 'field_type' and 'args'", got: definition.displayText)
        }
        context.warnUnknownKeys(entry, allowed: ["field_type", "args"], path: path)
        guard let typeValue = entry["field_type"] else { throw .missingKey(path: "\(path).field_type") }
        guard case .string(let typeName) = typeValue else {
            throw .badValue(path: "\(path).field_type", expected: "a field type name", got: typeValue.displayText)
        }
        let type: FieldType
        var typeArgs = ConfigMap()
        if let (declared, declaredArgs) = fieldTypes[typeName] {
            type = declared
            typeArgs = declaredArgs
        } else if let builtin = FieldType(className: typeName) {
            type = builtin
        } else {
            throw .unknownComponent(path: "\(path).field_type", kind: "field type", name: typeName,
                                    known: fieldTypes.keys.sorted() + FieldType.allCases.map(\.rawValue))
        }
        var fieldArgs = ConfigMap()
        switch entry["args"] {
        case nil, .null?: break
        case .map(let map)?: fieldArgs = map
        case let other?: throw .badValue(path: "\(path).args", expected: "a mapping of argument names to values", got: other.displayText)
        }
        // A field's args override its type's. Errors name the field's path: that is where the
        // user looks first, and the merged value may have come from either place.
        let args = ComponentArgs(typeArgs.merging(fieldArgs), path: "\(path).args")
        try args.allowOnly(Self.allowedArgs[type] ?? [])

        var field = FieldConfig(name: name, type: type)
        // A STORED field exists to be stored; for the others it is opt-in, as in Whoosh.
        field.stored = try args.bool("stored", default: type == .stored)
        field.unique = try args.bool("unique", default: false)
        field.fieldBoost = try args.double("field_boost", default: 1) ?? 1
        guard field.fieldBoost.isFinite && field.fieldBoost > 0 else {
            throw .badValue(path: "\(path).args.field_boost", expected: "a positive number", got: String(field.fieldBoost))
        }
        field.sortable = try args.bool("sortable", default: false)
        let keywordScorable = try args.bool("scorable", default: false)
        field.scorable = type == .text || type == .ngram || type == .ngramwords || (type == .keyword && keywordScorable)
        switch type {
        case .text:
            field.positions = try args.bool("phrase", default: true)
        case .ngram:
            field.positions = try args.bool("phrase", default: false)
        case .numeric:
            field.numeric = try Self.numericOptions(args)
        default:
            break
        }
        if type.isAnalyzed {
            let (analyzerName, analyzer) = try resolveAnalyzer(type: type, args: args, context: &context)
            field.analyzerName = analyzerName
            field.analyzer = analyzer
        }
        return field
    }

    /// Field names are used in query syntax (`field:term`) and in paths, so they are restricted.
    static func validateName(_ name: String, path: String) throws(ConfigError) {
        let valid = !name.isEmpty && name.count <= 128 && name.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-" || scalar == "."
        } && !name.hasPrefix("_")
        guard valid else {
            throw .invalid(path: path, reason: "field name '\(name)' is not allowed: use letters, digits, '_', '-' and '.', not starting with '_'")
        }
    }

    /// The analyzer a field uses: the one it names, else the one its type implies (as Whoosh).
    private func resolveAnalyzer(type: FieldType, args: ComponentArgs, context: inout LoadContext) throws(ConfigError) -> (String, any Analyzer) {
        let path = args.path
        if let named = try args.string("analyzer"), !named.isEmpty {
            return (named, try context.analyzer(named: named, path: "\(path).analyzer"))
        }
        let implied: (String, ConfigMap)
        switch type {
        case .text:
            if let lang = try args.string("lang") {
                implied = ("language", ConfigMap([("lang", .string(lang))]))
            } else {
                implied = ("standard", ConfigMap())
            }
        case .id:
            implied = ("id", ConfigMap())
        case .idlist:
            implied = ("idlist", Self.subset(args, ["expression"]))
        case .keyword:
            implied = ("keyword", Self.subset(args, ["lowercase", "commas"]))
        case .ngram:
            implied = ("ngram", Self.subset(args, ["minsize", "maxsize"]))
        case .ngramwords:
            implied = ("ngramwords", Self.subset(args, ["minsize", "maxsize", "tokenizer", "at"]))
        case .stored, .numeric, .datetime, .boolean:
            throw .invalid(path: path, reason: "field type \(type.rawValue) is not analyzed")
        }
        let analyzer = try context.make(.analyzer, name: implied.0, args: ComponentArgs(implied.1, path: path), path: path)
        return (implied.0, analyzer)
    }

    private static func subset(_ args: ComponentArgs, _ keys: [String]) -> ConfigMap {
        ConfigMap(args.values.entries.filter { keys.contains($0.key) && $0.value != .null })
    }

    private static func numericOptions(_ args: ComponentArgs) throws(ConfigError) -> NumericOptions {
        var options = NumericOptions()
        switch try args.string("numtype", default: "int") {
        case "int", "int32", "int64", "long", "<class 'int'>": options.kind = .int
        case "float", "double", "<class 'float'>": options.kind = .float
        case let other:
            throw .badValue(path: "\(args.path).numtype", expected: "'int' or 'float'", got: "'\(other ?? "")'")
        }
        let bits = try args.int("bits", default: options.kind == .int ? 32 : 64) ?? 32
        let allowedBits = options.kind == .int ? [8, 16, 32, 64] : [32, 64]
        guard allowedBits.contains(bits) else {
            throw .badValue(path: "\(args.path).bits", expected: "one of \(allowedBits.map(String.init).joined(separator: ", "))", got: String(bits))
        }
        options.bits = bits
        options.signed = try args.bool("signed", default: true)
        options.decimalPlaces = try args.int("decimal_places", default: 0, in: 0...18) ?? 0
        _ = try args.int("shift_step", default: 4, in: 1...64)
        options.defaultValue = try args.double("default")
        return options
    }
}
