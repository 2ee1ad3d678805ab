import Core

/// Whoosh's `StemFilter`: replaces each term by its stem, except the terms in `ignore`.
///
/// Without a language it is Porter's original algorithm (`PorterStemmer`); with `lang: en` it
/// is Snowball English as Whoosh has it (`SnowballEnglishStemmer`), which lowercases first.
///
/// Whoosh's `cachesize` (an LFU cache in front of the stemmer) is accepted and ignored: our
/// stemmers cost a few hundred nanoseconds a word and allocate nothing, while a cache shared
/// by the threads that analyze with this filter would need a lock per token, which costs more
/// than the stemming it saves.
struct StemFilter: TokenFilter {
    enum Algorithm: Sendable {
        case porter
        case snowballEnglish
    }

    let algorithm: Algorithm
    let ignore: ByteStringSet

    init(algorithm: Algorithm, ignore: [String] = []) {
        self.algorithm = algorithm
        self.ignore = ByteStringSet(ignore)
    }

    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        let algorithm = algorithm
        let ignore = ignore
        TermRewriter.apply(&tokens, scratch: &scratch, capacity: { $0 * 2 + 16 }) { term, out in
            if !ignore.isEmpty && ignore.contains(term) { return nil }
            return Self.stem(term, algorithm: algorithm, into: out)
        }
    }

    /// Writes the stem of `term` to `out` (room for `2 * term.count + 16` bytes); returns its length.
    static func stem(_ term: UnsafeBufferPointer<UInt8>, algorithm: Algorithm, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        switch algorithm {
        case .porter:
            return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: term.count + 8) { w in
                let n = UTF8Scalars.decodeAll(term, into: w.baseAddress!)
                return encode(w.baseAddress!, PorterStemmer.stem(w.baseAddress!, count: n), into: out)
            }
        case .snowballEnglish:
            // Whoosh's stemmer lowercases (str.lower), then looks up its special words.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: UnicodeLowercase.capacity(term.count)) { lower in
                let lowerCount = UnicodeLowercase.lowercase(term, into: lower)
                let lowered = UnsafeBufferPointer(rebasing: lower[0..<lowerCount])
                if SnowballEnglishStemmer.specialKeys.contains(lowered),
                   let stem = SnowballEnglishStemmer.specialValues[String(decoding: lowered, as: UTF8.self)] {
                    var n = 0
                    for b in stem.utf8 {
                        out[n] = b
                        n += 1
                    }
                    return n
                }
                let capacity = lowerCount + 8
                return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity * 3) { buffers in
                    let w = buffers.baseAddress!
                    let n = UTF8Scalars.decodeAll(lowered, into: w)
                    let stemmed = SnowballEnglishStemmer.stem(w, count: n, r1Buffer: w + capacity, r2Buffer: w + 2 * capacity)
                    return encode(w, stemmed, into: out)
                }
            }
        }
    }

    private static func encode(_ scalars: UnsafeMutablePointer<UInt32>, _ count: Int, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var n = 0
        for i in 0..<count { n += UTF8Scalars.encode(scalars[i], to: out.baseAddress! + n) }
        return n
    }
}
