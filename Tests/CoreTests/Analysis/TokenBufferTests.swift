@testable import Core
import Testing

@Suite struct TokenBufferTests {
    @Test func chainRunsTokenizerThenFiltersInOrder() {
        let analyzer = ChainAnalyzer(tokenizer: SpaceSplitTokenizer(), filters: [AsciiLowercaseFilter(), MinLengthFilter(minsize: 3)])
        let tokens = analyzer.analyzedTokens("The QUICK fox is ON top")
        #expect(tokens.map(\.token) == ["the", "quick", "fox", "top"])
        // Removed tokens leave position gaps.
        #expect(tokens.map(\.position) == [0, 1, 2, 5])
        #expect(tokens[1].startOffset == 4 && tokens[1].endOffset == 9)
    }

    @Test func positionIncrementsReportRemovedTokens() {
        var stream = TokenStream()
        stream.analyze("a bb ccc d eeee", with: ChainAnalyzer(tokenizer: SpaceSplitTokenizer(), filters: [MinLengthFilter(minsize: 2)]))
        let increments = (0..<stream.tokens.count).map { stream.tokens.positionIncrement($0) }
        #expect(increments == [2, 1, 2])
    }

    @Test func reusedStreamKeepsNoStaleTokens() {
        var stream = TokenStream()
        let analyzer = ChainAnalyzer(tokenizer: SpaceSplitTokenizer())
        stream.analyze("one two three four", with: analyzer)
        #expect(stream.tokens.count == 4)
        stream.analyze("five", with: analyzer)
        #expect(stream.tokens.count == 1)
        #expect(stream.tokens.termString(0) == "five")
        #expect(stream.tokens[0].termStart == 0, "the arena is reset between values")
    }

    @Test func termsBuiltByteByByteAndShared() {
        var buffer = TokenBuffer()
        buffer.startTerm()
        for byte in "abc".utf8 { buffer.appendTermByte(byte) }
        #expect(buffer.pendingTermLength == 3)
        buffer.finishTerm(position: 0, startOffset: 0, endOffset: 3)
        buffer.startTerm()
        buffer.appendTermByte(UInt8(ascii: "x"))
        buffer.discardTerm()
        // An n-gram filter can point a second token into the first one's bytes.
        buffer.append(sharingTermAt: 1, length: 2, position: 0, startOffset: 1, endOffset: 3)
        #expect((0..<buffer.count).map { buffer.termString($0) } == ["abc", "bc"])
    }

    @Test func inPlaceRewriteMayShortenTerms() {
        var buffer = TokenBuffer()
        Array("Hello!".utf8).withUnsafeBufferPointer { buffer.append(term: $0, position: 0, startOffset: 0, endOffset: 6) }
        buffer.withMutableTerm(0) { term in
            term[0] = UInt8(ascii: "h")
            return term.count - 1
        }
        #expect(buffer.termString(0) == "hello")
    }
}
