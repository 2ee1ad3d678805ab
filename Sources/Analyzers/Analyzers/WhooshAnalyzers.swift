import Core

/// The analyzers Whoosh builds by function (`StandardAnalyzer(...)` and friends), as chains of
/// our tokenizers and filters, with Whoosh's defaults. The registry factories read the config
/// arguments and call these.
enum WhooshAnalyzers {
    /// `IDAnalyzer`: the whole value, optionally lowercased (id fields).
    static func id(lowercase: Bool) -> ChainAnalyzer {
        ChainAnalyzer(tokenizer: IDTokenizer(), filters: lowercase ? [LowercaseFilter()] : [])
    }

    /// `KeywordAnalyzer`: space-separated (or comma-separated, stripped) keywords.
    static func keyword(lowercase: Bool, commas: Bool) throws(ConfigError) -> ChainAnalyzer {
        let tokenizer: any Tokenizer = commas ? try CommaSeparatedTokenizer() : try SpaceSeparatedTokenizer.make()
        return ChainAnalyzer(tokenizer: tokenizer, filters: lowercase ? [LowercaseFilter()] : [])
    }

    /// The analyzer of Whoosh's IDLIST field: ids separated by whitespace, commas or semicolons.
    static func idList(expression: String, lowercase: Bool, path: String) throws(ConfigError) -> ChainAnalyzer {
        ChainAnalyzer(tokenizer: try RegexTokenizer(expression: expression, path: path),
                      filters: lowercase ? [LowercaseFilter()] : [])
    }

    /// `RegexAnalyzer`: the regex tokenizer alone.
    static func regex(expression: String, gaps: Bool, path: String) throws(ConfigError) -> ChainAnalyzer {
        ChainAnalyzer(tokenizer: try RegexTokenizer(expression: expression, gaps: gaps, path: path))
    }

    /// `SimpleAnalyzer`: regex tokenizer and lowercase.
    static func simple(expression: String, gaps: Bool, path: String) throws(ConfigError) -> ChainAnalyzer {
        ChainAnalyzer(tokenizer: try RegexTokenizer(expression: expression, gaps: gaps, path: path), filters: [LowercaseFilter()])
    }

    /// `StandardAnalyzer`: regex tokenizer, lowercase, stop words (none at all when the stop
    /// list is null, as in Whoosh, which then also keeps short words).
    static func standard(expression: String, stoplist: [String]?, minSize: Int, maxSize: Int?, gaps: Bool,
                         path: String) throws(ConfigError) -> ChainAnalyzer {
        var filters: [any TokenFilter] = [LowercaseFilter()]
        if let stoplist { filters.append(StopFilter(stoplist: stoplist, minSize: minSize, maxSize: maxSize)) }
        return ChainAnalyzer(tokenizer: try RegexTokenizer(expression: expression, gaps: gaps, path: path), filters: filters)
    }

    /// `StemmingAnalyzer`: the standard chain followed by the original Porter stemmer.
    static func stemming(expression: String, stoplist: [String]?, minSize: Int, maxSize: Int?, gaps: Bool,
                         ignore: [String], path: String) throws(ConfigError) -> ChainAnalyzer {
        let standard = try standard(expression: expression, stoplist: stoplist, minSize: minSize, maxSize: maxSize, gaps: gaps, path: path)
        return ChainAnalyzer(tokenizer: standard.tokenizer,
                             filters: standard.filters + [StemFilter(algorithm: .porter, ignore: ignore)])
    }

    /// `FancyAnalyzer`: whitespace tokens split by `IntraWordFilter`, lowercased, stop words.
    static func fancy(expression: String, stoplist: [String], minSize: Int, maxSize: Int?, gaps: Bool,
                      splitWords: Bool, splitNums: Bool, mergeWords: Bool, mergeNums: Bool, path: String) throws(ConfigError) -> ChainAnalyzer {
        ChainAnalyzer(
            tokenizer: try RegexTokenizer(expression: expression, gaps: gaps, path: path),
            filters: [
                IntraWordFilter(splitWords: splitWords, splitNums: splitNums, mergeWords: mergeWords, mergeNums: mergeNums),
                LowercaseFilter(),
                // Whoosh's FancyAnalyzer passes no maxsize on to its StopFilter.
                StopFilter(stoplist: stoplist, minSize: minSize, maxSize: nil),
            ])
    }

    /// `LanguageAnalyzer`: lowercase, Whoosh's default stop words plus the language's, and the
    /// language's Snowball stemmer. Only English has a stemmer in this build.
    static func language(_ code: String, expression: String, gaps: Bool, path: String, langPath: String) throws(ConfigError) -> ChainAnalyzer {
        guard let stemmer = LanguageSupport.stemmer(for: code) else {
            throw .invalid(path: langPath, reason: "no stemmer for language '\(code)' in this build; supported: en")
        }
        var filters: [any TokenFilter] = [LowercaseFilter()]
        // Whoosh adds the stop filter only when the language has a stop list (not "en_porter").
        if let two = LanguageCodes.twoLetterCode(code), let list = StopWordLists.byLanguage[two] {
            filters.append(StopFilter(stoplist: StopWordLists.whooshDefault + list))
        }
        filters.append(StemFilter(algorithm: stemmer))
        return ChainAnalyzer(tokenizer: try RegexTokenizer(expression: expression, gaps: gaps, path: path), filters: filters)
    }

    /// `NgramAnalyzer`: n-grams of the whole value, lowercased.
    static func ngram(minSize: Int, maxSize: Int) -> ChainAnalyzer {
        ChainAnalyzer(tokenizer: NgramTokenizer(minSize: minSize, maxSize: maxSize), filters: [LowercaseFilter()])
    }

    /// `NgramWordAnalyzer`: words (default tokenizer unless given), lowercased, then n-grams of each.
    static func ngramWords(minSize: Int, maxSize: Int, tokenizer: (any Tokenizer)?, at: NgramFilter.Anchor) throws(ConfigError) -> ChainAnalyzer {
        let words: any Tokenizer
        if let tokenizer { words = tokenizer } else { words = try RegexTokenizer() }
        return ChainAnalyzer(tokenizer: words,
                      filters: [LowercaseFilter(), NgramFilter(minSize: minSize, maxSize: maxSize, at: at)])
    }
}

/// Which languages have what.
enum LanguageSupport {
    /// The stemmer for a Whoosh language name: Snowball English for English, the original
    /// Porter for Whoosh's "en_porter"; nil for languages whose stemmers are not ported.
    static func stemmer(for name: String) -> StemFilter.Algorithm? {
        if name == "en_porter" { return .porter }
        return LanguageCodes.twoLetterCode(name) == "en" ? .snowballEnglish : nil
    }
}
