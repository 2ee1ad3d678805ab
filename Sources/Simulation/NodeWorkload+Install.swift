import Core

/// InstallSnapshot in the node-level simulation, in ClusterNode's order (ClusterNode+Install):
/// a marker is made durable before the snapshot is saved in the log; the node then applies
/// nothing until it has streamed a member's pinned commit points (`pinForTransfer`) into its
/// staging (`SnapshotStaging`), a few chunks per time unit, and swapped them in (`install`);
/// a crash at any point resumes from the marker at the next start.
///
/// The bytes go straight from one simulated disk to the other; a transfer fails when the link
/// between the two is cut or either crashes, and starts over.
extension NodeWorkload {
    func nodeDirectory(_ node: SimNode) -> IndexDirectory {
        IndexDirectory(fileIO: node.fileIO, path: Self.root + "/_node")
    }

    func receiving(_ snapshot: Snapshot, on node: SimNode, in sim: RaftSimulation) throws {
        let index = snapshot.metadata.index
        try ClusterNode.writeInstallMarker(index, in: nodeDirectory(node))
        abandonTransfers(of: node.id)
        installs[node.id] = SnapshotInstall(index: index)
    }

    /// At open: a marker left by a crash means the install must finish first, unless the
    /// indices already hold its index (the crash came after the swap).
    func resumeInstallIfNeeded(_ node: SimNode, machine: NodeStateMachine) throws {
        installs[node.id] = nil
        let directory = nodeDirectory(node)
        guard let index = try ClusterNode.pendingInstall(in: directory) else { return }
        if machine.durableIndex >= index {
            try directory.delete(ClusterNode.installMarker)
            try directory.syncDirectory()
        } else {
            installs[node.id] = SnapshotInstall(index: index)
            resumedInstalls += 1
        }
    }

    func installStep(_ index: UInt64, on node: SimNode, log: DurableRaftLog, in sim: RaftSimulation) throws -> Bool {
        guard let machine = machines[node.id] else { return false }
        let install = installs[node.id] ?? SnapshotInstall(index: index)
        if machine.durableIndex >= index, install.transfer == nil {
            // The indices hold it already (ClusterNode.pump: nothing to stream).
            try finishInstall(node)
            return true
        }
        guard let transfer = install.transfer else {
            guard sim.now >= install.retryAt else { return false }
            var next = install
            next.transfer = try beginTransfer(to: node, index: index, in: sim)
            if next.transfer == nil { next.retryAt = sim.now + 20 + sim.random(40) }
            installs[node.id] = next
            return false
        }
        if transfer.broken || !sim.network.canReach(node.id, transfer.source) || !sim.network.canReach(transfer.source, node.id) {
            sim.trace("node \(node.id): snapshot transfer from \(transfer.source) failed")
            transfer.staging.discard()
            transfer.pinned.release()
            installs[node.id]?.transfer = nil
            installs[node.id]?.retryAt = sim.now + 20 + sim.random(40)
            sim.stats.snapshotTransfersFailed += 1
            return false
        }
        if sim.options.faults, sim.options.crashes, sim.now < sim.options.duration, sim.chance(1) {
            // Power fails halfway through the transfer: the next start discards the staging.
            sim.trace("node \(node.id) loses power while fetching a snapshot")
            sim.crashNow(node)
            return false
        }
        for _ in 0..<(1 + sim.random(3)) {
            guard let (file, offset) = transfer.staging.next else { break }
            let size = transfer.pinned.manifest.files[file].size
            let length = Int(min(UInt64(64 + sim.random(4096)), size - offset))
            let bytes = try transfer.pinned.read(fileAt: file, offset: offset, length: length)
            try transfer.staging.append(fileAt: file, offset: offset, bytes)
        }
        guard transfer.staging.next == nil else { return false }
        if sim.options.faults, sim.options.crashes, sim.now < sim.options.duration, sim.chance(30) {
            // Power fails somewhere in finishing, swapping in or removing the marker: the next
            // start must finish the swap (NodeStateMachine.init) or fetch again.
            node.crashDuringIO = true
            node.fileIO.failAfter(1 + sim.random(16))
        }
        try transfer.staging.finish()
        try machine.install(transfer.staging)
        transfer.pinned.release()
        installs[node.id]?.transfer = nil
        try finishInstall(node)
        sim.trace("node \(node.id) swapped in the state of node \(transfer.source) at \(transfer.pinned.manifest.logIndex)")
        return true
    }

