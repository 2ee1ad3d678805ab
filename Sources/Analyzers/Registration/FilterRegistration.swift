import Core

/// The built-in token filters, under short names and Whoosh's class names.
enum FilterRegistration {
    static func register(into registry: Registry) throws {
        try registry.register(.filter, name: "lowercase", aliases: ["whoosh.analysis.LowercaseFilter"],
                              summary: "Lowercases terms (full Unicode case mapping)") { args in
            try args.allowOnly([])
            return LowercaseFilter()
        }
        try registry.register(.filter, name: "stop", aliases: ["whoosh.analysis.StopFilter"],
                              summary: "Removes stop words and too short or too long terms") { args in
            try args.allowOnly(["stoplist", "minsize", "maxsize", "renumber", "lang"])
            var stops = try args.stoplist() ?? []
            if let lang = try args.string("lang") {
                guard let code = LanguageCodes.twoLetterCode(lang), let list = StopWordLists.byLanguage[code] else {
                    throw ConfigError.badValue(path: args.keyPath("lang"), expected: "a language with a stop list (\(StopWordLists.byLanguage.keys.sorted().joined(separator: ", ")))", got: "'\(lang)'")
                }
                stops += list
            }
            let (minSize, maxSize) = try args.stopSizes()
            return StopFilter(stoplist: stops, minSize: minSize, maxSize: maxSize, renumber: try args.bool("renumber", default: true))
        }
        try registry.register(.filter, name: "stem", aliases: ["whoosh.analysis.StemFilter"],
                              summary: "Stems terms: original Porter, or Snowball English with lang: en") { args in
            try args.allowOnly(["lang", "ignore", "cachesize"])
            try args.checkCacheSize()
            var algorithm = StemFilter.Algorithm.porter
            if let lang = try args.string("lang") {
                guard let found = LanguageSupport.stemmer(for: lang) else {
                    throw ConfigError.badValue(path: args.keyPath("lang"), expected: "a language with a stemmer in this build (en, en_porter)", got: "'\(lang)'")
                }
                algorithm = found
            }
            return StemFilter(algorithm: algorithm, ignore: try args.stringList("ignore", default: []) ?? [])
        }
        try registry.register(.filter, name: "ngram", aliases: ["whoosh.analysis.NgramFilter"],
                              summary: "N-grams of each term (minsize, maxsize, at: start/end)") { args in
            try args.allowOnly(["minsize", "maxsize", "at"])
            let (minSize, maxSize) = try args.ngramSizes(defaultMin: nil)
            return NgramFilter(minSize: minSize, maxSize: maxSize, at: try args.ngramAnchor())
        }
        try registry.register(.filter, name: "intraword", aliases: ["whoosh.analysis.IntraWordFilter"],
                              summary: "Splits terms at delimiters, case and letter/digit changes; optionally merges parts") { args in
            try args.allowOnly(["delims", "splitwords", "splitnums", "mergewords", "mergenums"])
            return IntraWordFilter(
                delims: try args.string("delims", default: IntraWordFilter.defaultDelims) ?? IntraWordFilter.defaultDelims,
                splitWords: try args.bool("splitwords", default: true), splitNums: try args.bool("splitnums", default: true),
                mergeWords: try args.bool("mergewords", default: false), mergeNums: try args.bool("mergenums", default: false))
        }
        try registry.register(.filter, name: "shingle", aliases: ["whoosh.analysis.ShingleFilter"],
                              summary: "Joins runs of `size` consecutive terms with `sep` (word n-grams)") { args in
            try args.allowOnly(["size", "sep"])
            return ShingleFilter(size: try args.int("size", default: 2, in: 1...64) ?? 2, separator: try args.string("sep", default: "-") ?? "-")
        }
        try registry.register(.filter, name: "strip", aliases: ["whoosh.analysis.StripFilter"],
                              summary: "Strips leading and trailing whitespace from terms") { args in
            try args.allowOnly([])
            return StripFilter()
        }
        try registry.register(.filter, name: "reversetext", aliases: ["whoosh.analysis.ReverseTextFilter"],
                              summary: "Reverses each term") { args in
            try args.allowOnly([])
            return ReverseTextFilter()
        }
        try registry.register(.filter, name: "asciifolding",
                              summary: "Folds accented Latin letters and ligatures to ASCII (café -> cafe, ß -> ss)") { args in
            try args.allowOnly([])
            return ASCIIFoldingFilter()
        }
        try registry.register(.filter, name: "cjk_bigram",
                              summary: "Splits Chinese, Japanese and Korean runs into overlapping bigrams") { args in
            try args.allowOnly([])
            return CJKBigramFilter()
        }
    }
}
