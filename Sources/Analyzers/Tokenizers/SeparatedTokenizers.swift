import Core

/// Whoosh's `SpaceSeparatedTokenizer()`: runs of anything but space, tab, CR and LF.
enum SpaceSeparatedTokenizer {
    static let expression = "[^ \\t\\r\\n]+"

    static func make() throws(ConfigError) -> RegexTokenizer {
        try RegexTokenizer(expression: expression)
    }
}

/// Whoosh's `CommaSeparatedTokenizer()`: the text between commas, stripped of surrounding
/// whitespace (Whoosh builds it as `RegexTokenizer("[^,]+") | StripFilter()`).
struct CommaSeparatedTokenizer: Tokenizer {
    let matcher: RegexTokenizer

    init() throws(ConfigError) {
        matcher = try RegexTokenizer(expression: "[^,]+")
    }

    func tokenize(_ text: UnsafeBufferPointer<UInt8>, mode: AnalysisMode, into output: inout TokenBuffer) {
        let first = output.count
        matcher.tokenize(text, mode: mode, into: &output)
        StripFilter.strip(&output, from: first)
    }
}
