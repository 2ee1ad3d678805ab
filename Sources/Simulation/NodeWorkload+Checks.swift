import Core

/// The end of a node-level run: after healing, every member applied the whole log.
extension NodeWorkload {
    func checkFinal(members: [NodeID], leader: SimNode, in sim: RaftSimulation) {
        checkAcknowledgedWrites(in: sim)
        let final = leader.appliedIndex
        let model = model(at: final, in: sim)
        var first: (node: NodeID, digest: SearchDigest)?
        for member in members {
            guard let node = sim.nodes[member], let machine = machines[member] else {
                sim.fail("member \(member) is not running at the end")
                continue
            }
            do {
                guard let index = machine.index(named: Self.indexName) else {
                    if model.indexExists { sim.fail("member \(member) has no index '\(Self.indexName)' at the end") }
                    continue
                }
                // One segment without deleted documents everywhere: now the statistics count the
                // same documents on every member, so the scores must agree too.
                try index.writer.forceMerge(maxSegments: 1)
                try machine.refreshAll()
                let snapshot = index.writer.snapshot()
                if snapshot.numDocs != model.documents.count {
                    sim.fail("member \(member) holds \(snapshot.numDocs) documents at the end, the committed log \(model.documents.count)")
                }
                let searcher = Searcher(snapshot: snapshot, config: index.config)
                let digest = try self.digest(searcher, node: member, model: model, at: node.appliedIndex, in: sim)
                if let (other, seen) = first {
                    if seen.matches != digest.matches {
                        sim.fail("members \(other) and \(member) match different documents at the end: \(SearchDigest.firstDifference(seen.matches, digest.matches))")
                    } else if seen.ranking != digest.ranking {
                        sim.fail("members \(other) and \(member) rank differently at the end: \(SearchDigest.firstDifference(seen.ranking, digest.ranking))")
                    }
                } else {
                    first = (member, digest)
                }
                let ids = Set((0..<corpus.documentCount).map(corpus.id)).union(model.documents.keys)
                for id in ids.sorted() {
                    try checkDocument(id, in: searcher, node: member, model: model, at: node.appliedIndex, in: sim)
                }
            } catch {
                sim.fail("member \(member) failed its final searches: \(error)")
            }
        }
        sim.stats.acknowledgedWrites = writes.filter(\.wasAcknowledged).count
    }

    /// An acknowledged write is the committed entry at its index (not another leader's), so
    /// the model, and every member checked against it, holds it unless a later entry changed
    /// the same documents.
    private func checkAcknowledgedWrites(in sim: RaftSimulation) {
        for write in writes where write.wasAcknowledged {
            guard let entry = sim.appliedEntries[write.index], entry.term == write.term, entry.data == write.command.encoded() else {
                sim.fail("acknowledged write at \(write.index) (term \(write.term)) is not the committed entry there")
                return
            }
        }
    }
}
