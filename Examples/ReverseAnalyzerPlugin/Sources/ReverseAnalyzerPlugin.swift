import Core

// An out-of-tree Cockatrice plugin: built against the plugin SDK (`make plugin-sdk`), never
// linked with Core, loaded with `cockatrice ... --plugin=libReverseAnalyzerPlugin.so`.
// It registers a tokenizer, a filter and an analyzer made of the two.

/// Splits text into runs of letters and digits (any script), offsets in code points.
struct WordTokenizer: Tokenizer {
    func tokenize(_ text: UnsafeBufferPointer<UInt8>, mode: AnalysisMode, into output: inout TokenBuffer) {
        var position: Int32 = 0
        var codePoint: Int32 = 0
        var wordStartByte = -1
        var wordStartCodePoint: Int32 = 0
        var index = 0
        var decoder = UTF8()
        var iterator = text.makeIterator()
        func flush(at byte: Int) {
            if wordStartByte >= 0 {
                output.append(term: UnsafeBufferPointer(rebasing: text[wordStartByte..<byte]), position: position,
                              startOffset: wordStartCodePoint, endOffset: codePoint)
                position += 1
                wordStartByte = -1
            }
        }
        while true {
            let before = index
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                index += UTF8.width(scalar)
                if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                    if wordStartByte < 0 {
                        wordStartByte = before
                        wordStartCodePoint = codePoint
                    }
                } else {
                    flush(at: before)
                }
                codePoint += 1
            case .error:
                index += 1
                flush(at: before)
                codePoint += 1
            case .emptyInput:
                flush(at: index)
                return
            }
        }
    }
}

/// Lowercases each term and reverses it by Unicode scalars ("Hello" -> "olleh").
struct ReverseFilter: TokenFilter {
    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        scratch.removeAll()
        for i in 0..<tokens.count {
            let token = tokens[i]
            let term = tokens.withTerm(i) { String(decoding: $0, as: UTF8.self) }
            scratch.startTerm()
            for scalar in term.lowercased().unicodeScalars.reversed() {
                for byte in String(scalar).utf8 { scratch.appendTermByte(byte) }
            }
            scratch.finishTerm(position: token.position, startOffset: token.startOffset, endOffset: token.endOffset, flags: token.flags)
        }
        swap(&tokens, &scratch)
    }
}

@_cdecl("cockatrice_plugin_register")
public func cockatricePluginRegister(_ pointer: UnsafeRawPointer) -> Int32 {
    let host = PluginHost.from(pointer)
    do {
        try host.registry.register(.tokenizer, name: "example_words", provider: host.provider,
                                   summary: "runs of letters and digits (example plugin)") { args in
            try args.allowOnly([])
            return WordTokenizer()
        }
        try host.registry.register(.filter, name: "example_reverse", provider: host.provider,
                                   summary: "lowercase and reverse each term (example plugin)") { args in
            try args.allowOnly([])
            return ReverseFilter()
        }
        try host.registry.register(.analyzer, name: "reverse", aliases: ["example.ReverseAnalyzer"], provider: host.provider,
                                   summary: "example_words + example_reverse (example plugin)") { args in
            try args.allowOnly([])
            return ChainAnalyzer(tokenizer: WordTokenizer(), filters: [ReverseFilter()])
        }
        return 0
    } catch {
        host.fail("\(error)")
        return 1
    }
}
