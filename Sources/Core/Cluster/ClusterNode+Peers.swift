import Foundation

/// The node in a cluster: its peers' messages, the calls they and the admin commands make,
/// forwarding of writes to the leader, and membership (join, promotion, leave).
extension ClusterNode: PeerHandler {
    /// Connects the node to its peers. Messages Raft produced before this are lost, which Raft
    /// tolerates (it resends).
    public func attach(network: any PeerNetwork) {
        self.network = network
        network.setPeers(peerAddresses)
    }

    /// The members whose registries lack a component of `uses` (`kind:name`s, from
    /// `RegistryUsage.recording`), so an index config they could not load is refused before it
    /// is logged (a member that cannot apply a committed entry stops).
    public func membersLacking(_ uses: [String]) -> [(address: String, missing: [String])] {
        peers.lacking(uses, among: raft.confState.members)
    }

    /// Whether this node leads its group now.
    public var isLeader: Bool { raft.role == .leader }

    /// How many voters the membership has (status and tests).
    public var votersCount: Int { raft.confState.voters.count }

    /// Every member but this node, for the transport.
    var peerAddresses: [NodeID: String] {
        peers.addresses.filter { $0.key != nodeID }
    }

    // MARK: Raft messages

    public func receive(_ messages: [Message]) async {
        guard failure == nil, !closed else { return }
        for message in messages {
            // A peer speaks for itself only: proposals go through `forward`, and local
            // messages never cross the network.
            guard message.to == nodeID, message.from != nodeID, message.from != 0,
                  message.type != .propose, !message.isLocal else { continue }
            raft.step(message)
        }
        pump()
    }

    /// One Raft tick, and the leader's housekeeping: learners that caught up become voters.
    func tick() {
        guard failure == nil, !closed else { return }
        raft.tick()
        if raft.role == .leader { promoteCaughtUpLearner() }
        startInstallIfNeeded()
        pump()
    }

    private func promoteCaughtUpLearner() {
        let matches = raft.progressMatches
        for learner in raft.confState.learners {
            guard let match = matches[learner], match >= raft.commitIndex else { continue }
            let change = ConfChange(type: .addVoter, nodeID: learner,
                                    context: PeerAddressBook.context(address: peers[learner] ?? "", components: peers.components[learner].map { $0.sorted() } ?? []))
            // Refused while another membership change is pending; the next tick tries again.
            if (try? raft.proposeConfChange(change)) != nil {
                logger.info("promoting a caught-up learner to voter", metadata: ["node": "\(learner)", "address": "\(peers[learner] ?? "?")"])
            }
            return
        }
    }

    /// A committed membership change: where the member is reached (from the change's context).
    func applyMembership(_ change: ConfChange) throws {
        switch change.type {
        case .addLearner, .addVoter:
            guard let (address, components) = PeerAddressBook.parseContext(change.context) else { return }
            let known = peers.components[change.nodeID]
            guard peers[change.nodeID] != address || (!components.isEmpty && known != Set(components)) else { return }
            peers.set(change.nodeID, address)
            if !components.isEmpty { peers.setComponents(change.nodeID, components) }
        case .removeNode:
            guard peers[change.nodeID] != nil else { return }
            peers.remove(change.nodeID)
            if change.nodeID == nodeID {
                logger.warning("this node was removed from the cluster")
            }
        }
        try peers.save(in: nodeDirectory)
        network?.setPeers(peerAddresses)
    }

    // MARK: Forwarding

