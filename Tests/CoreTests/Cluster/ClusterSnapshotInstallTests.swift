import Testing
@testable import Core

/// InstallSnapshot end to end in one process: a member behind its leader's compacted log, and a
/// node joining a cluster whose log was compacted, each stream the indices from a member and
/// then follow the log.
@Suite(.serialized) struct ClusterSnapshotInstallTests {
    typealias Member = ClusterNodeTests.Member

    static func compacting(_ options: inout NodeOptions) {
        options.logCompactionMinEntries = 1
        options.logCompactionMinTime = .zero
        options.compactionMemberGrace = .zero
    }

    /// Three voters that compact their logs as soon as they can.
    static func cluster(hub: MemoryPeerHub, io: SimulatedFileIO) async throws -> [Member] {
        var members: [Member] = []
        members.append(try await ClusterNodeTests.start("a:1", seed: nil, hub: hub, io: io, configure: Self.compacting))
        for address in ["b:1", "c:1"] {
            members.append(try await ClusterNodeTests.start(address, seed: "a:1", hub: hub, io: io, configure: Self.compacting))
        }
        let all = members
        let formed = await NodeMaintenanceTests.eventually(60) {
            for member in all where await member.node.votersCount != 3 || !member.node.isReady { return false }
            return true
        }
        try #require(formed, "three voters")
        return members
    }

    /// Cuts `member` off, writes `batches` puts of ten documents (ids from 11) through the
    /// leader, commits, and compacts the leader's log past what `member` holds.
    static func leaveBehind(_ member: Member, leader: Member, hub: MemoryPeerHub, batches: Int) async throws -> UInt64 {
        hub.isolate(member.address)
        for i in 1...batches { _ = try await leader.node.write(NodeStateMachineTests.put("books", (i * 10 + 1)...(i * 10 + 10))) }
        try await leader.node.commit()
        return try #require(await leader.node.compactLogIfDue(), "the leader compacts past the cut-off member")
    }

    func storedAll(_ member: Member, _ ids: ClosedRange<Int>) throws -> Bool {
        try ids.allSatisfy { try ClusterNodeTests.stored(member, "\($0)") }
    }

    @Test func aMemberBehindTheCompactedLogAndANewMemberInstallSnapshots() async throws {
        let hub = MemoryPeerHub()
        let io = SimulatedFileIO(seed: 11)
        var members = try await Self.cluster(hub: hub, io: io)
        let founders = members
        defer { Task { for m in founders { await m.stop() } } }
        _ = try await members[0].node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
        _ = try await members[0].node.write(NodeStateMachineTests.put("books", 1...10))
        let leader = try #require(await ClusterNodeTests.leader(of: members))
        let behind = try #require(members.first { $0 !== leader })

        // Cut off, it misses writes that the leader then compacts out of its log.
        let compactedTo = try await Self.leaveBehind(behind, leader: leader, hub: hub, batches: 10)
        #expect(await behind.node.appliedIndex < compactedTo)
        #expect(try !storedAll(behind, 1...110))

        hub.heal(behind.address)
        let caughtUp = try await NodeMaintenanceTests.eventually(30) { try self.storedAll(behind, 1...110) }
        #expect(caughtUp, "the member that was behind has every document after installing")
        // (The swap's last steps finish on the node's actor a moment after the documents show.)
        let installed = await NodeMaintenanceTests.eventually(10) { await behind.node.installCount >= 1 }
        #expect(installed)
        let ready = await NodeMaintenanceTests.eventually(10) { behind.node.isReady }
        #expect(ready, "and is ready again")
        // It follows the log from there.
        let ack = try await leader.node.write(NodeStateMachineTests.put("books", 111...111))
        #expect(await behind.node.waitForApplied(ack.logIndex, timeout: .seconds(10)))
        #expect(try ClusterNodeTests.stored(behind, "111"))

        // A node joining now cannot replay the log from its start: it installs too, as a
        // learner, and is promoted once caught up.
        try await leader.node.commit()
        _ = await leader.node.compactLogIfDue()
        let joiner = try await ClusterNodeTests.start("d:1", seed: "a:1", hub: hub, io: io)
        defer { Task { await joiner.stop() } }
        members.append(joiner)
        let joined = try await NodeMaintenanceTests.eventually(30) {
            let voters = await leader.node.votersCount
            return try self.storedAll(joiner, 1...111) && voters == 4
        }
        #expect(joined, "the new node has every document and votes")
        let joinerInstalled = await NodeMaintenanceTests.eventually(10) { await joiner.node.installCount >= 1 }
        #expect(joinerInstalled)
        // Every member serves the same documents.
        for member in members {
            #expect(try storedAll(member, 1...111), "\(member.address)")
        }
    }
}

