/// What a node reports about itself: the PySyncObj-style status (`GET /cluster`,
/// `cockatrice status`), the numbers for `/metrics`, and index descriptions.
extension ClusterNode {
    /// The status in PySyncObj's key order (API.md), which users' scripts parse: version,
    /// revision, self, state (0 follower, 1 candidate, 2 leader), leader, partner_nodes_count,
    /// readonly_nodes_count, unknown_connections_count, log_len, last_applied, commit_idx,
    /// raft_term, next_node_idx_count, match_idx_count, leader_commit_idx, uptime,
    /// self_code_version, enabled_code_version. A lone voter has no partners, so none of the
    /// per-partner keys appear.
    ///
    /// - Parameter advertisedAddress: this node's advertised `host:port` (the caller knows it;
    ///   `self` and `leader` are given as addresses, as in PySyncObj).
    public func status(advertisedAddress: String) -> [(key: String, value: JSONValue)] {
        let state: Int = switch raft.role {
        case .follower: 0
        case .preCandidate, .candidate: 1
        case .leader: 2
        }
        let leader: JSONValue = switch raft.leader {
        case 0: .null
        case nodeID: .string(advertisedAddress)
        default: peers[raft.leader].map { .string($0) } ?? .null
        }
        let uptime = ContinuousClock.now - openedAt
        // PySyncObj lists partners by address; ours come from the membership in the log.
        let partners = peers.addresses.filter { $0.key != nodeID && raft.confState.contains($0.key) }
            .sorted { $0.value < $1.value }
        let matches = raft.role == .leader ? raft.progressMatches : [:]
        var keys: [(key: String, value: JSONValue)] = [
            ("version", .string(CockatriceVersion.string)),
            ("revision", .string(CockatriceVersion.string)),
            ("self", .string(advertisedAddress)),
            ("state", .number(String(state))),
            ("leader", leader),
            ("partner_nodes_count", .number(String(partners.count))),
        ]
        // 2 = connected, as PySyncObj: the peer transport's link to the partner is up. Without
        // a transport (a lone node in tests), what Raft knows stands in: a leader has heard from
        // the partner, a follower hears from its leader.
        let links = network?.connectedPeers()
        for (id, address) in partners {
            let connected = links.map { $0.contains(id) } ?? (raft.role == .leader ? (matches[id] ?? 0) > 0 : id == raft.leader)
            keys.append(("partner_node_status_server_\(address)", .number(connected ? "2" : "0")))
        }
        keys += [
            ("readonly_nodes_count", .number(String(raft.confState.learners.filter { $0 != nodeID }.count))),
            ("unknown_connections_count", .number("0")),
            ("log_len", .number(String(logLength))),
            ("last_applied", .number(String(raft.appliedIndex))),
            ("commit_idx", .number(String(raft.commitIndex))),
            ("raft_term", .number(String(raft.term))),
            ("next_node_idx_count", .number(String(matches.isEmpty ? 0 : partners.count))),
        ]
        if !matches.isEmpty {
            for (id, address) in partners { keys.append(("next_node_idx_server_\(address)", .number(String((matches[id] ?? 0) + 1)))) }
        }
        keys.append(("match_idx_count", .number(String(matches.isEmpty ? 0 : partners.count))))
        if !matches.isEmpty {
            for (id, address) in partners { keys.append(("match_idx_server_\(address)", .number(String(matches[id] ?? 0)))) }
        }
        keys += [
            ("leader_commit_idx", .number(String(raft.commitIndex))),
            ("uptime", .number(String(uptime.components.seconds))),
            ("self_code_version", .number("0")),
            ("enabled_code_version", .number("0")),
            ("node_id", .string(String(nodeID))),
            ("cluster_id", .string(String(identity.clusterID))),
        ]
        return keys
    }

    /// Entries in the log since the last compaction.
    var logLength: Int { Int(log.lastIndex - log.snapshot().metadata.index) }

    /// The numbers for `/metrics`.
    public func stats() -> NodeStats {
        var stats = NodeStats(appliedIndex: raft.appliedIndex, commitIndex: raft.commitIndex, term: raft.term, logLength: logLength,
                              leaderChanges: leaderChanges, indices: stateMachine.indices.map(Self.stats(of:)))
        stats.refreshes = refreshCount
        stats.commits = commitCount
        stats.compactions = compactionCount
        stats.snapshotInstalls = installCount
        stats.snapshotIndex = log.snapshot().metadata.index
        stats.optimizeFailures = stateMachine.optimizeFailures.count
        return stats
    }

    private static func stats(of index: NodeStateMachine.OpenIndex) -> IndexStats {
        let snapshot = index.writer.snapshot()
        let merges = index.writer.mergeCounts
        return IndexStats(name: index.name, documents: snapshot.numDocs, deletedDocuments: snapshot.maxDoc - snapshot.numDocs,
                          segments: snapshot.segments.count, mergesRunning: merges.running, mergesCompleted: merges.completed)
    }

    /// Index `name` as `GET /indices/<INDEX>` shows it (nil: no such index): what searchers see
    /// now and what the last commit holds. Does not wait for the actor.
    public nonisolated func describe(index name: String) -> IndexDescription? {
        guard let index = stateMachine.index(named: name) else { return nil }
        let snapshot = index.writer.snapshot()
        let directory = index.writer.directory
        let segments = snapshot.segments.map { segment in
            SegmentDescription(id: segment.reader.name, docCount: segment.liveDocs.liveCount, deleted: segment.liveDocs.deletedCount,
                               bytes: segment.reader.sizeInBytes)
        }
        // A listing that fails (the index deleted meanwhile) shows no files rather than failing.
        let files = ((try? directory.list()) ?? []).filter { !$0.hasSuffix(".tmp") }
        return IndexDescription(name: name, docCount: snapshot.numDocs, docCountAll: snapshot.maxDoc,
                                lastModified: stateMachine.lastCommitTime(of: name), latestGeneration: index.writer.lastCommit.generation,
                                folder: directory.path, files: files, segments: segments)
    }
}
