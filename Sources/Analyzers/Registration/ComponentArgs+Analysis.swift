import Core

/// Readers for the arguments the analysis components share, with Whoosh's defaults and
/// errors that name the key path.
extension ComponentArgs {
    func keyPath(_ key: String) -> String { "\(path).\(key)" }

    /// `stoplist`: absent means Whoosh's default list; null means none (`.none`); else the list.
    func stoplist() throws(ConfigError) -> [String]? {
        if case .null? = self["stoplist"] { return nil }
        return try stringList("stoplist", default: StopWordLists.whooshDefault)
    }

    /// `minsize` / `maxsize` of n-grams: maxsize null or absent means minsize (as Whoosh's `maxsize or minsize`).
    func ngramSizes(defaultMin: Int?) throws(ConfigError) -> (Int, Int) {
        guard let minSize = try int("minsize", default: defaultMin, in: 1...1024) else {
            throw .missingKey(path: keyPath("minsize"))
        }
        let maxSize = try int("maxsize", default: nil, in: 1...1024) ?? minSize
        guard maxSize >= minSize else {
            throw .badValue(path: keyPath("maxsize"), expected: "an integer not less than minsize (\(minSize))", got: String(maxSize))
        }
        return (minSize, maxSize)
    }

    /// `at` of the n-gram filter: "start", "end", or null for anywhere.
    func ngramAnchor() throws(ConfigError) -> NgramFilter.Anchor {
        switch try string("at") {
        case nil: return .anywhere
        case "start"?: return .start
        case "end"?: return .end
        case let other?: throw .badValue(path: keyPath("at"), expected: "'start', 'end' or null", got: "'\(other)'")
        }
    }

    /// The stop-word `minsize` / `maxsize` pair (code points).
    func stopSizes() throws(ConfigError) -> (Int, Int?) {
        let minSize = try int("minsize", default: 2, in: 0...1_000_000) ?? 2
        let maxSize = try int("maxsize", default: nil, in: 0...1_000_000)
        return (minSize, maxSize)
    }

    /// `expression` (validated later by the tokenizer, which names this key on error).
    func expression(default value: String = RegexTokenizer.defaultExpression) throws(ConfigError) -> String {
        try string("expression", default: value) ?? value
    }

    /// `cachesize`: accepted for compatibility (see `StemFilter` for why there is no cache).
    func checkCacheSize() throws(ConfigError) {
        _ = try int("cachesize", default: nil)
    }
}
