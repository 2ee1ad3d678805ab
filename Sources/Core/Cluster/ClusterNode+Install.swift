import Foundation

/// InstallSnapshot (DESIGN.md, "Snapshots"): a member behind its leader's compacted log gets
/// a Raft snapshot, whose data names commit points rather than holding them; it then streams
/// the files of a member's pinned commit points into a staging directory, checks them against
/// the manifest, and swaps them in. Also the serving side (`transfer.*` calls).
extension ClusterNode {
    /// Present in `_node` from the moment a received snapshot is about to be persisted until
    /// the indices hold it: a node that opens with it installs before it applies anything.
    /// (The node-level simulation writes and reads the same marker.)
    package static let installMarker = "install-needed"

    package static func writeInstallMarker(_ index: UInt64, in directory: IndexDirectory) throws(StoreError) {
        var writer = ByteWriter()
        writer.u64(index)
        try directory.atomicWrite(installMarker, contents: writer.output)
    }

    /// The snapshot index a crash left to install, if any.
    package static func pendingInstall(in directory: IndexDirectory) throws(StoreError) -> UInt64? {
        guard directory.exists(installMarker) else { return nil }
        let file = try directory.fileIO.readFile(directory.filePath(installMarker))
        var reader = ByteReader(file.copyBytes())
        guard let index = reader.u64(), reader.isAtEnd else {
            throw .corrupt(path: directory.filePath(installMarker), offset: nil, reason: "not a log index")
        }
        return index
    }

    /// A snapshot replaces the log before it, membership changes included: where the members
    /// are reached and what they hold now comes from the snapshot (a member added or removed
    /// while this node was away is known only there). Members it does not name are dropped.
    func adoptMembership(of snapshot: Snapshot) throws {
        let members = snapshot.metadata.confState.members
        var book = peers.restricted(to: members)
        if let manifest = try? NodeSnapshotManifest.decode(snapshot.data), let carried = manifest.peers {
            for (id, address) in carried.addresses where id != nodeID { book.set(id, address) }
            for (id, names) in carried.components where id != nodeID { book.setComponents(id, names.sorted()) }
            book = book.restricted(to: members)
        }
        book.set(nodeID, options.advertisedAddress)
        if !options.components.isEmpty { book.setComponents(nodeID, options.components) }
        guard book != peers else { return }
        peers = book
        try peers.save(in: nodeDirectory)
        network?.setPeers(peerAddresses)
    }

    /// Raft handed over a snapshot (persisted already): stop applying until the indices hold it.
    func beginInstall(_ metadata: SnapshotMetadata, pending ready: Ready?) {
        installing = metadata
        pendingReady = ready
        leaderKnown.store(false, ordering: .releasing)
        logger.info("must install a snapshot", metadata: ["log_index": "\(metadata.index)", "leader": "\(raft.leader)"])
        startInstallIfNeeded()
    }

    /// Starts fetching (once a peer transport is attached; the Raft clock calls this too).
    func startInstallIfNeeded() {
        guard installing != nil, installTask == nil, network != nil, failure == nil, !closed else { return }
        installTask = Task { await self.runInstall() }
    }

