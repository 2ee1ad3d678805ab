import Core

/// The clients: each runs one operation at a time against a random node, and the history of
/// invocations and answers feeds the linearizability checker.
extension RaftSimulation {
    func runClients() {
        for client in 0..<options.clients {
            if let index = clientBusy[client] {
                if operations[index].returned != nil {
                    clientBusy[client] = nil
                    clientIdleUntil[client] = now + random(20)
                } else if operations[index].deadline <= now {
                    // Given up: a write's outcome is unknown (it may still apply), a read had no effect.
                    clientBusy[client] = nil
                    clientIdleUntil[client] = now + random(20)
                }
                continue
            }
            guard now < options.duration, now >= clientIdleUntil[client] ?? 0 else { continue }
            startOperation(client)
        }
    }

    private func startOperation(_ client: Int) {
        let up = nodes.keys.sorted().filter { nodes[$0]?.raft != nil && nodes[$0]?.removed == false }
        guard !up.isEmpty, let node = nodes[up[random(up.count)]], let raft = node.raft else { return }
        let id = nextOperationID
        nextOperationID += 1
        let key = UInt64(random(options.keys))
        let isWrite = chance(55)
        historyClock += 1
        var op = ClientOperation(id: id, client: client, key: key, isWrite: isWrite, value: isWrite ? id : 0,
                                 node: node.id, called: historyClock, returned: nil,
                                 deadline: now + options.operationTimeout)
        if isWrite {
            do {
                try raft.propose(KVStateMachine.encode(KVStateMachine.Write(operation: id, key: key, value: id)))
            } catch {
                // Refused before reaching any log: it never happened, so it is not in the history.
                clientIdleUntil[client] = now + 10 + random(20)
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
    func acknowledgeWrite(_ operation: UInt64, at nodeID: NodeID) {
        guard let client = clientBusy.values.first(where: { operations[$0].id == operation }) else { return }
        guard operations[client].node == nodeID, operations[client].returned == nil,
              operations[client].deadline > now else { return }
        historyClock += 1
        operations[client].returned = historyClock
    }

    /// Answers the reads whose ReadIndex the node has now applied.
    func serveReads(_ node: SimNode) {
        guard !node.readStates.isEmpty else { return }
        var waiting: [ReadState] = []
        for state in node.readStates {
            guard state.index <= node.appliedIndex else {
                waiting.append(state)
                continue
            }
            guard let id = KVStateMachine.words(state.context).first else { continue }
            guard let index = clientBusy.values.first(where: { operations[$0].id == id }),
                  operations[index].node == node.id, operations[index].returned == nil,
                  operations[index].deadline > now else { continue }
            historyClock += 1
            operations[index].value = node.kv.values[operations[index].key] ?? 0
            operations[index].returned = historyClock
        }
        node.readStates = waiting
    }
}
