/// Linearizable reads (`consistency=strong`): ReadIndex as the Raft dissertation (section 6.4)
/// describes it. The leader confirms with a quorum that it still leads and takes its commit
/// index; a follower asks the leader for that index; either serves the read once it has
/// applied up to it.
extension ClusterNode {
    /// Returns once this node has applied everything committed before the call, so a read made
    /// now sees every write acknowledged before it, whichever node acknowledged it.
    ///
    /// - Returns: the log index the read is at.
    /// - Throws: `NodeError` when no leader can confirm (503).
    public func readBarrier(timeout: Duration = .seconds(5)) async throws -> UInt64 {
        let index: UInt64
        if raft.role == .leader {
            index = try await leaderReadIndex(timeout: timeout)
        } else {
            guard let network, raft.leader != 0, let address = peers[raft.leader] else {
                throw NodeError.notLeader("no leader is known to confirm a linearizable read")
            }
            let reply: [UInt8]
            do {
                reply = try await network.call(address, method: PeerMethod.readIndex, body: [], timeout: timeout)
            } catch {
                throw NodeError.notLeader("the leader at \(address) could not confirm a read: \(error)")
            }
            guard reply.count == 8 else { throw NodeError.notLeader("the leader's read index answer is malformed") }
            index = reply.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        }
        guard await waitForApplied(index, timeout: timeout) else {
            throw NodeError.timedOut("log index \(index) was not applied within \(timeout)")
        }
        return index
    }

    /// The leader's side: a commit index confirmed by a quorum's heartbeat answers.
    func leaderReadIndex(timeout: Duration) async throws -> UInt64 {
        if raft.confState.voters == [nodeID] { return raft.commitIndex }
        nextReadID += 1
        let context = withUnsafeBytes(of: nextReadID.littleEndian) { Array($0) } + withUnsafeBytes(of: nodeID.littleEndian) { Array($0) }
        raft.readIndex(context: context)
        return try await withCheckedThrowingContinuation { continuation in
            readWaiters[context] = continuation
            Task {
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                self.expireRead(context)
            }
            pump()
        }
    }

    private func expireRead(_ context: [UInt8]) {
        readWaiters.removeValue(forKey: context)?.resume(throwing: NodeError.notLeader("the leader could not confirm its leadership in time"))
    }

    func resolveReads(_ states: [ReadState]) {
        for state in states {
            readWaiters.removeValue(forKey: state.context)?.resume(returning: state.index)
        }
    }

    /// Answers a follower's `read.index` call.
    func answerReadIndex() async throws -> [UInt8] {
        guard raft.role == .leader else {
            throw PeerCallError(code: "not_leader", message: "node \(nodeID) is not the leader")
        }
        let index = try await leaderReadIndex(timeout: .seconds(5))
        return withUnsafeBytes(of: index.littleEndian) { Array($0) }
    }
}