    /// Fetches and installs until it succeeds, trying the leader first and then every other
    /// member, backing off between rounds. A failure before the swap is retried; a failure of
    /// the swap itself stops the node (its indices are in an unknown state).
    private func runInstall() async {
        defer { installTask = nil }
        var delay = Duration.milliseconds(100)
        while let target = installing, failure == nil, !closed, !Task.isCancelled {
            var staging: SnapshotStaging?
            for address in installSources() {
                do {
                    staging = try await fetch(from: address, atLeast: target.index)
                    break
                } catch {
                    logger.warning("fetching a snapshot failed", metadata: ["from": "\(address)", "error": "\(error)"])
                }
            }
            if let staging {
                do {
                    try await finishInstall(staging, target: target)
                } catch {
                    stop(after: error)
                }
                return
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    /// The leader (it sent the snapshot) first, then the other members.
    private func installSources() -> [String] {
        var addresses: [String] = []
        if raft.leader != 0, raft.leader != nodeID, let leader = peers[raft.leader] { addresses.append(leader) }
        for (id, address) in peers.addresses.sorted(by: { $0.key < $1.key }) where id != nodeID && !addresses.contains(address) {
            addresses.append(address)
        }
        return addresses
    }

    /// Streams every file of a member's pinned state into the staging and completes it.
    private func fetch(from address: String, atLeast index: UInt64) async throws -> SnapshotStaging {
        guard let network else { throw NodeError.notLeader("no peer transport") }
        var request = ByteWriter()
        request.u64(index)
        request.u64(identity.clusterID)
        let begin = try TransferBeginReply.decode(
            try await network.call(address, method: PeerMethod.transferBegin, body: request.output, timeout: .seconds(60)))
        var end = ByteWriter()
        end.u64(begin.session)
        let endBody = end.output
        defer { Task { _ = try? await network.call(address, method: PeerMethod.transferEnd, body: endBody, timeout: .seconds(5)) } }
        guard begin.manifest.logIndex >= index else {
            throw NodeError.notLeader("\(address) holds up to log index \(begin.manifest.logIndex), the snapshot needs \(index)")
        }
        let staging = try SnapshotStaging(root: root, fileIO: fileIO, manifest: begin.manifest)
        do {
            var bytes = 0
            while let (file, offset) = staging.next {
                let size = begin.manifest.files[file].size
                let length = Int(min(UInt64(SnapshotReadRequest.maxLength), size - offset))
                let chunk = try await network.call(address, method: PeerMethod.transferRead,
                                                   body: TransferReadRequest(session: begin.session, file: file, offset: offset, length: length).encoded(),
                                                   timeout: .seconds(30))
                guard chunk.count == length else {
                    throw StoreError.corrupt(path: begin.manifest.files[file].path, offset: nil,
                                             reason: "\(address) sent \(chunk.count) bytes at \(offset), expected \(length)")
                }
                try await BlockingWork.run { try staging.append(fileAt: file, offset: offset, chunk) }
                bytes += chunk.count
            }
            try await BlockingWork.run { try staging.finish() }
            logger.info("fetched a snapshot", metadata: ["from": "\(address)", "log_index": "\(begin.manifest.logIndex)",
                                                         "files": "\(begin.manifest.files.count)", "bytes": "\(bytes)"])
            return staging
        } catch {
            staging.discard()
            throw error
        }
    }

    /// Swaps the staging in, then finishes the Ready that carried the snapshot and goes on.
    private func finishInstall(_ staging: SnapshotStaging, target: SnapshotMetadata) async throws {
        let machine = stateMachine
        swapping = true
        defer { swapping = false }
        try await BlockingWork.run { try machine.install(staging) }
        if closed {
            // Closed during the swap (which `close()` could not wait for): close what it opened;
            // the marker stays, and the next open finds the indices holding the snapshot.
            machine.close()
            return
        }
        try nodeDirectory.delete(Self.installMarker)
        try nodeDirectory.syncDirectory()
        installing = nil
        installCount += 1
        if let ready = pendingReady {
            pendingReady = nil
            try finish(ready)
        }
        // The indices opened at their commit points, which hold at least the snapshot.
        searchableIndex = max(searchableIndex, min(target.index, raft.appliedIndex))
        logger.info("installed a snapshot", metadata: ["log_index": "\(target.index)", "applied": "\(raft.appliedIndex)"])
        pump()
    }

    // MARK: Serving

    /// `transfer.begin`: pins this node's state for a follower whose snapshot covers `index`.
    func beginTransfer(_ body: [UInt8]) async throws -> [UInt8] {
        var reader = ByteReader(body)
        guard let index = reader.u64(), let cluster = reader.u64(), reader.isAtEnd else {
            throw PeerCallError(code: "bad_request", message: "transfer.begin: the body must be a log index and a cluster id (8 bytes each)")
        }
        // Never hand one cluster's indices to a node of another (an address reused, say).
        guard cluster == identity.clusterID else {
            throw PeerCallError(code: "wrong_cluster", message: "this node belongs to cluster \(String(identity.clusterID, radix: 16)), not \(String(cluster, radix: 16))")
        }
        if let failure { throw PeerCallError(code: "stopped", message: "\(failure)") }
        if closed || installing != nil { throw PeerCallError(code: "unavailable", message: "this node has no state to send now") }
        // Commit points only move forward: commit once if they are behind what is asked.
        if stateMachine.durableIndex < index { try commit() }
        // Pinned on the actor (every index at the same point), checksummed off it.
        let pinned = try stateMachine.pinCommitPoints()
        guard pinned.logIndex >= index else {
            pinned.release()
            throw PeerCallError(code: "behind", message: "this node holds up to log index \(pinned.logIndex), not \(index)")
        }
        let source = try await BlockingWork.run { SnapshotTransferSource(pinned) }
        let session = transferSessions.open(source)
        logger.info("sending a snapshot", metadata: ["session": "\(session)", "log_index": "\(source.manifest.logIndex)",
                                                     "files": "\(source.manifest.files.count)"])
        return TransferBeginReply(session: session, manifest: source.manifest).encoded()
    }

    /// `transfer.read`: a range of one file of a session.
    nonisolated func readTransfer(_ body: [UInt8]) throws -> [UInt8] {
        guard let request = TransferReadRequest(decoding: body) else {
            throw PeerCallError(code: "bad_request", message: "transfer.read: the body must be a session, a file, an offset and a length of 1...\(SnapshotReadRequest.maxLength)")
        }
        guard let source = transferSessions.source(request.session) else {
            throw PeerCallError(code: "not_found", message: "no transfer session \(request.session) (ended or expired)")
        }
        do {
            return try source.read(fileAt: request.file, offset: request.offset, length: request.length)
        } catch {
            throw PeerCallError(code: "bad_request", message: "\(error)")
        }
    }

    /// `transfer.end`.
    nonisolated func endTransfer(_ body: [UInt8]) throws -> [UInt8] {
        var reader = ByteReader(body)
        guard let session = reader.u64(), reader.isAtEnd else {
            throw PeerCallError(code: "bad_request", message: "transfer.end: the body must be a session (8 bytes)")
        }
        transferSessions.close(session)
        return []
    }
}
