import Core

/// The fault schedule: crashes and restarts, partitions of several shapes, bad network weather,
/// membership changes and leader transfers, all drawn from the seed; and the final heal.
extension RaftSimulation {
    func injectFaults() {
        if let at = healAt, at <= now {
            network.heal()
            healAt = nil
            trace("partition healed")
        }
        if let until = weatherUntil, until <= now {
            network.dropPercent = 0
            network.duplicatePercent = 0
            network.longDelayPercent = 0
            weatherUntil = nil
        }
        promoteCaughtUpLearner()
        guard options.faults, now % 40 == 0, now > 100, chance(options.faultPercent) else { return }
        switch random(8) {
        case 0, 1:
            if options.crashes { crashSomeNode() }
        case 2, 3:
            partition()
        case 4:
            weather()
        case 5, 6:
            if options.membershipChanges { changeMembership() }
        default:
            transferLeadership()
        }
    }

    /// The nodes running and not removed, by id.
    func upNodes() -> [SimNode] {
        nodes.keys.sorted().compactMap { nodes[$0] }.filter { $0.raft != nil && !$0.removed }
    }

    private func crashSomeNode() {
        let up = upNodes()
        guard !up.isEmpty else { return }
        let victim = chance(60) ? (currentLeaderNode ?? up[random(up.count)]) : up[random(up.count)]
        if chance(30) {
            // Power fails in the middle of one of the node's next few disk operations.
            victim.crashDuringIO = true
            victim.fileIO.failAfter(1 + random(6))
            trace("node \(victim.id) will crash during a disk operation")
            return
        }
        crashNow(victim)
    }

    /// Power loss now; the node restarts later.
    func crashNow(_ victim: SimNode) {
        victim.crashDuringIO = false
        workload.crashing(victim, in: self)
        victim.crash()
        victim.restartAt = now + 20 + random(chance(50) ? 100 : 400)
        stats.crashes += 1
        trace("node \(victim.id) crashed (restart at \(victim.restartAt ?? 0))")
    }

    func restartDueNodes() {
        for id in nodes.keys.sorted() {
            guard let node = nodes[id], node.raft == nil, let at = node.restartAt, at <= now else { continue }
            node.restartAt = nil
            start(node)
        }
    }

    var currentLeaderNode: SimNode? {
        var best: SimNode?
        for id in nodes.keys.sorted() {
            guard let node = nodes[id], let raft = node.raft, raft.role == .leader else { continue }
            if best == nil || raft.term > (best?.raft?.term ?? 0) { best = node }
        }
        return best
    }

    private func partition() {
        let all = nodes.keys.sorted()
        guard all.count >= 3 else { return }
        network.heal()
        stats.partitions += 1
        switch random(4) {
        case 0:
            // Majority / minority.
            var shuffled = all
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, random(i + 1)) }
            let minority = Array(shuffled.prefix(random((all.count - 1) / 2) + 1))
            network.separate(minority, all.filter { !minority.contains($0) })
            trace("partition: \(minority) | rest")
        case 1:
            // A bridge: two sides that only one node reaches.
            var shuffled = all
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, random(i + 1)) }
            let bridge = shuffled[0]
            let rest = Array(shuffled.dropFirst())
            let left = Array(rest.prefix(rest.count / 2))
            let right = Array(rest.dropFirst(rest.count / 2))
            network.separate(left, right)
            trace("partition: \(left) | \(right) bridged by \(bridge)")
        case 2:
            // One-way: a node hears the others but they do not hear it (or the reverse).
            let node = all[random(all.count)]
            let others = all.filter { $0 != node }
            if chance(50) {
                network.cutOneWay(from: [node], to: others)
                trace("partition: \(node) cannot send")
            } else {
                network.cutOneWay(from: others, to: [node])
                trace("partition: \(node) cannot receive")
            }
        default:
            // The leader alone.
            guard let leader = currentLeaderNode else { return }
            network.separate([leader.id], all.filter { $0 != leader.id })
            trace("partition: leader \(leader.id) isolated")
        }
        healAt = now + 100 + random(500)
    }

    private func weather() {
        network.dropPercent = random(options.maxDropPercent + 1)
        network.duplicatePercent = random(options.maxDuplicatePercent + 1)
        network.longDelayPercent = random(15)
        // Sometimes long enough that stale messages of old terms arrive after elections.
        network.longDelay = chance(30) ? 300 : 40
        weatherUntil = now + 100 + random(400)
        trace("weather: drop \(network.dropPercent)% dup \(network.duplicatePercent)% delay \(network.longDelayPercent)%")
    }

    private func changeMembership() {
        guard let leader = currentLeaderNode, let raft = leader.raft else { return }
        let conf = raft.confState
        let change: ConfChange
        if conf.learners.isEmpty && conf.voters.count < 5 && chance(50) {
            let id = nextNodeID
            nextNodeID += 1
            change = ConfChange(type: .addLearner, nodeID: id)
            do {
                try raft.proposeConfChange(change)
            } catch {
                return
            }
            addNode(id, bootstrap: nil)
            pendingPromotion = id
        } else if conf.voters.count > 3 || (!conf.learners.isEmpty && chance(30)) {
            let candidates = conf.voters.count > 3 ? conf.members : conf.learners
            let victim = candidates[random(candidates.count)]
            change = ConfChange(type: .removeNode, nodeID: victim)
            guard (try? raft.proposeConfChange(change)) != nil else { return }
            if pendingPromotion == victim { pendingPromotion = nil }
        } else {
            return
        }
        stats.membershipChanges += 1
        trace("membership: proposed \(change.type) \(change.nodeID) via leader \(leader.id)")
    }

    /// Promotes the joining learner once it has caught up with the leader's commit index.
    private func promoteCaughtUpLearner() {
        guard options.membershipChanges, let learner = pendingPromotion, let leader = currentLeaderNode,
              let raft = leader.raft, raft.confState.isLearner(learner),
              let match = raft.progressMatches[learner], match + 3 >= raft.commitIndex else { return }
        if (try? raft.proposeConfChange(ConfChange(type: .addVoter, nodeID: learner))) != nil {
            pendingPromotion = nil
            stats.membershipChanges += 1
            trace("membership: promoting learner \(learner)")
        }
    }

    private func transferLeadership() {
        guard let leader = currentLeaderNode, let raft = leader.raft else { return }
        let others = raft.confState.voters.filter { $0 != leader.id }
        guard !others.isEmpty else { return }
        let target = others[random(others.count)]
        raft.transferLeader(to: target)
        trace("transfer: leader \(leader.id) -> \(target)")
    }

    /// Ends the fault period: restart everything, heal the network, calm the weather.
    func healEverything() {
        network.heal()
        healAt = nil
        network.dropPercent = 0
        network.duplicatePercent = 0
        network.longDelayPercent = 0
        weatherUntil = nil
        for id in nodes.keys.sorted() {
            guard let node = nodes[id] else { continue }
            if node.crashDuringIO {
                node.crashDuringIO = false
                node.fileIO.failAfter(nil)
            }
            guard node.raft == nil, !node.removed else { continue }
            node.restartAt = nil
            start(node)
        }
        trace("healed: \(nodes.count) nodes")
    }
}
