import Testing
@testable import Core

/// Block-max skipping (`BlockMaxUnion`) and unverified phrase candidates (`PhraseUnion`)
/// must never change the top k: pruned and exhaustive runs agree hit for
/// hit and score for score, and a pruned total is a lower bound marked as such.
@Suite struct BlockMaxUnionTests {
    @Test(arguments: 0..<3) func prunedTopKEqualsExhaustiveTopK(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) + 4242)
        // Enough documents that frequent terms have several 128-document blocks per segment.
        let docs = (0..<2500).map { SearchTestIndex.randomDoc(&rng, id: "d\($0)") }
        let deletes = (0..<60).map { _ in "d\(rng.next() % 2500)" }
        let writer = try SearchTestIndex.build(docs, cuts: [900, 1700], deletes: deletes, seed: UInt64(seed))
        defer { writer.close() }
        let searcher = Searcher(snapshot: writer.snapshot(), config: TestIndex.config())
        var reference = searcher
        reference.referenceExecution = true
        var pruned = 0
        var prunedWithPhrases = 0
        var restrictedSome = 0
        for q in 0..<60 {
            let n = 1 + Int(rng.next() % 4)
            let withPhrases = q % 2 == 1
            let terms: [Query] = (0..<n).map { i in
                let field = rng.next() % 3 == 0 ? "title" : "body"
                if withPhrases && (i == 0 || rng.next() % 2 == 0) {
                    return .phrase(PhraseQuery(field: field, terms: [SearchTestIndex.word(&rng), SearchTestIndex.word(&rng)], slop: 1 + Int(rng.next() % 2)))
                }
                return .term(field: field, text: SearchTestIndex.word(&rng))
            }
            var query: Query = n == 1 ? terms[0] : .boolean(BooleanQuery(should: terms))
            // Some phrase queries under a filter and must-not clauses, as a search's filter= wraps them.
            if withPhrases && q % 4 == 3 {
                let unfiltered = query
                let filter: Query = rng.next() % 2 == 0
                    ? .term(field: "body", text: SearchTestIndex.word(&rng))
                    : .prefix(field: "body", prefix: String(SearchTestIndex.word(&rng).prefix(1)))
                let exclusions: [Query] = rng.next() % 2 == 0 ? [.term(field: "body", text: SearchTestIndex.word(&rng))] : []
                query = .boolean(BooleanQuery(must: [unfiltered], mustNot: exclusions, filter: [filter]))
                let weight = try WeightBuilder(snapshot: searcher.snapshot, config: searcher.config, weightings: FieldWeightings()).build(query)
                if case .boolean = weight { #expect(PhraseUnion(weight) != nil, "query \(q): \(query)") }
                let without = try reference.search(SearchRequest(query: unfiltered, pageLen: 1, trackTotal: nil, loadFields: false))
                let with = try reference.search(SearchRequest(query: query, pageLen: 1, trackTotal: nil, loadFields: false))
                if with.total < without.total && with.total > 0 { restrictedSome += 1 }
            }
            let k = [1, 10, 50][q % 3]
            let exact = try reference.search(SearchRequest(query: query, pageLen: k, trackTotal: nil, loadFields: false))
            // Every hit counted: the same collectors, never pruning, give the reference exactly.
            let everyHit = try searcher.search(SearchRequest(query: query, pageLen: k, trackTotal: nil, loadFields: false))
            #expect(everyHit.hits.map(\.doc) == exact.hits.map(\.doc) && everyHit.hits.map(\.score) == exact.hits.map(\.score), "query \(q): \(query)")
            #expect(everyHit.total == exact.total && everyHit.totalRelation == .equal, "query \(q): \(query)")
            let fast = try searcher.search(SearchRequest(query: query, pageLen: k, trackTotal: k, loadFields: false))
            #expect(fast.hits.map(\.doc) == exact.hits.map(\.doc), "query \(q): \(query)")
            #expect(fast.hits.map(\.score) == exact.hits.map(\.score), "query \(q): \(query)")
            #expect(fast.total <= exact.total)
            #expect(fast.totalRelation == (fast.total < exact.total ? .greaterOrEqual : fast.totalRelation))
            if fast.totalRelation == .greaterOrEqual {
                pruned += 1
                if withPhrases { prunedWithPhrases += 1 }
            } else {
                #expect(fast.total == exact.total)
            }
        }
        #expect(pruned > 0, "no query skipped a block: the test does not exercise pruning")
        #expect(prunedWithPhrases > 0, "no phrase candidate was dropped: the test does not exercise PhraseUnion")
        #expect(restrictedSome > 0, "no filter or must-not clause removed a phrase hit: the test does not exercise them")
    }

    /// `BlockMaxConjunction`: ANDs of terms and of ORs of terms (the benchmark's
    /// `(title:a OR text:a) AND (title:b OR text:b)`), some with must-not clauses (terms and
    /// phrases) or filters (terms, ORs, prefixes), with one must clause too, give the
    /// exhaustive top k.
    @Test(arguments: 0..<3) func prunedConjunctionTopKEqualsExhaustiveTopK(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) + 977)
        let docs = (0..<3000).map { SearchTestIndex.randomDoc(&rng, id: "d\($0)") }
        let deletes = (0..<60).map { _ in "d\(rng.next() % 3000)" }
        let writer = try SearchTestIndex.build(docs, cuts: [1100, 2000], deletes: deletes, seed: UInt64(seed))
        defer { writer.close() }
        let searcher = Searcher(snapshot: writer.snapshot(), config: TestIndex.config())
        var reference = searcher
        reference.referenceExecution = true
        var pruned = 0
        var excludedSome = 0
        var filteredSome = 0
        for q in 0..<60 {
            // Every third query excludes, every fifth filters: then it may have a single must clause.
            let excluding = q % 3 == 2
            let filtering = q % 5 == 1
            let clauses: [Query] = (0..<((excluding || filtering ? 1 : 2) + Int(rng.next() % 2))).map { _ in
                let word = SearchTestIndex.word(&rng)
                switch rng.next() % 3 {
                case 0: return .term(field: "body", text: word)
                case 1: return .boolean(BooleanQuery(should: [.term(field: "title", text: word), .term(field: "body", text: word)]))
                default: return .boolean(BooleanQuery(should: [.term(field: "body", text: word), .term(field: "title", text: SearchTestIndex.word(&rng))]))
                }
            }
            var exclusions: [Query] = []
            if excluding {
                exclusions.append(.term(field: "body", text: SearchTestIndex.word(&rng)))
                if rng.next() % 2 == 0 { exclusions.append(.phrase(PhraseQuery(field: "body", terms: [SearchTestIndex.word(&rng), SearchTestIndex.word(&rng)]))) }
            }
            var filters: [Query] = []
            if filtering {
                switch rng.next() % 3 {
                case 0: filters.append(.term(field: "body", text: SearchTestIndex.word(&rng)))
                case 1: filters.append(.boolean(BooleanQuery(should: [.term(field: "title", text: SearchTestIndex.word(&rng)),
                                                                       .term(field: "body", text: SearchTestIndex.word(&rng))])))
                default: filters.append(.prefix(field: "body", prefix: String(SearchTestIndex.word(&rng).prefix(1))))
                }
            }
            // Filtered queries as a search's filter= builds them: the query nested in a must clause.
            let query: Query = filtering
                ? .boolean(BooleanQuery(must: [.boolean(BooleanQuery(must: clauses, mustNot: exclusions))], filter: filters))
                : .boolean(BooleanQuery(must: clauses, mustNot: exclusions))
            let k = [1, 10, 50, 5][q % 4]
            if excluding || filtering {
                // The block-max path takes it, and the exclusion removes something now and then.
                let weight = try WeightBuilder(snapshot: searcher.snapshot, config: searcher.config, weightings: FieldWeightings()).build(query)
                #expect(BlockMaxConjunction(weight) != nil, "query \(q): \(query)")
                let without = try reference.search(SearchRequest(query: .boolean(BooleanQuery(must: clauses)), pageLen: 1, trackTotal: nil, loadFields: false))
                let with = try reference.search(SearchRequest(query: query, pageLen: 1, trackTotal: nil, loadFields: false))
                if with.total < without.total {
                    if excluding { excludedSome += 1 }
                    if filtering { filteredSome += 1 }
                }
            }
            let exact = try reference.search(SearchRequest(query: query, pageLen: k, trackTotal: nil, loadFields: false))
            // Every hit counted: the same collectors, never pruning, give the reference exactly.
            let everyHit = try searcher.search(SearchRequest(query: query, pageLen: k, trackTotal: nil, loadFields: false))
            #expect(everyHit.hits.map(\.doc) == exact.hits.map(\.doc) && everyHit.hits.map(\.score) == exact.hits.map(\.score), "query \(q): \(query)")
            #expect(everyHit.total == exact.total && everyHit.totalRelation == .equal, "query \(q): \(query)")
            let fast = try searcher.search(SearchRequest(query: query, pageLen: k, trackTotal: k, loadFields: false))
            #expect(fast.hits.map(\.doc) == exact.hits.map(\.doc), "query \(q): \(query)")
            #expect(fast.hits.map(\.score) == exact.hits.map(\.score), "query \(q): \(query)")
            #expect(fast.total <= exact.total)
            if fast.totalRelation == .greaterOrEqual {
                pruned += 1
            } else {
                #expect(fast.total == exact.total, "query \(q): \(query)")
            }
        }
        #expect(pruned > 0, "no conjunction skipped anything: the test does not exercise pruning")
        #expect(excludedSome > 0, "no must-not clause excluded anything: the test does not exercise exclusion")
        #expect(filteredSome > 0, "no filter removed anything: the test does not exercise filters")
    }
}

