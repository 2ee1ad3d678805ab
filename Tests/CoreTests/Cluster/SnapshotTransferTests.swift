import Testing
@testable import Core

/// InstallSnapshot's state-machine half: a node's pinned state streamed into another node's
/// staging, checked, and swapped in, whatever crashes in between.
@Suite struct SnapshotTransferTests {
    static let schema = NodeStateMachineTests.schema

    func open(_ io: SimulatedFileIO, _ root: String) throws -> NodeStateMachine {
        try NodeStateMachine(root: root, fileIO: io, registry: try builtinRegistry(), options: NodeStateMachineTests.options())
    }

    /// The leader's log: two indices (one created and deleted on the way), puts, deletes.
    static let leaderLog: [NodeCommand] = [
        .createIndex(name: "books", indexID: "b-1", config: schema),
        NodeStateMachineTests.put("books", 1...40),
        .createIndex(name: "tmp", indexID: "t-1", config: schema),
        NodeStateMachineTests.put("books", 30...60, text: "updated"),
        .deleteIndex(name: "tmp"),
        .createIndex(name: "films", indexID: "f-1", config: schema),
        NodeStateMachineTests.put("films", 1...7),
        .deleteDocuments(index: "books", ids: ["3", "4"]),
    ]

    /// A leader at the end of `leaderLog`, committed; a follower with an older, different
    /// state (an index the leader deleted long ago, and a stale copy of "books").
    func leaderAndFollower() throws -> (leader: NodeStateMachine, follower: NodeStateMachine, io: SimulatedFileIO) {
        let leader = try open(SimulatedFileIO(seed: 1), "/a")
        for (i, command) in Self.leaderLog.enumerated() { _ = try leader.apply(command, at: UInt64(i + 1)) }
        try leader.commitAll()
        let io = SimulatedFileIO(seed: 2)
        let follower = try open(io, "/b")
        _ = try follower.apply(.createIndex(name: "books", indexID: "b-1", config: Self.schema), at: 1)
        _ = try follower.apply(NodeStateMachineTests.put("books", 1...5, text: "old"), at: 2)
        _ = try follower.apply(.createIndex(name: "stale", indexID: "s-0", config: Self.schema), at: 3)
        try follower.commitAll()
        return (leader, follower, io)
    }

    /// Streams `source` into a new staging in pieces of `chunk` bytes; `damage` may alter a piece.
    func stream(_ source: SnapshotTransferSource, to root: String, _ io: SimulatedFileIO, chunk: Int = 7,
                damage: (Int, inout [UInt8]) -> Void = { _, _ in }) throws -> SnapshotStaging {
        let staging = try SnapshotStaging(root: root, fileIO: io, manifest: source.manifest)
        var piece = 0
        while let (file, offset) = staging.next {
            var bytes = try source.read(fileAt: file, offset: offset, length: chunk)
            damage(piece, &bytes)
            piece += 1
            try staging.append(fileAt: file, offset: offset, bytes)
        }
        try staging.finish()
        return staging
    }

