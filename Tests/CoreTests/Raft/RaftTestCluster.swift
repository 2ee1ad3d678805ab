@testable import Core

/// A synchronous in-memory group for scenario tests (etcd's `network` in raft_test.go): each
/// node's `Ready` is persisted to its `MemoryRaftStorage` and its messages delivered in order,
/// through links a test can cut.
final class RaftTestCluster {
    var nodes: [NodeID: RaftNode] = [:]
    var storages: [NodeID: MemoryRaftStorage] = [:]
    var applied: [NodeID: [Entry]] = [:]
    var readStates: [NodeID: [ReadState]] = [:]
    /// Every message delivered or dropped, for assertions.
    var sent: [Message] = []
    var cut: Set<[NodeID]> = []
    /// Drops a message when it returns true.
    var dropIf: ((Message) -> Bool)?
    let configure: (inout RaftConfig) -> Void

    /// - Parameter bootstrapInLog: start from the founding conf-change entries in the log (as a
    ///   real group does, so a node that joins later learns the founders from the log) instead of
    ///   from the membership of an initial snapshot.
    init(voters: [NodeID], learners: [NodeID] = [], bootstrapInLog: Bool = false,
         configure: @escaping (inout RaftConfig) -> Void = { _ in }) {
        self.configure = configure
        for id in voters + learners {
            if bootstrapInLog {
                let storage = MemoryRaftStorage()
                storage.append(RaftBootstrap.entries(voters: voters))
                storage.hardState = RaftBootstrap.hardState(voters: voters)
                addNode(id, storage: storage)
            } else {
                addNode(id, confState: ConfState(voters: voters, learners: learners))
            }
        }
    }

    /// Persists a Ready that a test took by hand (without delivering its messages), then
    /// advances.
    func persistAndAdvance(_ id: NodeID, _ ready: Ready) {
        if let hs = ready.hardState { storages[id]?.hardState = hs }
        storages[id]?.append(ready.entries)
        nodes[id]?.advance(ready)
    }

    /// Adds a node with its own storage; `confState` empty for a node that joins later.
    @discardableResult
    func addNode(_ id: NodeID, confState: ConfState = ConfState(), storage: MemoryRaftStorage? = nil) -> RaftNode {
        let storage = storage ?? MemoryRaftStorage(confState: confState)
        var config = RaftConfig(id: id, randomSeed: id &* 7919)
        configure(&config)
        guard let node = try? RaftNode(config: config, storage: storage) else { fatalError("memory storage cannot fail") }
        nodes[id] = node
        storages[id] = storage
        return node
    }

    subscript(_ id: NodeID) -> RaftNode { nodes[id]! }

    /// Handles one node's Ready: persist, collect messages, apply, advance.
    func handleReady(_ id: NodeID) -> [Message] {
        guard let node = nodes[id], node.hasReady, let storage = storages[id] else { return [] }
        let ready = node.ready()
        if let snapshot = ready.snapshot { storage.applySnapshot(snapshot) }
        if let hs = ready.hardState { storage.hardState = hs }
        storage.append(ready.entries)
        applied[id, default: []] += ready.committedEntries
        readStates[id, default: []] += ready.readStates
        node.advance(ready)
        return ready.messages
    }

    func isDeliverable(_ m: Message) -> Bool {
        !cut.contains([m.from, m.to]) && !(dropIf?(m) ?? false) && nodes[m.to] != nil
    }

    /// Delivers messages until no node has anything left to do.
    func stabilize(maxRounds: Int = 1000) {
        for _ in 0..<maxRounds {
            var messages: [Message] = []
            for id in nodes.keys.sorted() { messages += handleReady(id) }
            if messages.isEmpty && !nodes.values.contains(where: \.hasReady) { return }
            for m in messages {
                sent.append(m)
                if isDeliverable(m) { nodes[m.to]?.step(m) }
            }
        }
    }

    func campaign(_ id: NodeID) {
        nodes[id]?.step(Message(type: .hup, from: id))
        stabilize()
    }

    func tick(_ id: NodeID, _ times: Int) {
        for _ in 0..<times {
            nodes[id]?.tick()
            stabilize()
        }
    }

    func tickAll(_ times: Int) {
        for _ in 0..<times {
            for id in nodes.keys.sorted() { nodes[id]?.tick() }
            stabilize()
        }
    }

    func isolate(_ id: NodeID) {
        for other in nodes.keys where other != id {
            cut.insert([id, other])
            cut.insert([other, id])
        }
    }

    func heal() { cut = [] }

    func propose(_ id: NodeID, _ text: String) throws {
        try nodes[id]?.propose(Array(text.utf8))
        stabilize()
    }

    /// The application payloads applied on `id`, as strings (no-ops and conf changes skipped).
    func appliedData(_ id: NodeID) -> [String] {
        (applied[id] ?? []).filter { $0.type == .normal && !$0.data.isEmpty }.map { String(decoding: $0.data, as: UTF8.self) }
    }

    var leaders: [NodeID] { nodes.keys.sorted().filter { nodes[$0]?.role == .leader } }
}
