import Foundation
import Testing
@testable import Core

/// Nodes of one cluster in one process over `MemoryPeerNetwork`: bootstrap and joining through
/// a seed, forwarding of writes, replication to every member, a new leader after the old one is
/// cut off, and no acknowledged write lost.
@Suite(.serialized) struct ClusterNodeTests {
    final class Member: Sendable {
        let address: String
        let node: ClusterNode
        let maintenance: Task<Void, Never>

        init(address: String, node: ClusterNode) {
            self.address = address
            self.node = node
            maintenance = Task { await node.runMaintenance() }
        }

        func stop() async {
            maintenance.cancel()
            await maintenance.value
        }
    }

    static func start(_ address: String, seed: String?, hub: MemoryPeerHub, io: SimulatedFileIO,
                      components: [String] = [], configure: (inout NodeOptions) -> Void = { _ in }) async throws -> Member {
        var options = NodeMaintenanceTests.options(configure)
        options.components = components
        options.advertisedAddress = address
        options.seedAddress = seed
        // Election timeouts of 200-400 ms: short, yet not shorter than a loaded test machine's
        // scheduling delays (5 ms ticks kept the group electing when every suite ran at once).
        options.tickInterval = .milliseconds(20)
        options.refreshInterval = .milliseconds(50)
        options.writeTimeout = .seconds(5)
        let node = try ClusterNode(root: "/\(address)", fileIO: io, registry: try builtinRegistry(), options: options)
        let network = MemoryPeerNetwork(hub: hub, address: address)
        hub.register(address, node)
        await node.attach(network: network)
        return Member(address: address, node: node)
    }

    /// Three members, all voters.
    static func cluster(hub: MemoryPeerHub, seed: UInt64, components: [[String]] = [[], [], []]) async throws -> [Member] {
        let io = SimulatedFileIO(seed: seed)
        let a = try await start("a:1", seed: nil, hub: hub, io: io, components: components[0])
        let b = try await start("b:1", seed: "a:1", hub: hub, io: io, components: components[1])
        let c = try await start("c:1", seed: "a:1", hub: hub, io: io, components: components[2])
        let members = [a, b, c]
        let formed = await NodeMaintenanceTests.eventually(60) {
            for member in members {
                guard member.node.isReady, await member.node.votersCount == 3 else { return false }
            }
            return true
        }
        #expect(formed, "three voters, each with a leader")
        return members
    }

    static func stored(_ member: Member, _ id: String) throws -> Bool {
        try member.node.stateMachine.index(named: "books")?.writer.storedDocument(id: id) != nil
    }

