import Core

/// The clients of the node-level simulation: one creates the index, then each writes (puts of
/// one to three documents, patches, deletes by id, now and then a delete by query) through the
/// leader its node knows, or searches a random node.
extension NodeWorkload {
    func runClients(in sim: RaftSimulation) {
        if !indexCreated {
            createIndex(in: sim)
            return
        }
        for client in 0..<sim.options.clients {
            if let index = clientBusy[client] {
                if writes[index].deadline <= sim.now, writes[index].state == .proposed || writes[index].state == .awaitingVisibility {
                    // Given up: an unacknowledged write's outcome is unknown (it may still apply).
                    if writes[index].state == .proposed { writes[index].state = .unknown }
                    else { writes[index].state = .acknowledged }
                }
                if writes[index].state == .awaitingVisibility { checkVisibility(index, in: sim) }
                guard writes[index].isFinished(now: sim.now) else { continue }
                clientBusy[client] = nil
                clientIdleUntil[client] = sim.now + sim.random(20)
                continue
            }
            guard sim.now < sim.options.duration, sim.now >= clientIdleUntil[client] ?? 0 else { continue }
            if sim.chance(25) {
                searchRandomNode(in: sim)
                clientIdleUntil[client] = sim.now + 5 + sim.random(20)
            } else {
                startWrite(client, in: sim)
            }
        }
    }

    /// The first command: the index, proposed on the leader until acknowledged (a retry of a
    /// create that did commit is refused the same way on every node).
    private func createIndex(in sim: RaftSimulation) {
        if let pending = creating {
            switch writes[pending].state {
            case .acknowledged, .awaitingVisibility:
                indexCreated = true
                return
            case .proposed where writes[pending].deadline > sim.now:
                return
            default:
                creating = nil
            }
        }
        guard let leader = sim.currentLeaderNode else { return }
        let command = NodeCommand.createIndex(name: Self.indexName, indexID: Self.indexID, config: NodeCorpus.schema)
        creating = propose(command, ids: [], contact: leader, sync: false, in: sim)
    }

    private func startWrite(_ client: Int, in sim: RaftSimulation) {
        let up = sim.upNodes()
        guard !up.isEmpty else { return }
        let contact = up[sim.random(up.count)]
        let id = corpus.id(sim.random(corpus.documentCount))
        let command: NodeCommand
        var ids = [id]
        do {
            switch sim.random(100) {
            case 0..<55:
                var documents = [try corpus.document(id: id, random: sim.random)]
                for _ in 0..<sim.random(3) {
                    let other = corpus.id(sim.random(corpus.documentCount))
                    documents.append(try corpus.document(id: other, random: sim.random))
                    ids.append(other)
                }
                command = .putDocuments(index: Self.indexName, documents: documents)
            case 55..<75:
                command = .patchDocument(index: Self.indexName, id: id, fields: try corpus.patch(id: id, random: sim.random))
            case 75..<97:
                if sim.chance(30) { ids.append(corpus.id(sim.random(corpus.documentCount))) }
                command = .deleteDocuments(index: Self.indexName, ids: ids)
            default:
                ids = []
                command = .deleteByQuery(index: Self.indexName, query: "tag:" + NodeCorpus.tags[sim.random(NodeCorpus.tags.count)], searchField: nil)
            }
        } catch {
            sim.fail("the simulation built a document the schema refuses: \(error)")
            return
        }
        if let write = propose(command, ids: ids, contact: contact, sync: sim.chance(50), in: sim) {
            clientBusy[client] = write
        } else {
            // Refused before reaching any log (no leader known or reachable): never happened.
            clientIdleUntil[client] = sim.now + 10 + sim.random(20)
        }
    }

    /// Proposes `command` on the leader `contact` knows, as ClusterNode.write does there (a
    /// follower forwards the write over the peer transport, modelled as a call that fails when
    /// the link is cut). Returns the write's index in `writes`, nil if it was refused.
    private func propose(_ command: NodeCommand, ids: [String], contact: SimNode, sync: Bool, in sim: RaftSimulation) -> Int? {
        guard let contactRaft = contact.raft else { return nil }
        let leaderID = contactRaft.role == .leader ? contact.id : contactRaft.leader
        guard leaderID != 0, let leader = sim.nodes[leaderID], let raft = leader.raft, raft.role == .leader,
              sim.network.canReach(contact.id, leaderID), sim.network.canReach(leaderID, contact.id) else { return nil }
        let index = raft.lastIndex + 1
        let term = raft.term
        do {
            try raft.propose(command.encoded())
        } catch {
            return nil
        }
        guard raft.lastIndex == index else { return nil }
        writes.append(NodeWrite(command: command, contact: contact.id, leader: leaderID, index: index, term: term, sync: sync,
                                deadline: sim.now + sim.options.operationTimeout, ids: ids))
        return writes.count - 1
    }

    /// The entry at `entry.index` was applied on `node`: the writes its leader proposed there
    /// are acknowledged if it is theirs (same term), lost otherwise.
    func acknowledge(_ entry: Entry, outcome: NodeStateMachine.Outcome, on node: SimNode, in sim: RaftSimulation) {
        for client in clientBusy.keys.sorted() {
            guard let i = clientBusy[client], writes[i].state == .proposed, writes[i].leader == node.id,
                  writes[i].index == entry.index, writes[i].deadline > sim.now else { continue }
            guard entry.term == writes[i].term else {
                // Another leader's entry took this index: the proposal was lost.
                writes[i].state = .unknown
                continue
            }
            writes[i].state = writes[i].sync ? .awaitingVisibility : .acknowledged
            if case .rejected(let reason) = outcome, case .putDocuments = writes[i].command {
                sim.fail("put at \(entry.index) was refused: \(reason)")
            }
        }
        if let pending = creating, writes[pending].state == .proposed, writes[pending].leader == node.id,
           writes[pending].index == entry.index {
            writes[pending].state = entry.term == writes[pending].term ? .acknowledged : .unknown
        }
    }

    /// The writes waiting on `node` get no answer now (it crashed).
    func clientsLost(_ node: NodeID, in sim: RaftSimulation) {
        for i in writes.indices where writes[i].state == .proposed && writes[i].leader == node {
            writes[i].state = .unknown
        }
        for i in writes.indices where writes[i].state == .awaitingVisibility && writes[i].contact == node {
            // Acknowledged; the client just cannot see it through this node now.
            writes[i].state = .acknowledged
        }
    }

    /// `sync=true`: once the node the client asked has applied the write, a search there must
    /// show it (refreshed), as the model has the touched documents at that node's applied index.
    private func checkVisibility(_ write: Int, in sim: RaftSimulation) {
        let contact = writes[write].contact
        guard let node = sim.nodes[contact], node.raft != nil, node.appliedIndex >= writes[write].index else { return }
        writes[write].state = .acknowledged
        sim.stats.syncWritesChecked += 1
        search(node, checking: writes[write].ids, in: sim)
    }
}
