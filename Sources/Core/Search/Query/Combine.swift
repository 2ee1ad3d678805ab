/// How the parser's operators combine clauses into booleans, following Whoosh's query classes
/// (`And`, `Or`, `AndNot`, `AndMaybe`, `Require`) and its `normalize()`: clauses the analyzer
/// removed are dropped, nested ANDs and ORs are flattened, a single clause stands alone.
enum Combine {
    /// AND: positive clauses are `must`, negated ones `mustNot`. Only negated clauses: all
    /// documents except those (Whoosh's `Not` alone).
    static func and(_ clauses: [Clause]) -> Clause {
        var must: [Query] = []
        var mustNot: [Query] = []
        for clause in clauses {
            guard let q = clause.query else { continue }
            if clause.negated {
                mustNot.append(q)
            } else if case .boolean(let b) = q, b.should.isEmpty, b.filter.isEmpty, !b.must.isEmpty, b.must != [.matchAll] {
                must += b.must
                mustNot += b.mustNot
            } else {
                must.append(q)
            }
        }
        if must.isEmpty && mustNot.isEmpty { return Clause(query: nil) }
        if must.isEmpty {
            // Keep `NOT a` as a negated clause so an enclosing AND can still absorb it.
            return mustNot.count == 1 ? Clause(query: mustNot[0], negated: true)
                                      : Clause(query: .boolean(BooleanQuery(must: [.matchAll], mustNot: mustNot)))
        }
        if must.count == 1 && mustNot.isEmpty { return Clause(query: must[0]) }
        return Clause(query: .boolean(BooleanQuery(must: must, mustNot: mustNot)))
    }

    /// OR: at least one clause matches. A negated clause is its standalone form.
    static func or(_ clauses: [Clause]) -> Clause {
        var should: [Query] = []
        for clause in clauses {
            guard let q = clause.standalone else { continue }
            if case .boolean(let b) = q, b.must.isEmpty, b.mustNot.isEmpty, b.filter.isEmpty, b.minimumShouldMatch <= 1 {
                should += b.should
            } else {
                should.append(q)
            }
        }
        switch should.count {
        case 0: return Clause(query: nil)
        case 1: return Clause(query: should[0])
        default: return Clause(query: .boolean(BooleanQuery(should: should)))
        }
    }

    /// `ANDNOT`, `ANDMAYBE`, `REQUIRE`. When one side was removed by analysis the other stands
    /// alone (Whoosh's `BinaryGroup`).
    static func binary(_ op: QueryToken.Kind, _ left: Clause, _ right: Clause) -> Clause {
        switch op {
        case .andNot:
            var excluded = right
            excluded.negated.toggle()
            return and([left, excluded])
        case .andMaybe, .require:
            guard let a = left.standalone else { return right }
            guard let b = right.standalone else { return left }
            if op == .andMaybe {
                return Clause(query: .boolean(BooleanQuery(must: [a], should: [b], minimumShouldMatch: 0)))
            }
            return Clause(query: .boolean(BooleanQuery(must: [a], filter: [b])))
        default:
            return and([left, right])
        }
    }
}
