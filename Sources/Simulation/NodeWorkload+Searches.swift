import Core

/// Searches: a node refreshes and runs the fixed queries; the results are checked against the
/// model of the committed log at the node's applied index and against every other search at
/// that index.
extension NodeWorkload {
    /// Hits loaded per query: more than there are documents, so every match is listed.
    static let pageLength = 1000

    func searchRandomNode(in sim: RaftSimulation) {
        let up = sim.upNodes().filter { machines[$0.id] != nil && installs[$0.id] == nil }
        guard !up.isEmpty else { return }
        search(up[sim.random(up.count)], checking: [], in: sim)
    }

    /// Refreshes `node`, runs the fixed queries and checks them; `ids` are documents whose
    /// stored fields must be what the model says (a synchronous write's).
    func search(_ node: SimNode, checking ids: [String], in sim: RaftSimulation) {
        guard let machine = machines[node.id], installs[node.id] == nil else { return }
        let applied = Self.holdsThrough(node, machine)
        let model = model(at: applied, in: sim)
        do {
            try machine.refreshAll()
            guard let index = machine.index(named: Self.indexName) else {
                if model.indexExists { sim.fail("node \(node.id) at \(applied) has no index '\(Self.indexName)'") }
                return
            }
            let searcher = Searcher(snapshot: index.writer.snapshot(), config: index.config)
            let digest = try self.digest(searcher, node: node.id, model: model, at: applied, in: sim)
            sim.stats.searches += 1
            compare(digest, from: node.id, at: applied, in: sim)
            for id in ids { try checkDocument(id, in: searcher, node: node.id, model: model, at: applied, in: sim) }
        } catch {
            sim.ioFailed(node, error)
        }
    }

    /// The log index the node's index reflects: what it applied, or what its commit point holds
    /// if that is more (just reopened or installed, before Raft hands out the entries again:
    /// they are then skipped as already applied).
    static func holdsThrough(_ node: SimNode, _ machine: NodeStateMachine) -> UInt64 {
        max(node.appliedIndex, machine.index(named: indexName)?.writer.lastCommit.lastAppliedLogIndex ?? 0)
    }

    /// Runs the fixed queries; the ones the model can evaluate are checked against it.
    func digest(_ searcher: Searcher, node: NodeID, model: DocumentModel, at applied: UInt64, in sim: RaftSimulation) throws -> SearchDigest {
        var digest = SearchDigest(matches: [], ranking: [])
        let parser = try QueryParser(config: searcher.config)
        for text in NodeCorpus.queries {
            let result = try searcher.search(SearchRequest(query: try parser.parse(text), pageLen: Self.pageLength, trackTotal: nil,
                                                           fields: ["id"]))
            let ids = result.hits.map { hit in hit.fields.first.map { String(decoding: $0.value, as: UTF8.self) } ?? "?" }
            digest.matches.append("\(text): \(result.total) \(ids.sorted())")
            // Equal scores in id order: ties come back in the order of the node's segments, which
            // a merge of non-adjacent segments changes (a merge policy's choice, not a divergence).
            let scored = zip(ids, result.hits.map(\.score)).sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            digest.ranking.append("\(text): " + scored.map { "\($0) \(String($1.bitPattern, radix: 16))" }.joined(separator: ","))
            if let expected = model.matchesIfKnown(text) {
                let found = ids.map { String($0.dropFirst().dropLast()) }.sorted()
                if found != expected || result.total != expected.count {
                    sim.fail("node \(node) at applied index \(applied): '\(text)' found \(result.total) \(found), the committed log says \(expected.count) \(expected)")
                }
            }
        }
        return digest
    }

    /// Every two searches at the same applied index agree (rankings: unless one node merged).
    func compare(_ digest: SearchDigest, from node: NodeID, at applied: UInt64, in sim: RaftSimulation) {
        guard let (first, seen) = digests[applied] else {
            digests[applied] = (node, digest)
            return
        }
        sim.stats.searchComparisons += 1
        let ranked = !merged.contains(first) && !merged.contains(node)
        if ranked { sim.stats.rankingComparisons += 1 }
        if seen.matches != digest.matches {
            sim.fail("nodes \(first) and \(node) at applied index \(applied) match different documents: \(SearchDigest.firstDifference(seen.matches, digest.matches))")
        } else if ranked, seen.ranking != digest.ranking {
            sim.fail("nodes \(first) and \(node) at applied index \(applied) rank differently: \(SearchDigest.firstDifference(seen.ranking, digest.ranking))")
        }
        if merged.contains(first), !merged.contains(node) { digests[applied] = (node, digest) }
    }

    /// The stored fields of `id`, found by a search on the id field, are the model's.
    func checkDocument(_ id: String, in searcher: Searcher, node: NodeID, model: DocumentModel, at applied: UInt64, in sim: RaftSimulation) throws {
        let query = try QueryParser(config: searcher.config).parse("id:\(id)")
        let hits = try searcher.search(SearchRequest(query: query, pageLen: 10, trackTotal: nil)).hits
        let found = hits.map { hit in Dictionary(hit.fields.map { ($0.name, String(decoding: $0.value, as: UTF8.self)) }, uniquingKeysWith: { a, _ in a }) }
        let expected = model.documents[id].map { [$0] } ?? []
        if found != expected {
            sim.fail("node \(node) at applied index \(applied): document \(id) is \(found), the committed log says \(expected)")
        }
    }
}
