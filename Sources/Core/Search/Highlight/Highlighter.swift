/// Cuts a stored text into fragments around the query's matches and marks them (Whoosh's
/// `highlight`, Elasticsearch's `highlight` with the plain highlighter).
///
/// Works on Unicode scalars with the analyzer's code-point offsets, so a mark or a fragment
/// edge never splits a UTF-8 sequence; fragments start and end at token boundaries. A phrase
/// match (Whoosh slop semantics, as the query engine matches it) is marked as one span from its
/// first word to its last.
public struct Highlighter: Sendable {
    public let options: HighlightOptions
    let analyzer: any Analyzer
    let terms: HighlightTerms

    /// A highlighter for `query` on `options.field`, nil when the field is not analyzed or the
    /// query cannot match it.
    public init?(query: Query, options: HighlightOptions, config: IndexConfig) {
        guard let field = config.field(options.field), let analyzer = field.analyzer else { return nil }
        let terms = HighlightTerms(query, field: options.field)
        guard !terms.isEmpty else { return nil }
        self.options = options
        self.analyzer = analyzer
        self.terms = terms
    }

    /// The marked fragments of `text`; empty when nothing in it matches.
    public func fragments(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        let tokens = analyzer.analyzedTokens(text)
        guard !tokens.isEmpty else { return [] }
        let spans = matchSpans(tokens, textLength: scalars.count)
        guard !spans.isEmpty else { return [] }

        // One window per span, widened to about `fragmentSize`, snapped to token edges; then
        // windows that touch are merged.
        let size = max(options.fragmentSize, 1)
        var windows: [(range: Range<Int>, spans: [Range<Int>])] = []
        for span in spans {
            let slack = max(size - span.count, 0) / 2
            var lower = max(span.lowerBound - slack, 0)
            var upper = min(span.upperBound + slack, scalars.count)
            if let t = tokens.first(where: { $0.endOffset > lower }), t.startOffset < lower { lower = t.startOffset }
            if let t = tokens.last(where: { $0.startOffset < upper }), t.endOffset > upper { upper = min(t.endOffset, scalars.count) }
            lower = min(lower, span.lowerBound)
            upper = max(upper, span.upperBound)
            if let last = windows.last, last.range.upperBound >= lower {
                windows[windows.count - 1] = (last.range.lowerBound..<max(last.range.upperBound, upper), last.spans + [span])
            } else {
                windows.append((lower..<upper, [span]))
            }
        }
        let chosen = windows.enumerated()
            .sorted { $0.element.spans.count != $1.element.spans.count ? $0.element.spans.count > $1.element.spans.count : $0.offset < $1.offset }
            .prefix(max(options.maxFragments, 1))
            .sorted { $0.offset < $1.offset }
        return chosen.map { render(scalars, $0.element.range, $0.element.spans) }
    }

    /// Code-point ranges to mark: phrase matches, then single tokens outside them, merged.
    func matchSpans(_ tokens: [AnalyzedToken], textLength: Int) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var byPosition: [Int: [Int]] = [:]
        for (i, t) in tokens.enumerated() { byPosition[t.position, default: []].append(i) }
        for phrase in terms.phrases {
            var deadEnds: Set<[Int]> = []
            for t in tokens where t.token == phrase.terms[0] {
                if let end = chainEnd(phrase, from: 1, previous: t.position, tokens, byPosition, &deadEnds) {
                    spans.append(t.startOffset..<tokens[end].endOffset)
                }
            }
        }
        for t in tokens where terms.matches(t.token) {
            let r = t.startOffset..<t.endOffset
            if !spans.contains(where: { $0.overlaps(r) }) { spans.append(r) }
        }
        spans = spans.map { max(0, $0.lowerBound)..<min(textLength, max($0.lowerBound, $0.upperBound)) }.filter { !$0.isEmpty }
        spans.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for s in spans {
            if let last = merged.last, last.upperBound >= s.lowerBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, s.upperBound)
            } else {
                merged.append(s)
            }
        }
        return merged
    }

    /// The token index where the phrase's last term matched, following Whoosh's slop.
    /// `deadEnds` remembers `[term, position]` pairs that lead nowhere, so repeated words with
    /// a large slop cannot make the search exponential.
    private func chainEnd(_ p: PhraseQuery, from i: Int, previous: Int, _ tokens: [AnalyzedToken], _ byPosition: [Int: [Int]],
                          _ deadEnds: inout Set<[Int]>) -> Int? {
        if i == p.terms.count { return byPosition[previous]?.first { tokens[$0].token == p.terms[i - 1] } }
        if deadEnds.contains([i, previous]) { return nil }
        let gap = p.positions.count == p.terms.count ? p.positions[i] - p.positions[i - 1] : 1
        for position in (previous + gap)...(previous + gap + max(p.slop, 1) - 1) {
            for k in byPosition[position] ?? [] where tokens[k].token == p.terms[i] {
                if let end = chainEnd(p, from: i + 1, previous: position, tokens, byPosition, &deadEnds) { return end }
            }
        }
        deadEnds.insert([i, previous])
        return nil
    }

    /// The fragments of a stored value (its JSON): a string, or each string of an array.
    public func fragments(storedJSON: [UInt8]) -> [String] {
        let value: JSONValue
        do {
            value = try storedJSON.withUnsafeBufferPointer { (b) throws(JSONError) in try JSONParser.parse(b) }
        } catch {
            return []
        }
        switch value {
        case .string(let s): return fragments(s)
        case .array(let items):
            var out: [String] = []
            for case .string(let s) in items { out += fragments(s) }
            return Array(out.prefix(max(options.maxFragments, 1)))
        default: return []
        }
    }

    private func render(_ scalars: [Unicode.Scalar], _ range: Range<Int>, _ spans: [Range<Int>]) -> String {
        var out = String.UnicodeScalarView()
        var i = range.lowerBound
        for span in spans {
            out.append(contentsOf: scalars[i..<span.lowerBound])
            out.append(contentsOf: options.preTag.unicodeScalars)
            out.append(contentsOf: scalars[span])
            out.append(contentsOf: options.postTag.unicodeScalars)
            i = span.upperBound
        }
        out.append(contentsOf: scalars[i..<range.upperBound])
        return String(out)
    }
}
