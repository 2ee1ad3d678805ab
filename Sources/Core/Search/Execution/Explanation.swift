/// How a hit's score was computed (`explain=true`): a tree of values with what each is,
/// whose root value is the hit's score, bit for bit.
public struct Explanation: Sendable, Hashable {
    public var value: Float
    public var description: String
    public var details: [Explanation]

    public init(value: Float, description: String, details: [Explanation] = []) {
        self.value = value
        self.description = description
        self.details = details
    }
}

extension Searcher {
    /// The explanation of global document `doc` for `query` (nil when it does not match or is
    /// deleted). Recomputes the document's score clause by clause with the same scorers and
    /// the same summation order as the search.
    public func explain(_ query: Query, doc: Int, weightings: FieldWeightings = FieldWeightings()) throws(SearchError) -> Explanation? {
        guard let (segment, local) = snapshot.locate(doc), segment.liveDocs.isLive(local),
              let ordinal = snapshot.segments.firstIndex(where: { $0.docBase == segment.docBase }) else { return nil }
        do {
            let weight = try WeightBuilder(snapshot: snapshot, config: config, weightings: weightings).build(query)
            return try weight.explain(segment: segment, ordinal: ordinal, doc: local)
        } catch {
            throw .segment(error)
        }
    }
}

extension Weight {
    func explain(segment: IndexSnapshot.SegmentView, ordinal: Int, doc: Int32) throws(SegmentError) -> Explanation? {
        switch self {
        case .none:
            return nil
        case .term(let field, let term, _, let scorer):
            guard let s = try self.scorer(in: segment, ordinal: ordinal) as? TermDocScorer, try s.advance(to: doc) == doc else { return nil }
            let norm = segment.reader.norms(field)?.normId(doc) ?? 0
            return Explanation(value: s.score(), description: "\(field):\(String(decoding: term, as: UTF8.self)) (\(Self.describe(scorer)))", details: [
                Explanation(value: Float(s.freq), description: "term frequency"),
                Explanation(value: Float(FieldNorm.length(of: norm)), description: "field length (norm \(norm))"),
            ])
        case .phrase(let field, _, _, let slop, let scorer):
            guard let s = try self.scorer(in: segment, ordinal: ordinal) as? PhraseDocScorer, try s.advance(to: doc) == doc else { return nil }
            let norm = segment.reader.norms(field)?.normId(doc) ?? 0
            return Explanation(value: s.score(), description: "phrase in \(field), slop \(slop) (\(Self.describe(scorer)))", details: [
                Explanation(value: Float(s.freq), description: "phrase frequency"),
                Explanation(value: Float(FieldNorm.length(of: norm)), description: "field length (norm \(norm))"),
            ])
        case .constant(let match, let score):
            guard let s = try self.scorer(in: segment, ordinal: ordinal), try s.advance(to: doc) == doc else { return nil }
            return Explanation(value: score, description: "constant score: \(match)")
        case .boolean(let b):
            var details: [Explanation] = []
            var mustSum: Float = 0
            for w in b.must {
                guard let e = try w.explain(segment: segment, ordinal: ordinal, doc: doc) else { return nil }
                mustSum += e.value
                details.append(e)
            }
            for w in b.filter {
                guard let e = try w.explain(segment: segment, ordinal: ordinal, doc: doc) else { return nil }
                details.append(Explanation(value: 0, description: "filter (not scored)", details: [e]))
            }
            for w in b.mustNot where try w.explain(segment: segment, ordinal: ordinal, doc: doc) != nil { return nil }
            var shouldSum: Float = 0
            var matched = 0
            for w in b.should {
                guard let e = try w.explain(segment: segment, ordinal: ordinal, doc: doc) else { continue }
                shouldSum += e.value
                matched += 1
                details.append(e)
            }
            guard matched >= b.minimumShouldMatch else { return nil }
            return Explanation(value: mustSum + shouldSum, description: "sum of \(details.count) matching clauses (\(matched) of \(b.should.count) should, at least \(b.minimumShouldMatch))",
                               details: details)
        }
    }

    private static func describe(_ scorer: any TermScorer) -> String {
        if let bm25 = scorer as? BM25Scorer { return "bm25, weight \(bm25.weight)" }
        return String(describing: type(of: scorer))
    }
}