    /// Pins a member's state for `node`: the leader first, then the others (ClusterNode's
    /// order), each running, reachable both ways, not installing itself, and holding at least
    /// `index` (it commits first if its commit points are behind, as `beginTransfer` does).
    private func beginTransfer(to node: SimNode, index: UInt64, in sim: RaftSimulation) throws -> SnapshotInstall.Transfer? {
        guard let raft = node.raft else { return nil }
        var candidates: [NodeID] = raft.leader != 0 && raft.leader != node.id ? [raft.leader] : []
        candidates += sim.nodes.keys.sorted().filter { $0 != node.id && $0 != raft.leader }
        for id in candidates {
            guard let source = sim.nodes[id], source.raft != nil, !source.removed, installs[id] == nil, let machine = machines[id],
                  sim.network.canReach(node.id, id), sim.network.canReach(id, node.id) else { continue }
            let pinned: SnapshotTransferSource
            do {
                if machine.durableIndex < index {
                    try machine.commitAll()
                    sim.stats.commits += 1
                }
                pinned = try machine.pinForTransfer()
            } catch {
                sim.ioFailed(source, error)
                continue
            }
            guard pinned.manifest.logIndex >= index else {
                pinned.release()
                continue
            }
            // The statistics come with the files: a merged source's scores become this node's
            // (marked now: a crash may leave the swap for the next start to finish).
            if merged.contains(id) { merged.insert(node.id) }
            let staging = try SnapshotStaging(root: Self.root, fileIO: node.fileIO, manifest: pinned.manifest)
            sim.trace("node \(node.id) fetches snapshot \(index) from node \(id) (\(pinned.manifest.files.count) files at \(pinned.manifest.logIndex))")
            return SnapshotInstall.Transfer(source: id, pinned: pinned, staging: staging)
        }
        return nil
    }

    private func finishInstall(_ node: SimNode) throws {
        let directory = nodeDirectory(node)
        if directory.exists(ClusterNode.installMarker) {
            try directory.delete(ClusterNode.installMarker)
            try directory.syncDirectory()
        }
        installs[node.id] = nil
    }

    /// `node` crashed: its own transfer dies with it (its staging stays on disk, incomplete,
    /// for the next open to discard), and transfers it served fail at their next read.
    func abandonTransfers(of node: NodeID) {
        if let transfer = installs[node]?.transfer {
            transfer.pinned.release()
            installs[node]?.transfer = nil
        }
        for id in installs.keys.sorted() where installs[id]?.transfer?.source == node {
            installs[id]?.transfer?.broken = true
        }
    }

    /// ClusterNode.compactLogIfDue: a Raft snapshot at what the indices hold durably, then the
    /// log before it dropped; a leader keeps what members it is connected to still need (one
    /// cut off or down is sent a snapshot when it is back).
    func compactLogIfDue(_ node: SimNode, machine: NodeStateMachine, in sim: RaftSimulation) throws {
        guard let raft = node.raft, let log = node.log else { return }
        let snapshotIndex = log.snapshot().metadata.index
        guard log.lastIndex >= snapshotIndex + UInt64(sim.options.snapshotEvery) else { return }
        var index = min(machine.durableIndex, raft.appliedIndex, log.lastIndex)
        if raft.confState.members.count > 1, raft.role == .leader {
            let matches = raft.progressMatches
            for member in raft.confState.members where member != node.id {
                guard let peer = sim.nodes[member], peer.raft != nil, sim.network.canReach(node.id, member),
                      sim.network.canReach(member, node.id) else { continue }
                index = min(index, matches[member] ?? 0)
            }
        }
        guard index > snapshotIndex else { return }
        // The node's snapshot data (NodeSnapshotManifest) is internal to Core; a follower uses
        // only the snapshot's index, and fetches the files from a member.
        try log.createSnapshot(index: index, confState: raft.confState, data: [])
        try log.compact(to: index)
        sim.stats.snapshotsTaken += 1
        sim.trace("node \(node.id) compacted its log to \(index)")
    }
}
