/// Matching of dictionary terms for multi-term queries: wildcard globs and edit distances,
/// on Unicode scalars (a `?` is one character, not one byte).
enum TermPatterns {
    /// The literal bytes before the first `?` or `*`: the only part of the dictionary a
    /// wildcard needs to scan.
    static func literalPrefix(ofWildcard pattern: String) -> [UInt8] {
        Array(String(pattern.unicodeScalars.prefix { $0 != "?" && $0 != "*" }).utf8)
    }

    /// Whether `text` matches `pattern` (`?` one scalar, `*` any run, both greedy-safe).
    static func wildcardMatches(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        var p = 0, t = 0
        var star = -1, mark = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == "?" || (pattern[p] != "*" && pattern[p] == text[t])) {
                p += 1
                t += 1
            } else if p < pattern.count && pattern[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// The optimal-string-alignment distance (insertions, deletions, substitutions, adjacent
    /// transpositions) between `a` and `b`, or nil when it exceeds `limit` (stops early).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
        if abs(a.count - b.count) > limit { return nil }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = min(v, previous2[j - 2] + 1)
                }
                current[j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > limit { return nil }
            (previous2, previous, current) = (previous, current, previous2)
        }
        let d = previous[b.count]
        return d <= limit ? d : nil
    }
}
