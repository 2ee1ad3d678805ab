import Core

/// A minimal tokenizer for tests of Core that must not depend on the real analyzers' behaviour:
/// splits on ASCII spaces, offsets in bytes (the test inputs are ASCII).
struct SpaceSplitTokenizer: Tokenizer {
    func tokenize(_ text: UnsafeBufferPointer<UInt8>, mode: AnalysisMode, into output: inout TokenBuffer) {
        var start = 0
        var position: Int32 = 0
        for i in 0...text.count {
            if i == text.count || text[i] == UInt8(ascii: " ") {
                if i > start {
                    output.append(term: UnsafeBufferPointer(rebasing: text[start..<i]), position: position,
                                  startOffset: Int32(start), endOffset: Int32(i))
                    position += 1
                }
                start = i + 1
            }
        }
    }
}

/// ASCII lowercasing in place, as the real lowercase filter's fast path does.
struct AsciiLowercaseFilter: TokenFilter {
    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        for i in 0..<tokens.count {
            tokens.withMutableTerm(i) { term in
                for j in term.indices where term[j] >= 65 && term[j] <= 90 { term[j] += 32 }
                return term.count
            }
        }
    }
}

/// Drops tokens shorter than `minsize`, leaving position gaps: exercises filters that remove.
struct MinLengthFilter: TokenFilter {
    let minsize: Int
    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        tokens.removeTokens { Int($0.termLength) < minsize }
    }
}

/// A registry with the fake components under the names the config loader asks for.
func fakeRegistry() throws -> Registry {
    let registry = Registry()
    try BuiltinWeightings.register(into: registry)
    try registry.register(.tokenizer, name: "space", aliases: ["whoosh.analysis.SpaceSeparatedTokenizer"]) { args in
        try args.allowOnly([])
        return SpaceSplitTokenizer()
    }
    try registry.register(.filter, name: "lowercase", aliases: ["whoosh.analysis.LowercaseFilter"]) { args in
        try args.allowOnly([])
        return AsciiLowercaseFilter()
    }
    try registry.register(.filter, name: "minlength") { args in
        try args.allowOnly(["minsize"])
        return MinLengthFilter(minsize: try args.int("minsize", default: 2, in: 1...100) ?? 2)
    }
    for name in ["standard", "id", "keyword", "idlist", "ngram", "ngramwords", "language"] {
        try registry.register(.analyzer, name: name, aliases: ["whoosh.analysis.\(name.capitalized)Analyzer"]) { args in
            try args.allowOnly(["lowercase", "commas", "expression", "minsize", "maxsize", "tokenizer", "at", "lang"])
            return ChainAnalyzer(tokenizer: SpaceSplitTokenizer(), filters: [AsciiLowercaseFilter()])
        }
    }
    return registry
}