    @Test func nodesJoinThroughASeedAndEveryWriteReachesEveryMember() async throws {
        let hub = MemoryPeerHub()
        let members = try await Self.cluster(hub: hub, seed: 1)
        defer { Task { for m in members { await m.stop() } } }
        // Writes on any member: followers forward to the leader.
        var last: UInt64 = 0
        _ = try await members[1].node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
        for (i, member) in members.enumerated() {
            let ack = try await member.node.write(NodeStateMachineTests.put("books", (i * 10 + 1)...(i * 10 + 10)))
            last = max(last, ack.logIndex)
        }
        for member in members {
            #expect(await member.node.waitForApplied(last, timeout: .seconds(10)))
            for id in [1, 15, 30] { #expect(try Self.stored(member, "\(id)"), "\(member.address) has \(id)") }
        }
        // A linearizable read on a follower sees a write the leader just acknowledged.
        let leader = try #require(await Self.leader(of: members))
        for follower in members where follower !== leader {
            let ack = try await leader.node.write(NodeStateMachineTests.put("books", 100...100))
            let barrier = try await follower.node.readBarrier()
            #expect(barrier >= ack.logIndex)
            #expect(try Self.stored(follower, "100"))
        }
        // The same status everywhere: one leader, three partners' worth of keys on it.
        var leaders = Set<String>()
        for member in members {
            let status = Dictionary(uniqueKeysWithValues: await member.node.status(advertisedAddress: member.address).map { ($0.key, $0.value) })
            if case .string(let leader)? = status["leader"] { leaders.insert(leader) }
            #expect(status["partner_nodes_count"] == .number("2"))
            let links = status.filter { $0.key.hasPrefix("partner_node_status_server_") }
            #expect(links.count == 2 && links.allSatisfy { $0.value == .number("2") }, "\(member.address): \(links)")
        }
        #expect(leaders.count == 1)
    }

    @Test func aCutOffLeaderIsReplacedAndNoAcknowledgedWriteIsLost() async throws {
        let hub = MemoryPeerHub()
        let members = try await Self.cluster(hub: hub, seed: 2)
        defer { Task { for m in members { await m.stop() } } }
        _ = try await members[0].node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
        var acknowledged: [Int] = []
        for i in 1...20 {
            _ = try await members[i % 3].node.write(NodeStateMachineTests.put("books", i...i))
            acknowledged.append(i)
        }
        let oldLeader = try #require(await Self.leader(of: members))
        hub.isolate(oldLeader.address)
        let rest = members.filter { $0.address != oldLeader.address }
        let replaced = await NodeMaintenanceTests.eventually(10) {
            guard let leader = await Self.leader(of: rest) else { return false }
            return leader.address != oldLeader.address
        }
        #expect(replaced, "the others elect a new leader")
        // The survivors report the cut-off partner as not connected (0), each other as connected.
        for member in rest {
            let status = Dictionary(uniqueKeysWithValues: await member.node.status(advertisedAddress: member.address).map { ($0.key, $0.value) })
            #expect(status["partner_node_status_server_\(oldLeader.address)"] == .number("0"))
        }
        // Writes go on through the survivors; a write to the cut-off old leader does not succeed.
        for i in 21...30 {
            _ = try await rest[i % 2].node.write(NodeStateMachineTests.put("books", i...i))
            acknowledged.append(i)
        }
        await #expect(throws: NodeError.self) {
            _ = try await oldLeader.node.write(NodeStateMachineTests.put("books", 999...999))
        }
        // Healed, the old leader catches up; every acknowledged write is on every member.
        hub.heal(oldLeader.address)
        let converged = await NodeMaintenanceTests.eventually(10) {
            for member in members { guard (try? acknowledged.allSatisfy { try Self.stored(member, "\($0)") }) == true else { return false } }
            return true
        }
        #expect(converged)
        for member in members { #expect(try !Self.stored(member, "999"), "an unacknowledged write never shows up") }
    }

    /// Each member's registry travels with its membership change, so any leader can tell which
    /// member could not load a config; what an index config uses is recorded as it loads.
    @Test func theMembersRegistriesAreKnownAndAConfigsNeedsAreRecorded() async throws {
        let hub = MemoryPeerHub()
        let standard = ["analyzer:standard", "tokenizer:regex"]
        let members = try await Self.cluster(hub: hub, seed: 3, components: [standard + ["analyzer:reverse"], standard, standard])
        defer { Task { for m in members { await m.stop() } } }
        for member in members {
            let lacking = await member.node.membersLacking(["analyzer:reverse"])
            #expect(Set(lacking.map(\.address)) == ["b:1", "c:1"], "as seen from \(member.address)")
            #expect(lacking.allSatisfy { $0.missing == ["analyzer:reverse"] })
            #expect(await member.node.membersLacking(["analyzer:standard"]).isEmpty)
        }
        let (config, uses) = try RegistryUsage.recording {
            try IndexConfigLoader(registry: try builtinRegistry()).load(text: """
                schema:
                  id: {field_type: id, args: {unique: true, stored: true}}
                  body: {field_type: text, args: {analyzer: whoosh.analysis.StemmingAnalyzer}}
                """)
        }
        #expect(config.fields.count == 2)
        #expect(uses.contains("analyzer:stemming"), "recorded under the canonical name: \(uses)")
    }

    /// A leader that removes itself steps down; the others elect a leader among themselves and
    /// go on taking writes.
    @Test func aLeaderThatLeavesIsReplaced() async throws {
        let hub = MemoryPeerHub()
        let members = try await Self.cluster(hub: hub, seed: 4)
        defer { Task { for m in members { await m.stop() } } }
        _ = try await members[0].node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
        let leader = try #require(await Self.leader(of: members))
        _ = try await leader.node.handle(method: PeerMethod.leave, body: Array(leader.address.utf8), from: "test")
        let rest = members.filter { $0 !== leader }
        let replaced = await NodeMaintenanceTests.eventually(10) {
            guard let next = await Self.leader(of: rest) else { return false }
            return await next.node.votersCount == 2
        }
        #expect(replaced, "a leader among the two that stay")
        let ack = try await rest[0].node.write(NodeStateMachineTests.put("books", 1...1))
        #expect(await rest[1].node.waitForApplied(ack.logIndex, timeout: .seconds(10)))
        #expect(!(await leader.node.isLeader), "the removed node no longer leads")
    }

    static func leader(of members: [Member]) async -> Member? {
        for member in members where await member.node.isLeader { return member }
        return nil
    }
}

/// What readiness says of a cluster member, from what Raft knows.
@Suite struct ClusterReadinessTests {
    @Test func aMemberIsReadyWithALeaderAndCaughtUp() {
        #expect(ClusterNode.clusterReadiness(joining: false, leader: 7, isLeader: false, commit: 1500, applied: 1200, maxLag: 1000) == nil)
        #expect(ClusterNode.clusterReadiness(joining: false, leader: 7, isLeader: true, commit: 9000, applied: 10, maxLag: 1000) == nil,
                "a leader's own commit index runs ahead of its apply only transiently; it serves")
    }

    @Test func itSaysWhyItIsNot() {
        #expect(ClusterNode.clusterReadiness(joining: true, leader: 7, isLeader: false, commit: 0, applied: 0, maxLag: 1000)
                == "waiting to be added to the cluster")
        #expect(ClusterNode.clusterReadiness(joining: false, leader: 0, isLeader: false, commit: 5, applied: 5, maxLag: 1000) == "no leader")
        #expect(ClusterNode.clusterReadiness(joining: false, leader: 7, isLeader: false, commit: 5001, applied: 4000, maxLag: 1000)
                == "catching up: applied 4000 of 5001 committed entries")
    }
}
