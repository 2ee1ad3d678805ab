extension Weight {
    /// This weight's scorer over segment number `ordinal` of the snapshot it was built on, nil
    /// when nothing in the segment can match.
    func scorer(in segment: IndexSnapshot.SegmentView, ordinal: Int) throws(SegmentError) -> (any DocScorer)? {
        let reader = segment.reader
        switch self {
        case .none:
            return nil
        case .term(let field, _, let infos, let scorer):
            guard ordinal < infos.count, let info = infos[ordinal] else { return nil }
            return TermDocScorer(postings: try reader.postings(field, info), norms: reader.norms(field), scorer: scorer)
        case .phrase(let field, let infos, let positions, let slop, let scorer):
            var postings: [PostingsIterator] = []
            for term in infos {
                guard ordinal < term.count, let info = term[ordinal] else { return nil }
                postings.append(try reader.postings(field, info))
            }
            return PhraseDocScorer(postings: postings, queryPositions: positions, slop: slop, norms: reader.norms(field), scorer: scorer)
        case .constant(.allDocs, let score):
            return reader.maxDoc > 0 ? AllDocsScorer(maxDoc: reader.maxDoc, score: score) : nil
        case .constant(let match, let score):
            let bits = try match.documents(in: reader)
            return bits.count > 0 ? BitSetDocScorer(bits: bits, score: score) : nil
        case .boolean(let b):
            return try b.scorer(in: segment, ordinal: ordinal)
        }
    }
}

extension BooleanWeight {
    /// Required clauses (must, filter, and the should clauses when some must match) form a
    /// conjunction; optional should clauses add their scores where they match; must-not
    /// clauses exclude. Scores sum the must clauses, then the should clauses, in clause order.
    func scorer(in segment: IndexSnapshot.SegmentView, ordinal: Int) throws(SegmentError) -> (any DocScorer)? {
        var required: [(scorer: any DocScorer, scores: Bool)] = []
        for w in must {
            guard let s = try w.scorer(in: segment, ordinal: ordinal) else { return nil }
            required.append((s, true))
        }
        for w in filter {
            guard let s = try w.scorer(in: segment, ordinal: ordinal) else { return nil }
            required.append((s, false))
        }
        var optional: [any DocScorer] = []
        for w in should {
            if let s = try w.scorer(in: segment, ordinal: ordinal) { optional.append(s) }
        }
        if optional.count < minimumShouldMatch { return nil }
        var optionalScorer: (any DocScorer)?
        if !optional.isEmpty {
            optionalScorer = optional.count == 1 ? optional[0] : DisjunctionScorer(optional, minimumMatch: max(minimumShouldMatch, 1))
        }
        if minimumShouldMatch > 0, let o = optionalScorer {
            required.append((o, true))
            optionalScorer = nil
        }
        guard !required.isEmpty else { return nil }
        var main: any DocScorer = required.count == 1 && required[0].scores ? required[0].scorer : ConjunctionScorer(required)
        if let o = optionalScorer { main = RequiredOptionalScorer(required: main, optional: o) }
        var excluded: [any DocScorer] = []
        for w in mustNot {
            if let s = try w.scorer(in: segment, ordinal: ordinal) { excluded.append(s) }
        }
        if !excluded.isEmpty { main = ExclusionScorer(required: main, excluded: excluded) }
        return main
    }
}

extension ConstantMatch {
    /// The segment's documents in this set (deleted ones too; the collector drops them).
    func documents(in reader: SegmentReader) throws(SegmentError) -> DocBitSet {
        var bits = DocBitSet(maxDoc: reader.maxDoc)
        switch self {
        case .allDocs:
            for d in 0..<Int32(clamping: reader.maxDoc) { bits.insert(d) }
        case .prefix(let field, let prefix):
            guard let dictionary = reader.terms(field) else { return bits }
            var iterator = dictionary.makeIterator()
            var more = prefix.isEmpty ? try iterator.next() : try iterator.seek(prefix)
            while more && iterator.termHasPrefix(prefix) {
                var postings = try reader.postings(field, iterator.info)
                try bits.insertAll(&postings)
                more = try iterator.next()
            }
        case .wildcard(let field, let pattern, let literalPrefix):
            guard let dictionary = reader.terms(field) else { return bits }
            var iterator = dictionary.makeIterator()
            var more = literalPrefix.isEmpty ? try iterator.next() : try iterator.seek(literalPrefix)
            while more && iterator.termHasPrefix(literalPrefix) {
                if TermPatterns.wildcardMatches(pattern, Array(String(decoding: iterator.term, as: UTF8.self).unicodeScalars)) {
                    var postings = try reader.postings(field, iterator.info)
                    try bits.insertAll(&postings)
                }
                more = try iterator.next()
            }
        case .termRange(let field, let lower, let upper, let includeLower, let includeUpper):
            guard let dictionary = reader.terms(field) else { return bits }
            var iterator = dictionary.makeIterator()
            var more: Bool
            if let lower { more = try iterator.seek(lower) } else { more = try iterator.next() }
            while more {
                if let lower, !includeLower, compareBytes(iterator.term, lower) == 0 {
                    more = try iterator.next()
                    continue
                }
                if let upper {
                    let c = compareBytes(iterator.term, upper)
                    if c > 0 || (c == 0 && !includeUpper) { break }
                }
                var postings = try reader.postings(field, iterator.info)
                try bits.insertAll(&postings)
                more = try iterator.next()
            }
        case .numericRange(let field, let range, let isFloat):
            guard let column = reader.numericDocValues(field) else { return bits }
            for d in 0..<Int32(clamping: reader.maxDoc) {
                guard let raw = column.value(d) else { continue }
                if Self.numericInRange(raw, range, isFloat: isFloat) { bits.insert(d) }
            }
        case .valueRange(let field, let lower, let upper):
            guard let column = reader.numericDocValues(field), lower <= upper else { return bits }
            for d in 0..<Int32(clamping: reader.maxDoc) {
                if let v = column.value(d), v >= lower && v <= upper { bits.insert(d) }
            }
        }
        return bits
    }

    /// Compares a stored numeric value (an Int64, or a double in sortable form) with a range
    /// whose bounds may be either kind.
    static func numericInRange(_ raw: Int64, _ range: NumericRangeQuery, isFloat: Bool) -> Bool {
        let v = isFloat ? DocValueEncoding.double(fromSortable: raw) : Double(raw)
        if v.isNaN { return false }
        func compare(_ bound: NumericValue) -> Int {
            if !isFloat, case .int(let b) = bound { return raw < b ? -1 : (raw > b ? 1 : 0) }
            let b = bound.doubleValue
            return v < b ? -1 : (v > b ? 1 : 0)
        }
        if let lower = range.lower {
            let c = compare(lower)
            if c < 0 || (c == 0 && !range.includeLower) { return false }
        }
        if let upper = range.upper {
            let c = compare(upper)
            if c > 0 || (c == 0 && !range.includeUpper) { return false }
        }
        return true
    }
}
