/// The node's background services (DESIGN.md, "A write, end to end", steps 6, and
/// "Snapshots"): the refresh ticker, the commit schedule and log compaction.
extension ClusterNode {
    /// Runs the refresh ticker (every `refreshInterval`), the commit schedule (every
    /// `commitInterval`, or once about `commitLogBytes` of log were applied since the last
    /// commit) and log compaction (see `compactLogIfDue`). Returns when the calling task is
    /// cancelled, after a final commit of every index. Failures are logged; the next tick tries
    /// again.
    public nonisolated func runMaintenance() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runRaftClock() }
            group.addTask { await self.runSchedules() }
        }
    }

    /// The Raft clock, and a new node's requests to be added (once a second until it is).
    private nonisolated func runRaftClock() async {
        var lastJoinAttempt = ContinuousClock.now - .seconds(10)
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: options.tickInterval)) != nil else { break }
            await tick()
            if await joining, ContinuousClock.now - lastJoinAttempt >= .seconds(1) {
                lastJoinAttempt = .now
                await joinThroughSeed()
            }
        }
    }

    private nonisolated func runSchedules() async {
        let clock = ContinuousClock()
        let tick = min(options.refreshInterval, options.commitInterval, .seconds(1))
        var lastRefresh = clock.now
        var lastCommit = clock.now
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: max(tick, .milliseconds(1)))) != nil else { break }
            if clock.now - lastRefresh >= options.refreshInterval {
                await refreshIfBehind()
                lastRefresh = clock.now
            }
            let bytesSinceCommit = await logBytesSinceCommit
            if clock.now - lastCommit >= options.commitInterval || bytesSinceCommit >= options.commitLogBytes {
                // Flushing the buffers is most of a commit's work: do it off the actor first, so
                // the commit itself (which holds up writes) is mostly fsyncs.
                await refreshIfBehind()
                await scheduledCommit()
                lastCommit = clock.now
            }
            await compactLogIfDue()
            transferSessions.expireIdle()
        }
        await scheduledCommit()
    }

    /// The ticker's refresh: only when something was applied since the last one, and sharing a
    /// refresh already running.
    func refreshIfBehind() async {
        guard failure == nil, !closed, searchableIndex < raft.appliedIndex else { return }
        do {
            try await (refreshTask ?? startRefresh()).value
        } catch {
            logger.error("refresh failed", metadata: ["error": "\(error)"])
        }
    }

    private func scheduledCommit() {
        guard failure == nil, !closed else { return }
        do {
            try commit()
        } catch {
            logger.error("commit failed", metadata: ["error": "\(error)"])
        }
    }

    /// Compacts the log when it holds at least `logCompactionMinEntries` entries since the last
    /// compaction and `logCompactionMinTime` has passed since it: a Raft snapshot at the
    /// smallest last-applied index the indices' durable commit points (and the catalog) record
    /// (DESIGN.md, "Snapshots"), then the log before it is dropped. Never past what the commit
    /// points hold, so a restart still replays everything they lack.
    ///
    /// - Returns: the snapshot index, when it compacted.
    @discardableResult
    public func compactLogIfDue() -> UInt64? {
        guard failure == nil, !closed, installing == nil else { return nil }
        let now = ContinuousClock.now
        let connected = network?.connectedPeers() ?? []
        for member in connected { lastConnected[member] = now }
        let snapshotIndex = log.snapshot().metadata.index
        guard log.lastIndex >= snapshotIndex + UInt64(max(options.logCompactionMinEntries, 0)),
              ContinuousClock.now - lastCompaction >= options.logCompactionMinTime else { return nil }
        var index = min(stateMachine.durableIndex, raft.appliedIndex, log.lastIndex)
        if raft.confState.members.count > 1, raft.role == .leader {
            // A member whose link is up (or was, a moment ago) catches up from the log, far
            // cheaper than streaming every index to it: keep what it still needs. One that has
            // been down or cut off for longer is sent a snapshot when it is back
            // (ClusterNode+Install).
            let matches = raft.progressMatches
            for member in raft.confState.members where member != nodeID {
                guard let seen = lastConnected[member], now - seen <= options.compactionMemberGrace else { continue }
                index = min(index, matches[member] ?? 0)
            }
        }
        guard index > snapshotIndex else { return nil }
        do {
            let manifest = NodeSnapshotManifest(clusterID: identity.clusterID, logIndex: index, stateMachine: stateMachine,
                                                peers: peers.restricted(to: raft.confState.members))
            try log.createSnapshot(index: index, confState: raft.confState, data: manifest.encoded())
            try log.compact(to: index)
        } catch {
            logger.error("log compaction failed", metadata: ["error": "\(error)"])
            return nil
        }
        lastCompaction = .now
        compactionCount += 1
        logger.info("compacted the Raft log", metadata: ["snapshot_index": "\(index)"])
        return index
    }

    /// The first index still in the log (entries before it were compacted).
    public var firstLogIndex: UInt64 { log.firstIndex }

    /// Fsyncs of the Raft log so far (tests of group commit).
    var logSyncCount: Int { log.syncCount }

    /// The latest Raft snapshot's data (tests).
    var raftSnapshotData: [UInt8] { log.snapshot().data }
}
