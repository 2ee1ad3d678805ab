import Core

/// The built-in analyzers, under short names and Whoosh's class names, each taking the
/// arguments of the Whoosh function of the same name (and the ones the index config passes
/// for a field type's implied analyzer).
enum AnalyzerRegistration {
    static func register(into registry: Registry) throws {
        try registry.register(.analyzer, name: "id", aliases: ["whoosh.analysis.IDAnalyzer"],
                              summary: "The whole value as one token, optionally lowercased") { args in
            try args.allowOnly(["lowercase"])
            return WhooshAnalyzers.id(lowercase: try args.bool("lowercase", default: false))
        }
        try registry.register(.analyzer, name: "keyword", aliases: ["whoosh.analysis.KeywordAnalyzer"],
                              summary: "Space- (or comma-) separated keywords, optionally lowercased") { args in
            try args.allowOnly(["lowercase", "commas"])
            return try WhooshAnalyzers.keyword(lowercase: try args.bool("lowercase", default: false), commas: try args.bool("commas", default: false))
        }
        try registry.register(.analyzer, name: "idlist",
                              summary: "Ids separated by whitespace, commas or semicolons (Whoosh's IDLIST field)") { args in
            try args.allowOnly(["expression", "lowercase"])
            return try WhooshAnalyzers.idList(expression: args.expression(default: #"[^\r\n\t ,;]+"#),
                                              lowercase: try args.bool("lowercase", default: false), path: args.keyPath("expression"))
        }
        try registry.register(.analyzer, name: "regex", aliases: ["whoosh.analysis.RegexAnalyzer"],
                              summary: "Regex tokenizer alone") { args in
            try args.allowOnly(["expression", "gaps"])
            return try WhooshAnalyzers.regex(expression: args.expression(), gaps: try args.bool("gaps", default: false), path: args.keyPath("expression"))
        }
        try registry.register(.analyzer, name: "simple", aliases: ["whoosh.analysis.SimpleAnalyzer"],
                              summary: "Regex tokenizer and lowercase") { args in
            try args.allowOnly(["expression", "gaps"])
            return try WhooshAnalyzers.simple(expression: args.expression(), gaps: try args.bool("gaps", default: false), path: args.keyPath("expression"))
        }
        try registry.register(.analyzer, name: "standard", aliases: ["whoosh.analysis.StandardAnalyzer"],
                              summary: "Regex tokenizer, lowercase and stop words (the default of text fields)") { args in
            try args.allowOnly(["expression", "stoplist", "minsize", "maxsize", "gaps"])
            let (minSize, maxSize) = try args.stopSizes()
            return try WhooshAnalyzers.standard(expression: args.expression(), stoplist: args.stoplist(), minSize: minSize, maxSize: maxSize,
                                                gaps: try args.bool("gaps", default: false), path: args.keyPath("expression"))
        }
        try registry.register(.analyzer, name: "stemming", aliases: ["whoosh.analysis.StemmingAnalyzer"],
                              summary: "The standard analyzer followed by the original Porter stemmer") { args in
            try args.allowOnly(["expression", "stoplist", "minsize", "maxsize", "gaps", "ignore", "cachesize"])
            try args.checkCacheSize()
            let (minSize, maxSize) = try args.stopSizes()
            return try WhooshAnalyzers.stemming(expression: args.expression(), stoplist: args.stoplist(), minSize: minSize, maxSize: maxSize,
                                                gaps: try args.bool("gaps", default: false), ignore: try args.stringList("ignore", default: []) ?? [],
                                                path: args.keyPath("expression"))
        }
        try registry.register(.analyzer, name: "fancy", aliases: ["whoosh.analysis.FancyAnalyzer"],
                              summary: "Whitespace tokens split at case, digit and delimiter changes, lowercased, stop words") { args in
            try args.allowOnly(["expression", "stoplist", "minsize", "maxsize", "gaps", "splitwords", "splitnums", "mergewords", "mergenums"])
            let (minSize, maxSize) = try args.stopSizes()
            return try WhooshAnalyzers.fancy(
                expression: args.expression(default: #"\s+"#), stoplist: args.stoplist() ?? [], minSize: minSize, maxSize: maxSize,
                gaps: try args.bool("gaps", default: true), splitWords: try args.bool("splitwords", default: true),
                splitNums: try args.bool("splitnums", default: true), mergeWords: try args.bool("mergewords", default: false),
                mergeNums: try args.bool("mergenums", default: false), path: args.keyPath("expression"))
        }
        try registry.register(.analyzer, name: "language", aliases: ["whoosh.analysis.LanguageAnalyzer"],
                              summary: "Lowercase, the language's stop words and stemmer (lang)") { args in
            try args.allowOnly(["lang", "expression", "gaps", "cachesize"])
            try args.checkCacheSize()
            guard let lang = try args.string("lang") else { throw ConfigError.missingKey(path: args.keyPath("lang")) }
            return try WhooshAnalyzers.language(lang, expression: args.expression(), gaps: try args.bool("gaps", default: false),
                                                path: args.keyPath("expression"), langPath: args.keyPath("lang"))
        }
        try registry.register(.analyzer, name: "ngram", aliases: ["whoosh.analysis.NgramAnalyzer"],
                              summary: "Lowercased n-grams of the whole value (minsize, maxsize)") { args in
            try args.allowOnly(["minsize", "maxsize"])
            let (minSize, maxSize) = try args.ngramSizes(defaultMin: 2)
            return WhooshAnalyzers.ngram(minSize: minSize, maxSize: maxSize)
        }
        try registry.register(.analyzer, name: "ngramwords", aliases: ["whoosh.analysis.NgramWordAnalyzer"],
                              summary: "Lowercased n-grams of each word (minsize, maxsize, tokenizer, at)") { [registry] args in
            try args.allowOnly(["minsize", "maxsize", "tokenizer", "at"])
            let (minSize, maxSize) = try args.ngramSizes(defaultMin: 2)
            return try WhooshAnalyzers.ngramWords(minSize: minSize, maxSize: maxSize,
                                                  tokenizer: try tokenizer(args, registry: registry), at: try args.ngramAnchor())
        }
    }

    /// The `tokenizer` argument: a registered tokenizer's name, or `{class: NAME, args: {...}}`.
    private static func tokenizer(_ args: ComponentArgs, registry: Registry) throws -> (any Tokenizer)? {
        let path = args.keyPath("tokenizer")
        switch args["tokenizer"] {
        case nil, .null?:
            return nil
        case .string(let name)?:
            return try registry.make(.tokenizer, name: name, args: ComponentArgs(path: "\(path).args"), path: path)
        case .map(let map)?:
            guard case .string(let name)? = map["class"] else {
                throw ConfigError.missingKey(path: "\(path).class")
            }
            for key in map.keys where key != "class" && key != "args" {
                throw ConfigError.unknownArgument(path: path, name: key, allowed: ["class", "args"])
            }
            var inner = ConfigMap()
            switch map["args"] {
            case nil, .null?: break
            case .map(let m)?: inner = m
            case let other?: throw ConfigError.badValue(path: "\(path).args", expected: "a mapping", got: other.displayText)
            }
            return try registry.make(.tokenizer, name: name, args: ComponentArgs(inner, path: "\(path).args"), path: "\(path).class")
        case let other?:
            throw ConfigError.badValue(path: path, expected: "a tokenizer name or {class, args}", got: other.displayText)
        }
    }
}
