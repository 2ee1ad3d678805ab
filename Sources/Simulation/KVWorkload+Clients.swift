import Core

/// The clients: each runs one operation at a time against a random node, and the history of
/// invocations and answers feeds the linearizability checker.
extension KVWorkload {
    func runClients(in sim: RaftSimulation) {
        for client in 0..<sim.options.clients {
            if let index = clientBusy[client] {
                if operations[index].returned != nil {
                    clientBusy[client] = nil
                    clientIdleUntil[client] = sim.now + sim.random(20)
                } else if operations[index].deadline <= sim.now {
                    // Given up: a write's outcome is unknown (it may still apply), a read had no effect.
                    clientBusy[client] = nil
                    clientIdleUntil[client] = sim.now + sim.random(20)
                }
                continue
            }
            guard sim.now < sim.options.duration, sim.now >= clientIdleUntil[client] ?? 0 else { continue }
            startOperation(client, in: sim)
        }
    }

    private func startOperation(_ client: Int, in sim: RaftSimulation) {
        let up = sim.upNodes()
        guard !up.isEmpty else { return }
        let node = up[sim.random(up.count)]
        guard let raft = node.raft else { return }
        let id = nextOperationID
        nextOperationID += 1
        let key = UInt64(sim.random(sim.options.keys))
        let isWrite = sim.chance(55)
        historyClock += 1
        var op = ClientOperation(id: id, client: client, key: key, isWrite: isWrite, value: isWrite ? id : 0,
                                 node: node.id, called: historyClock, returned: nil,
                                 deadline: sim.now + sim.options.operationTimeout)
        if isWrite {
            do {
                try raft.propose(KVStateMachine.encode(KVStateMachine.Write(operation: id, key: key, value: id)))
            } catch {
                // Refused before reaching any log: it never happened, so it is not in the history.
                clientIdleUntil[client] = sim.now + 10 + sim.random(20)
                return
            }
        } else {
            var context: [UInt8] = []
            withUnsafeBytes(of: id.littleEndian) { context.append(contentsOf: $0) }
            raft.readIndex(context: context)
        }
        op.called = historyClock
        operations.append(op)
        clientBusy[client] = operations.count - 1
    }

    /// A write applied on `nodeID`: if a client waits for it there, it is acknowledged now.
    func acknowledgeWrite(_ operation: UInt64, at nodeID: NodeID, in sim: RaftSimulation) {
        guard let client = clientBusy.values.first(where: { operations[$0].id == operation }) else { return }
        guard operations[client].node == nodeID, operations[client].returned == nil,
              operations[client].deadline > sim.now else { return }
        historyClock += 1
        operations[client].returned = historyClock
    }

    /// Answers the reads whose ReadIndex the node has now applied.
    func serveReads(_ node: SimNode, in sim: RaftSimulation) {
        guard let states = readStates[node.id], !states.isEmpty else { return }
        var waiting: [ReadState] = []
        for state in states {
            guard state.index <= node.appliedIndex else {
                waiting.append(state)
                continue
            }
            guard let id = KVStateMachine.words(state.context).first else { continue }
            guard let index = clientBusy.values.first(where: { operations[$0].id == id }),
                  operations[index].node == node.id, operations[index].returned == nil,
                  operations[index].deadline > sim.now else { continue }
            historyClock += 1
            operations[index].value = stores[node.id]?.values[operations[index].key] ?? 0
            operations[index].returned = historyClock
        }
        readStates[node.id] = waiting
    }
}