    /// A follower's write: the leader proposes it and answers once it is applied there. The
    /// caller waits for its own node to apply it when it asked for `sync`.
    func forward(_ commands: [NodeCommand]) async throws -> [Acknowledgement] {
        guard let network else { throw NodeError.notLeader("this node is not the leader and has no peer transport") }
        guard raft.leader != 0, let address = peers[raft.leader] else {
            throw NodeError.notLeader("no leader is known yet")
        }
        let reply: [UInt8]
        do {
            reply = try await network.call(address, method: PeerMethod.forward, body: ClusterRPC.encodeForward(commands),
                                           timeout: options.writeTimeout)
        } catch let error as PeerCallError {
            switch error.code {
            case "not_leader", "auth": throw NodeError.notLeader("the leader at \(address) refused: \(error.message)")
            case "stopped", "closed": throw NodeError.notLeader("the leader at \(address): \(error.message)")
            // The request may have been sent and acted on: only "unavailable" before a
            // connection was made would be safe to call a refusal, and it is not told apart.
            default: throw NodeError.outcomeUnknown("forwarding to the leader at \(address) failed: \(error)")
            }
        }
        do {
            return try ClusterRPC.decodeAcknowledgements(reply)
        } catch {
            throw NodeError.outcomeUnknown("the leader's answer could not be read: \(error)")
        }
    }

    // MARK: Calls

