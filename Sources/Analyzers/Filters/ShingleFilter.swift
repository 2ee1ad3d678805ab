import Core

/// Whoosh's `ShingleFilter`: joins each run of `size` consecutive terms with `sep` ("a-b",
/// "b-c"), at the first term's position and spanning its start to the last one's end; fewer
/// terms than `size` give one shingle of them all.
struct ShingleFilter: TokenFilter {
    let size: Int
    let separator: [UInt8]

    init(size: Int = 2, separator: String = "-") {
        self.size = size
        self.separator = Array(separator.utf8)
    }

    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        guard !tokens.isEmpty else { return }
        scratch.removeAll()
        let count = tokens.count
        func shingle(_ first: Int, _ last: Int) {
            scratch.startTerm()
            for k in first...last {
                if k > first { separator.withUnsafeBufferPointer { scratch.appendTermBytes($0) } }
                tokens.withTerm(k) { scratch.appendTermBytes($0) }
            }
            scratch.finishTerm(position: tokens[first].position, startOffset: tokens[first].startOffset,
                               endOffset: tokens[last].endOffset, flags: tokens[first].flags)
        }
        if count < size {
            shingle(0, count - 1)
        } else {
            for first in 0...(count - size) { shingle(first, first + size - 1) }
        }
        swap(&tokens, &scratch)
    }
}