extension ClusterSnapshotInstallTests {
    /// A member that stopped right after it learned it must install a snapshot (the marker is
    /// written, its indices are old) applies nothing from its log when it reopens: it says it
    /// is installing, fetches once it reaches a member, and then has every document.
    @Test func aMemberThatStoppedBeforeInstallingFinishesWhenItReopens() async throws {
        let hub = MemoryPeerHub()
        let io = SimulatedFileIO(seed: 12)
        let members = try await Self.cluster(hub: hub, io: io)
        let founders = members
        defer { Task { for m in founders { await m.stop() } } }
        _ = try await members[0].node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
        _ = try await members[0].node.write(NodeStateMachineTests.put("books", 1...10))
        let leader = try #require(await ClusterNodeTests.leader(of: members))
        let behind = try #require(members.first { $0 !== leader })
        let compactedTo = try await Self.leaveBehind(behind, leader: leader, hub: hub, batches: 5)

        await behind.stop()
        try await behind.node.close()
        let nodeDirectory = IndexDirectory(fileIO: io, path: "/\(behind.address)/_node")
        try ClusterNode.writeInstallMarker(compactedTo, in: nodeDirectory)
        let reopened = try await ClusterNodeTests.start(behind.address, seed: "a:1", hub: hub, io: io, configure: Self.compacting)
        defer { Task { await reopened.stop() } }
        #expect(await reopened.node.notReadyReason?.contains("installing a snapshot") == true)
        #expect(!reopened.node.isReady)
        #expect(try !storedAll(reopened, 1...60))

        hub.heal(behind.address)
        let caughtUp = try await NodeMaintenanceTests.eventually(30) { try self.storedAll(reopened, 1...60) }
        #expect(caughtUp)
        let installed = await NodeMaintenanceTests.eventually(10) {
            await reopened.node.installCount >= 1 && !nodeDirectory.exists(ClusterNode.installMarker)
        }
        #expect(installed, "installed, and the marker is gone")
        #expect(await reopened.node.installCount == 1, "one transfer: the snapshot Raft sends next is already held")
        let ready = await NodeMaintenanceTests.eventually(10) { reopened.node.isReady }
        #expect(ready)
    }
}

extension ClusterSnapshotInstallTests {
    /// Members added and removed while a member was away are known to it only through the
    /// snapshot it installs (the membership changes were compacted): afterwards it has the new
    /// member's address and has forgotten the removed one's. A transfer is refused to a node of
    /// another cluster.
    @Test func aSnapshotCarriesTheMembershipTheCompactedLogHeld() async throws {
        let hub = MemoryPeerHub()
        let io = SimulatedFileIO(seed: 13)
        let members = try await Self.cluster(hub: hub, io: io)
        let founders = members
        defer { Task { for m in founders { await m.stop() } } }
        _ = try await members[0].node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
        let leader = try #require(await ClusterNodeTests.leader(of: members))
        let away = try #require(members.first { $0 !== leader })
        let removed = try #require(members.first { $0 !== leader && $0 !== away })
        hub.isolate(away.address)

        // While it is away: d joins, the other follower is removed, writes go on.
        let joiner = try await ClusterNodeTests.start("d:1", seed: leader.address, hub: hub, io: io, configure: Self.compacting)
        defer { Task { await joiner.stop() } }
        let joined = await NodeMaintenanceTests.eventually(30) { await leader.node.votersCount == 4 }
        try #require(joined, "d joined")
        _ = try await leader.node.handle(method: PeerMethod.leave, body: Array(removed.address.utf8), from: "admin")
        for i in 1...3 { _ = try await leader.node.write(NodeStateMachineTests.put("books", (i * 10)...(i * 10 + 5))) }
        try await leader.node.commit()
        let compactedTo = try #require(await leader.node.compactLogIfDue())
        #expect(await away.node.appliedIndex < compactedTo)

        hub.heal(away.address)
        let caughtUp = try await NodeMaintenanceTests.eventually(30) { try self.storedAll(away, 30...35) }
        #expect(caughtUp)
        let book = await away.node.peers
        #expect(book.id(of: "d:1") != nil, "the member added while it was away: \(book.addresses)")
        #expect(book.id(of: removed.address) == nil, "the member removed while it was away: \(book.addresses)")

        // A node of another cluster is not sent this cluster's indices.
        var request = ByteWriter()
        request.u64(1)
        request.u64(0xBAD)
        do {
            _ = try await leader.node.handle(method: PeerMethod.transferBegin, body: request.output, from: "stranger")
            Issue.record("a transfer was begun for another cluster")
        } catch let error as PeerCallError {
            #expect(error.code == "wrong_cluster", "\(error)")
        }
    }
}
