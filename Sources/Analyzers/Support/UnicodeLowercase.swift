/// Python's `str.lower()` over UTF-8 bytes: full lowercase mappings (U+0130 becomes two code
/// points) and the Final_Sigma rule, from Swift's scalar properties. Only non-ASCII terms come
/// here; ASCII is lowercased in place by the callers.
enum UnicodeLowercase {
    /// The most bytes `lowercase` writes for a term of `count` bytes.
    static func capacity(_ count: Int) -> Int { count * 2 + 4 }

    /// Writes the lowercase of `term` to `out` (at least `capacity(term.count)` bytes) and
    /// returns its length.
    static func lowercase(_ term: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: max(1, term.count)) { scalars in
            let n = UTF8Scalars.decodeAll(term, into: scalars.baseAddress!)
            var written = 0
            let o = out.baseAddress!
            for i in 0..<n {
                let s = scalars[i]
                if s < 0x80 {
                    o[written] = UInt8(s) &- 0x41 < 26 ? UInt8(s) | 0x20 : UInt8(s)
                    written += 1
                    continue
                }
                if s == 0x3A3 {
                    written += UTF8Scalars.encode(isFinalSigma(scalars.baseAddress!, i, n) ? 0x3C2 : 0x3C3, to: o + written)
                    continue
                }
                guard let scalar = Unicode.Scalar(s), scalar.properties.changesWhenLowercased else {
                    written += UTF8Scalars.encode(s, to: o + written)
                    continue
                }
                for mapped in scalar.properties.lowercaseMapping.unicodeScalars {
                    written += UTF8Scalars.encode(mapped.value, to: o + written)
                }
            }
            return written
        }
    }

    /// CPython's Final_Sigma test: a cased letter before (skipping case-ignorables) and none after.
    private static func isFinalSigma(_ s: UnsafeMutablePointer<UInt32>, _ i: Int, _ n: Int) -> Bool {
        var j = i - 1
        while j >= 0, props(s[j])?.isCaseIgnorable == true { j -= 1 }
        guard j >= 0, props(s[j])?.isCased == true else { return false }
        j = i + 1
        while j < n, props(s[j])?.isCaseIgnorable == true { j += 1 }
        return j == n || props(s[j])?.isCased != true
    }

    private static func props(_ s: UInt32) -> Unicode.Scalar.Properties? {
        Unicode.Scalar(s)?.properties
    }
}