    public func handle(method: String, body: [UInt8], from address: String) async throws -> [UInt8] {
        switch method {
        case PeerMethod.forward:
            guard raft.role == .leader else {
                throw PeerCallError(code: "not_leader", message: "node \(nodeID) is not the leader (leader: \(raft.leader))")
            }
            let commands: [NodeCommand]
            do { commands = try ClusterRPC.decodeForward(body) } catch {
                throw PeerCallError(code: "bad_request", message: "\(error)")
            }
            do {
                return ClusterRPC.encodeAcknowledgements(try await write(commands))
            } catch let error as NodeError {
                switch error {
                case .notLeader(let reason): throw PeerCallError(code: "not_leader", message: reason)
                case .stopped(let reason): throw PeerCallError(code: "stopped", message: reason)
                default: throw PeerCallError(code: "outcome_unknown", message: error.description)
                }
            }
        case PeerMethod.joinRequest:
            let request: ClusterRPC.JoinRequest
            do { request = try ClusterRPC.JoinRequest.decode(body) } catch {
                throw PeerCallError(code: "bad_request", message: "\(error)")
            }
            return try await admit(request).encoded()
        case PeerMethod.leave:
            guard let address = String(validating: body, as: UTF8.self), !address.isEmpty else {
                throw PeerCallError(code: "bad_request", message: "leave: the body must be the leaving node's host:port")
            }
            try await remove(address: address)
            return Array(#"{"removed": true}"#.utf8)
        case PeerMethod.join:
            guard let address = String(validating: body, as: UTF8.self), !address.isEmpty else {
                throw PeerCallError(code: "bad_request", message: "join: the body must be the joining node's host:port")
            }
            return try await add(address: address)
        case PeerMethod.identity:
            let me = ClusterRPC.JoinRequest(nodeID: nodeID, address: options.advertisedAddress, components: options.components)
            return ClusterRPC.IdentityReply(node: me, clusterID: identity.clusterID, waiting: joining).encoded()
        case PeerMethod.joinAccept:
            let reply: ClusterRPC.JoinResponse
            do { reply = try ClusterRPC.JoinResponse.decode(body) } catch {
                throw PeerCallError(code: "bad_request", message: "\(error)")
            }
            if joining {
                try accept(reply, through: address)
            } else if reply.clusterID != identity.clusterID {
                throw PeerCallError(code: "conflict", message: "node \(nodeID) belongs to cluster \(String(identity.clusterID, radix: 16))")
            }
            return []
        case PeerMethod.readIndex:
            return try await answerReadIndex()
        case PeerMethod.status:
            var out: [UInt8] = []
            JSONValue.object(status(advertisedAddress: options.advertisedAddress)).appendJSON(to: &out)
            return out
        case PeerMethod.snapshotCreate:
            let info = try await writeSnapshot(to: options.snapshotFile)
            return Array("{\"bytes\": \(info.bytes)}".utf8)
        case PeerMethod.snapshotRead:
            return try readSnapshotRange(body)
        case PeerMethod.transferBegin:
            return try await beginTransfer(body)
        case PeerMethod.transferRead:
            return try readTransfer(body)
        case PeerMethod.transferEnd:
            return try endTransfer(body)
        default:
            throw PeerCallError(code: "unknown_method", message: "no method '\(method)'")
        }
    }

    private nonisolated func readSnapshotRange(_ body: [UInt8]) throws -> [UInt8] {
        guard let range = SnapshotReadRequest(decoding: body) else {
            throw PeerCallError(code: "bad_request", message: "snapshot.read: the body must be an offset and a length of 1...\(SnapshotReadRequest.maxLength)")
        }
        guard let handle = FileHandle(forReadingAtPath: options.snapshotFile) else {
            throw PeerCallError(code: "not_found", message: "no snapshot at \(options.snapshotFile)")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: range.offset)
        return Array(try handle.read(upToCount: range.length) ?? Data())
    }

    // MARK: Membership

    /// The leader adds a node that asked to join, as a learner (promoted once it caught up).
    /// Another member forwards the request to the leader.
    func admit(_ request: ClusterRPC.JoinRequest) async throws -> ClusterRPC.JoinResponse {
        if raft.role != .leader {
            guard let network, raft.leader != 0, let leader = peers[raft.leader] else {
                throw PeerCallError(code: "not_leader", message: "no leader is known yet; retry")
            }
            return try ClusterRPC.JoinResponse.decode(
                try await network.call(leader, method: PeerMethod.joinRequest, body: request.encoded(), timeout: .seconds(15)))
        }
        if raft.confState.removed.contains(request.nodeID) {
            throw PeerCallError(code: "removed", message: "node \(request.nodeID) was removed from this cluster and is never readmitted; wipe its --index-dir to join under a new id")
        }
        if !raft.confState.contains(request.nodeID) {
            let change = ConfChange(type: .addLearner, nodeID: request.nodeID,
                                    context: PeerAddressBook.context(address: request.address, components: request.components))
            do {
                try raft.proposeConfChange(change)
            } catch {
                throw PeerCallError(code: "busy", message: "a membership change is in progress; retry: \(error)")
            }
            let index = raft.lastIndex
            pump()
            guard await waitForApplied(index, timeout: .seconds(10)), peers[request.nodeID] == request.address else {
                throw PeerCallError(code: "outcome_unknown", message: "the membership change was not applied in time; retry")
            }
            logger.info("added a learner", metadata: ["node": "\(request.nodeID)", "address": "\(request.address)"])
        }
        return ClusterRPC.JoinResponse(clusterID: identity.clusterID, leaderID: nodeID, members: peers.addresses)
    }

    /// `PUT /cluster/<node>`, `cockatrice join`: the leader (others forward) asks the node at
    /// `address` who it is. A member already: nothing to do. Waiting to be added (started with
    /// a `--seed-addr` that could not add it): it is added as a learner, told so, and promoted
    /// once caught up. A node of another cluster (or one founded on its own) is refused: adding
    /// it would mix two histories.
    func add(address: String) async throws -> [UInt8] {
        guard HostPort(parsing: address) != nil else {
            throw PeerCallError(code: "bad_request", message: "'\(address)' is not a node address (HOST:PORT, the node's peer port)")
        }
        guard let network else { throw PeerCallError(code: "unavailable", message: "this node has no peer transport") }
        if raft.role != .leader {
            guard raft.leader != 0, let leader = peers[raft.leader] else {
                throw PeerCallError(code: "not_leader", message: "no leader is known yet; retry")
            }
            return try await network.call(leader, method: PeerMethod.join, body: Array(address.utf8), timeout: .seconds(30))
        }
        let target: ClusterRPC.IdentityReply
        do {
            target = try ClusterRPC.IdentityReply.decode(try await network.call(address, method: PeerMethod.identity, body: [], timeout: .seconds(5)))
        } catch {
            throw PeerCallError(code: "unreachable", message: "cannot reach the node at \(address) (or it did not say who it is): \(error)")
        }
        let id = target.node.nodeID
        let answer = Array("{\"joined\": true, \"node_id\": \"\(String(id, radix: 16))\"}".utf8)
        if !target.waiting {
            guard target.clusterID == identity.clusterID else {
                throw PeerCallError(code: "conflict", message: """
                    the node at \(address) belongs to another cluster (\(String(target.clusterID, radix: 16)); this one is \(String(identity.clusterID, radix: 16))): \
                    wipe its --index-dir and start it with --seed-addr=\(options.advertisedAddress) to add it
                    """)
            }
            guard raft.confState.contains(id) else {
                throw PeerCallError(code: "removed", message: "node \(id) at \(address) was removed from this cluster and is never readmitted")
            }
            return answer
        }
        let reply = try await admit(ClusterRPC.JoinRequest(nodeID: id, address: address, components: target.node.components))
        _ = try await network.call(address, method: PeerMethod.joinAccept, body: reply.encoded(), timeout: .seconds(5))
        return answer
    }

    /// Removes the member at `address` (the leader proposes it; others forward).
    func remove(address: String) async throws {
        if raft.role != .leader {
            guard let network, raft.leader != 0, let leader = peers[raft.leader] else {
                throw PeerCallError(code: "not_leader", message: "no leader is known yet; retry")
            }
            _ = try await network.call(leader, method: PeerMethod.leave, body: Array(address.utf8), timeout: .seconds(15))
            return
        }
        guard let id = peers.id(of: address), raft.confState.contains(id) else {
            throw PeerCallError(code: "not_found", message: "no member at \(address)")
        }
        guard raft.confState.voters != [id] else {
            throw PeerCallError(code: "bad_request", message: "\(address) is the only voter; it cannot leave")
        }
        do {
            try raft.proposeConfChange(ConfChange(type: .removeNode, nodeID: id))
        } catch {
            throw PeerCallError(code: "busy", message: "a membership change is in progress; retry: \(error)")
        }
        let index = raft.lastIndex
        pump()
        guard await waitForApplied(index, timeout: .seconds(10)) else {
            throw PeerCallError(code: "outcome_unknown", message: "the removal was not applied in time")
        }
    }

    /// A new node asks the seed (any member) to be added; repeats until it is.
    func joinThroughSeed() async {
        guard joining, let seed = options.seedAddress, let network else { return }
        let request = ClusterRPC.JoinRequest(nodeID: nodeID, address: options.advertisedAddress, components: options.components)
        do {
            let reply = try ClusterRPC.JoinResponse.decode(
                try await network.call(seed, method: PeerMethod.joinRequest, body: request.encoded(), timeout: .seconds(15)))
            guard joining else { return }  // added meanwhile through `join.accept`
            try accept(reply, through: seed)
        } catch {
            logger.warning("asking the seed to be added failed; retrying", metadata: ["seed": "\(seed)", "error": "\(error)"])
        }
    }

    /// This waiting node was added: it takes the cluster id and the members, and stops asking.
    private func accept(_ reply: ClusterRPC.JoinResponse, through address: String) throws {
        for (id, address) in reply.members { peers.set(id, address) }
        try peers.save(in: nodeDirectory)
        try NodeIdentity(nodeID: nodeID, clusterID: reply.clusterID).save(in: nodeDirectory)
        clusterIDValue.store(reply.clusterID, ordering: .releasing)
        joining = false
        network?.setPeers(peerAddresses)
        logger.info("added to the cluster as a learner", metadata: ["through": "\(address)", "leader": "\(reply.leaderID)"])
    }

    /// On a clean shutdown a leader hands over to the most caught-up voter, so the cluster
    /// does not wait an election timeout to find out it is gone. Waits up to half a second
    /// for the transfer (call before `close()`, while the peer transport still runs).
    public func handOverLeadership() async {
        guard raft.role == .leader, raft.confState.voters.count > 1, failure == nil, !closed else { return }
        let matches = raft.progressMatches
        guard let target = raft.confState.voters.filter({ $0 != nodeID }).max(by: { (matches[$0] ?? 0) < (matches[$1] ?? 0) }) else { return }
        raft.transferLeader(to: target)
        pump()
        let deadline = ContinuousClock.now + .milliseconds(500)
        while raft.role == .leader, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        logger.info("handed over leadership", metadata: ["to": "\(target)", "done": "\(raft.role != .leader)"])
    }
}