    func documents(_ machine: NodeStateMachine) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for name in machine.indexNames {
            let writer = try #require(machine.index(named: name)).writer
            try writer.refresh()
            var texts: [String] = []
            for id in 1...60 {
                if let stored = try writer.storedDocument(id: "\(id)") { texts.append("\(id):\(stored)") }
            }
            result[name] = texts
        }
        return result
    }

    @Test func aStreamedSnapshotReplacesTheFollowersIndicesWithTheLeaders() throws {
        let (leader, follower, io) = try leaderAndFollower()
        let source = try leader.pinForTransfer()
        defer { source.release() }
        #expect(source.manifest.logIndex == UInt64(Self.leaderLog.count))
        #expect(Set(source.manifest.indexIDs) == ["b-1", "f-1"])
        let staging = try stream(source, to: "/b", io)
        try follower.install(staging)

        #expect(follower.indexNames == ["books", "films"])
        #expect(try documents(follower) == documents(leader))
        #expect(follower.durableIndex == source.manifest.logIndex)
        #expect(!io.exists("/b/s-0"), "the index the leader does not have is gone")
        #expect(!io.exists(SnapshotStaging.path(root: "/b")), "the staging is removed")
        // Replay after the snapshot skips what it holds and applies what comes after.
        for (i, command) in Self.leaderLog.enumerated() {
            #expect(try follower.apply(command, at: UInt64(i + 1)) == .alreadyApplied)
        }
        #expect(try follower.apply(NodeStateMachineTests.put("films", 8...9), at: UInt64(Self.leaderLog.count + 1)) == .applied)
        // And the installed state is what reopens after a power loss.
        try follower.commitAll()
        follower.close()
        io.powerLoss()
        let reopened = try open(io, "/b")
        #expect(reopened.indexNames == ["books", "films"])
        #expect(try documents(reopened)["books"] == documents(leader)["books"])
    }

    @Test func aDamagedByteIsCaughtBeforeAnythingIsSwappedIn() throws {
        let (leader, follower, io) = try leaderAndFollower()
        let source = try leader.pinForTransfer()
        defer { source.release() }
        let before = try documents(follower)
        #expect(throws: StoreError.self) {
            _ = try stream(source, to: "/b", io, chunk: 64) { piece, bytes in
                if piece == 5, !bytes.isEmpty { bytes[bytes.count / 2] ^= 0x10 }
            }
        }
        #expect(follower.indexNames == ["books", "stale"])
        #expect(try documents(follower) == before)
        // Bytes out of order are refused too, not written at the wrong place.
        let staging = try SnapshotStaging(root: "/b", fileIO: io, manifest: source.manifest)
        #expect(throws: StoreError.self) { try staging.append(fileAt: 0, offset: 3, [1, 2, 3]) }
        #expect(throws: StoreError.self) { try staging.append(fileAt: 1, offset: 0, [1]) }
        // A staging that never finished is dropped when the node opens.
        follower.close()
        io.powerLoss()
        let reopened = try open(io, "/b")
        #expect(reopened.indexNames == ["books", "stale"])
        #expect(!io.exists(SnapshotStaging.path(root: "/b")))
    }

    @Test func aPowerLossAtAnyStepOfTheSwapStillEndsWithTheSnapshot() throws {
        let expected = try documents(try leaderAndFollower().leader)
        var step = 0
        var crashed = 0
        while true {
            let (leader, follower, io) = try leaderAndFollower()
            let source = try leader.pinForTransfer()
            defer { source.release() }
            let staging = try stream(source, to: "/b", io)
            io.failAfter(step)
            do {
                try follower.install(staging)
            } catch {
                crashed += 1
                follower.close()
                io.powerLoss()
                // The staging was complete: opening finishes the swap.
                let reopened = try open(io, "/b")
                #expect(reopened.indexNames == ["books", "films"], "power loss at step \(step)")
                #expect(try documents(reopened) == expected, "power loss at step \(step)")
                #expect(!io.exists(SnapshotStaging.path(root: "/b")))
                reopened.close()
                step += 1
                continue
            }
            io.failAfter(nil)
            break
        }
        #expect(crashed > 10, "the swap has that many steps to crash in (\(crashed))")
    }

    @Test func aTransferSourceRefusesRangesOutsideItsFiles() throws {
        let (leader, _, _) = try leaderAndFollower()
        let source = try leader.pinForTransfer()
        defer { source.release() }
        #expect(throws: StoreError.self) { try source.read(fileAt: source.manifest.files.count, offset: 0, length: 1) }
        #expect(throws: StoreError.self) { try source.read(fileAt: 0, offset: source.manifest.files[0].size + 1, length: 1) }
        #expect(try source.read(fileAt: 0, offset: source.manifest.files[0].size, length: 10).isEmpty)
        // The manifest survives its encoding, and a manifest naming a path outside the node
        // directory is refused.
        #expect(try SnapshotTransferManifest.decode(source.manifest.encoded()) == source.manifest)
        var hostile = source.manifest
        hostile.files.append(.init(path: "../etc/passwd", size: 1, checksum: 0))
        #expect(throws: StoreError.self) { try SnapshotTransferManifest.decode(hostile.encoded()) }
    }
}