/// Exact phrases over documents where every term occurs hundreds of times (more candidate
/// starts than the phrase scorer first makes room for): the fast path counts the same
/// matches, so gives the same scores, as the reference.
@Suite struct LongPhrasePositionsTests {
    @Test func phrasesOverHundredsOfPositionsScoreAsTheReference() throws {
        var rng = SplitMix64(seed: 77)
        var docs = (0..<300).map { SearchTestIndex.randomDoc(&rng, id: "d\($0)") }
        // "alpha beta" 150 times (and beta alone 50 more), "alpha" 300 times without beta, ...
        docs[10].body = Array(repeating: ["alpha", "beta"], count: 150).flatMap { $0 } + Array(repeating: "beta", count: 50)
        docs[20].body = Array(repeating: "alpha", count: 300)
        docs[30].body = Array(repeating: ["alpha", "gamma", "beta"], count: 120).flatMap { $0 }
        docs[40].body = (0..<400).map { $0 % 7 == 0 ? "beta" : "alpha" }
        docs[50].body = ["alpha", "beta"]
        let writer = try SearchTestIndex.build(docs, cuts: [150])
        defer { writer.close() }
        let searcher = Searcher(snapshot: writer.snapshot(), config: TestIndex.config())
        var reference = searcher
        reference.referenceExecution = true
        for terms in [["alpha", "beta"], ["beta", "alpha"], ["alpha", "gamma", "beta"], ["alpha", "alpha"]] {
            let query = Query.phrase(PhraseQuery(field: "body", terms: terms))
            let exact = try reference.search(SearchRequest(query: query, pageLen: 10, trackTotal: nil, loadFields: false))
            let fast = try searcher.search(SearchRequest(query: query, pageLen: 10, trackTotal: nil, loadFields: false))
            #expect(fast.hits.map(\.doc) == exact.hits.map(\.doc), "\(terms)")
            #expect(fast.hits.map(\.score) == exact.hits.map(\.score), "\(terms)")
            #expect(exact.total > 0, "\(terms)")
        }
    }
}
