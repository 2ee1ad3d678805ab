import Core

/// The built-in tokenizers, under short names and Whoosh's class names.
enum TokenizerRegistration {
    static func register(into registry: Registry) throws {
        try registry.register(.tokenizer, name: "regex", aliases: ["whoosh.analysis.RegexTokenizer"],
                              summary: "Tokens are the matches of a regular expression (or, with gaps, the text between them)") { args in
            try args.allowOnly(["expression", "gaps"])
            return try RegexTokenizer(expression: args.expression(), gaps: args.bool("gaps", default: false), path: args.keyPath("expression"))
        }
        try registry.register(.tokenizer, name: "space", aliases: ["whoosh.analysis.SpaceSeparatedTokenizer"],
                              summary: "Tokens separated by spaces, tabs and line breaks") { args in
            try args.allowOnly([])
            return try SpaceSeparatedTokenizer.make()
        }
        try registry.register(.tokenizer, name: "comma", aliases: ["whoosh.analysis.CommaSeparatedTokenizer"],
                              summary: "Tokens separated by commas, stripped of surrounding whitespace") { args in
            try args.allowOnly([])
            return try CommaSeparatedTokenizer()
        }
        try registry.register(.tokenizer, name: "keyword",
                              summary: "The tokenizer of KEYWORD fields: space-separated, or comma-separated with commas: true") { args in
            try args.allowOnly(["commas"])
            return try args.bool("commas", default: false) ? try CommaSeparatedTokenizer() : try SpaceSeparatedTokenizer.make()
        }
        try registry.register(.tokenizer, name: "path", aliases: ["whoosh.analysis.PathTokenizer"],
                              summary: "Every path prefix: /a/b/c gives /a, /a/b, /a/b/c") { args in
            try args.allowOnly(["expression"])
            return try PathTokenizer(expression: args.expression(default: "[^/]+"), path: args.keyPath("expression"))
        }
        try registry.register(.tokenizer, name: "ngram", aliases: ["whoosh.analysis.NgramTokenizer"],
                              summary: "N-grams of the whole value (minsize, maxsize)") { args in
            try args.allowOnly(["minsize", "maxsize"])
            let (minSize, maxSize) = try args.ngramSizes(defaultMin: nil)
            return NgramTokenizer(minSize: minSize, maxSize: maxSize)
        }
        try registry.register(.tokenizer, name: "id", aliases: ["whoosh.analysis.IDTokenizer"],
                              summary: "The whole value as one token") { args in
            try args.allowOnly([])
            return IDTokenizer()
        }
    }
}
