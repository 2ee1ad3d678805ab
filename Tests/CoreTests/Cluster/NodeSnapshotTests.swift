import Foundation
import Testing
@testable import Core

/// The backup zip (`PUT /snapshot`) and `--restore`: what the zip holds, that a restored node
/// answers searches exactly as the original did, that it is a new cluster whose writes survive
/// power loss, and that a hostile or misplaced restore is refused.
@Suite struct NodeSnapshotTests {
    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cockatrice-snapshot-\(UInt32.random(in: 0...UInt32.max))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func open(_ io: SimulatedFileIO, root: String) throws -> ClusterNode {
        try ClusterNode(root: root, fileIO: io, registry: try builtinRegistry(), options: NodeMaintenanceTests.options())
    }

    /// Every hit of `query` over `index`: stored fields and score, in rank order.
    static func search(_ node: ClusterNode, _ index: String, _ query: Query) throws -> [[String]] {
        let open = try #require(node.stateMachine.index(named: index))
        let result = try Searcher(snapshot: open.writer.snapshot(), config: open.config).search(SearchRequest(query: query, pageLen: 1000))
        return result.hits.map { hit in hit.fields.map { "\($0.name)=\(String(decoding: $0.value, as: UTF8.self))" } + ["\(hit.score)"] }
    }

    /// A node with two indices, several segments, deletions and updates, and some writes that
    /// were applied but neither refreshed nor committed.
    static func populatedNode(_ io: SimulatedFileIO) async throws -> ClusterNode {
        let node = try open(io, root: "/data")
        _ = try await node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
        _ = try await node.write(.createIndex(name: "films", indexID: "f1", config: NodeStateMachineTests.schema))
        for batch in 0..<3 {
            let ack = try await node.write(NodeStateMachineTests.put("books", (batch * 10 + 1)...(batch * 10 + 10), text: "hello world"))
            try await node.waitUntilSearchable(ack.logIndex)
        }
        _ = try await node.write(.deleteDocuments(index: "books", ids: ["3", "14"]))
        _ = try await node.write(NodeStateMachineTests.put("books", 5...6, text: "hello again"))
        _ = try await node.write(NodeStateMachineTests.put("films", 1...4, text: "world"))
        return node
    }

    static let queries: [Query] = [.term(field: "body", text: "hello"), .term(field: "body", text: "world"), .term(field: "body", text: "again")]

    @Test func theZipHoldsTheCatalogAndEveryCommittedFileStored() async throws {
        let io = SimulatedFileIO(seed: 1)
        let node = try await Self.populatedNode(io)
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let info = try await node.writeSnapshot(to: dir + "/backups/snapshot.zip")
        #expect(info.logIndex == (await node.appliedIndex))
        #expect(info.indices == 2)
        let entries = try NodeBackup.listEntries(info.path)
        #expect(entries.count == info.files)
        #expect(info.bytes == (try FileManager.default.attributesOfItem(atPath: info.path)[.size] as? Int))
        let names = Set(entries.map(\.name))
        #expect(names.contains("_node/catalog"))
        for (name, id) in [("books", "b1"), ("films", "f1")] {
            let commit = try #require(node.stateMachine.index(named: name)).writer.lastCommit
            #expect(commit.lastAppliedLogIndex == info.logIndex, "the backup committed every applied write first")
            for file in commit.files { #expect(names.contains("\(id)/\(file)")) }
            #expect(entries.filter { $0.name.hasPrefix(id + "/") }.count == commit.files.count)
        }
        #expect(entries.allSatisfy { $0.stored }, "segments are stored, not recompressed")
        #expect(!FileManager.default.fileExists(atPath: info.path + ".tmp"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/backups") == ["snapshot.zip"])
    }

    @Test func aRestoredNodeAnswersAsTheOriginalAndItsNewWritesSurvivePowerLoss() async throws {
        let io = SimulatedFileIO(seed: 2)
        let node = try await Self.populatedNode(io)
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let info = try await node.writeSnapshot(to: dir + "/snapshot.zip")
        for name in ["books", "films"] { try #require(node.stateMachine.index(named: name)).writer.refresh() }
        var original: [String: [[String]]] = [:]
        for name in ["books", "films"] {
            for (i, query) in Self.queries.enumerated() { original["\(name) \(i)"] = try Self.search(node, name, query) }
        }
        #expect(original["books 0"]?.count == 28)
        // Writes after the backup are not in it.
        _ = try await node.write(NodeStateMachineTests.put("books", 100...100, text: "later"))
        let restoredIO = SimulatedFileIO(seed: 3)
        try ClusterNode.restore(from: info.path, into: "/restored", fileIO: restoredIO)
        restoredIO.powerLoss()  // the restore is durable when it returns
        let restored = try Self.open(restoredIO, root: "/restored")
        #expect(restored.identity.nodeID != node.identity.nodeID)
        #expect(restored.identity.clusterID != node.identity.clusterID, "a restore starts a new cluster")
        #expect(restored.stateMachine.indexNames == ["books", "films"])
        for name in ["books", "films"] {
            for (i, query) in Self.queries.enumerated() { #expect(try Self.search(restored, name, query) == original["\(name) \(i)"]) }
        }
        #expect(try Self.search(restored, "books", .term(field: "body", text: "later")).isEmpty)
        #expect(await restored.appliedIndex > info.logIndex, "the new log starts after every index the backup records")

        // New writes go past the old cluster's log indices and are replayed after power loss,
        // with and without a commit in between.
        let put = try await restored.write(NodeStateMachineTests.put("books", 200...201, text: "fresh"))
        #expect(put.outcome == .applied && put.logIndex > info.logIndex)
        try await restored.commit()
        _ = try await restored.write(.deleteDocuments(index: "books", ids: ["1"]))
        _ = try await restored.write(NodeStateMachineTests.put("films", 9...9, text: "fresh"))
        restoredIO.powerLoss()
        let reopened = try Self.open(restoredIO, root: "/restored")
        #expect(try Self.search(reopened, "books", .term(field: "body", text: "fresh")).count == 2)
        #expect(try Self.search(reopened, "films", .term(field: "body", text: "fresh")).count == 1)
        let books = try #require(reopened.stateMachine.index(named: "books")).writer
        #expect(try books.storedDocument(id: "1") == nil)
        #expect(books.snapshot().numDocs == 28 - 1 + 2)
    }

    @Test func anEmptyNodeBacksUpAndRestores() async throws {
        let node = try Self.open(SimulatedFileIO(seed: 4), root: "/data")
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let info = try await node.writeSnapshot(to: dir + "/empty.zip")
        #expect(info.indices == 0 && info.files == 1)
        let io = SimulatedFileIO(seed: 5)
        try ClusterNode.restore(from: info.path, into: "/r", fileIO: io)
        let restored = try Self.open(io, root: "/r")
        let ack = try await restored.write(.createIndex(name: "books", indexID: "b2", config: NodeStateMachineTests.schema))
        #expect(ack.outcome == .applied)
    }

    @Test(arguments: ["../evil", "/etc/evil", "b1/../../evil", "b1/sub/file", "_node/identity", "b1\\..\\evil", "b1/", "./b1", "b1/.."])
    func zipSlipEntryNamesAreRefusedBeforeAnythingIsWritten(name: String) throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let zip = dir + "/hostile.zip"
        _ = try NodeBackup.writeZip([
            .init(name: "_node/catalog", file: ReadOnlyFile(path: "catalog", copying: IndexCatalog().fileImage())),
            .init(name: name, file: ReadOnlyFile(path: "evil", copying: Array("pwned".utf8))),
        ], to: zip)
        #expect(NodeBackup.isSafeEntryName(name) == false)
        let io = SimulatedFileIO(seed: 6)
        #expect(throws: NodeRestoreError.self) { try ClusterNode.restore(from: zip, into: "/node/index", fileIO: io) }
        #expect(!io.exists("/node/index"), "nothing is written when any entry name is refused")
        #expect(!io.exists("/node/evil") && !io.exists("/evil") && !io.exists("/etc/evil"))
    }

    @Test func aRestoreIntoANonEmptyDirectoryIsRefused() async throws {
        let io = SimulatedFileIO(seed: 7)
        let node = try await Self.populatedNode(io)
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let info = try await node.writeSnapshot(to: dir + "/snapshot.zip")
        // Over the live node's own directory: refused, and the node's files are untouched.
        let catalog = io.contents("/data/_node/catalog")
        #expect(throws: NodeRestoreError.self) { try ClusterNode.restore(from: info.path, into: "/data", fileIO: io) }
        #expect(io.contents("/data/_node/catalog") == catalog)
        // An empty existing directory is fine.
        try io.createDirectory("/empty")
        try ClusterNode.restore(from: info.path, into: "/empty", fileIO: io)
        #expect(try Self.open(io, root: "/empty").stateMachine.indexNames == ["books", "films"])
    }

    @Test func aDamagedOrForeignZipIsRefusedAndAHalfRestoreDoesNotOpen() async throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("not a zip".utf8).write(to: URL(fileURLWithPath: dir + "/junk.zip"))
        #expect(throws: NodeRestoreError.self) { try ClusterNode.restore(from: dir + "/junk.zip", into: "/a", fileIO: SimulatedFileIO(seed: 8)) }
        // A zip without a catalog is not a backup.
        _ = try NodeBackup.writeZip([.init(name: "b1/commit_1", file: ReadOnlyFile(path: "x", copying: [1, 2, 3]))], to: dir + "/nocatalog.zip")
        #expect(throws: NodeRestoreError.self) { try ClusterNode.restore(from: dir + "/nocatalog.zip", into: "/b", fileIO: SimulatedFileIO(seed: 8)) }
        // A catalog that fails its checksum stops the restore, and what was laid out does not
        // open as a node.
        var image = IndexCatalog().fileImage()
        image[image.count / 2] ^= 0xFF
        _ = try NodeBackup.writeZip([.init(name: "_node/catalog", file: ReadOnlyFile(path: "c", copying: image))], to: dir + "/bad.zip")
        let io = SimulatedFileIO(seed: 9)
        #expect(throws: (any Error).self) { try ClusterNode.restore(from: dir + "/bad.zip", into: "/c", fileIO: io) }
        #expect(throws: NodeRestoreError.self) { try Self.open(io, root: "/c") }
    }

    @Test func aPinnedCommitKeepsItsFilesThroughLaterCommitsAndMerges() async throws {
        let io = SimulatedFileIO(seed: 10)
        let node = try await Self.populatedNode(io)
        try await node.commit()
        let writer = try #require(node.stateMachine.index(named: "books")).writer
        let pin = writer.pinLastCommit()
        let pinned = pin.commit.files
        #expect(pinned.count > 1)
        _ = try await node.write(.deleteDocuments(index: "books", ids: ["1", "2"]))
        try writer.forceMerge(maxSegments: 1)
        try await node.commit()
        #expect(writer.lastCommit.segments.count == 1 && writer.lastCommit.files != pinned)
        for file in pinned { #expect(io.exists("/data/b1/" + file), "\(file) is pinned") }
        pin.release()
        pin.release()
        let gone = pinned.filter { !writer.lastCommit.files.contains($0) }
        #expect(!gone.isEmpty)
        for file in gone { #expect(!io.exists("/data/b1/" + file), "\(file) is released") }
    }

    @Test func aClosedNodeRefusesWritesAndBackups() async throws {
        let node = try Self.open(SimulatedFileIO(seed: 11), root: "/data")
        try await node.close()
        try await node.close()
        await #expect(throws: NodeError.self) { try await node.write(.deleteIndex(name: "x")) }
        await #expect(throws: NodeError.self) { try await node.writeSnapshot(to: "/nonexistent/never.zip") }
        #expect(await node.compactLogIfDue() == nil)
    }

    @Test func anEntryThatFailsItsCRCIsRefused() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let payload = Array("a payload that appears once in the zip".utf8)
        let zip = dir + "/crc.zip"
        _ = try NodeBackup.writeZip([
            .init(name: "_node/catalog", file: ReadOnlyFile(path: "c", copying: IndexCatalog().fileImage())),
            .init(name: "b1/commit_1", file: ReadOnlyFile(path: "p", copying: payload)),
        ], to: zip)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: zip)))
        let at = try #require((0...(bytes.count - payload.count)).first { Array(bytes[$0..<($0 + payload.count)]) == payload })
        bytes[at + 5] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: zip))
        let io = SimulatedFileIO(seed: 12)
        #expect { try ClusterNode.restore(from: zip, into: "/r", fileIO: io) } throws: { error in
            "\(error)".contains("CRC-32")
        }
    }

    /// A segment damaged before it was zipped (the zip's CRC matches the damage) is caught
    /// when the restored node opens the index, naming the file.
    @Test func aCorruptSegmentInABackupIsCaughtWhenTheIndexOpens() async throws {
        let io = SimulatedFileIO(seed: 13)
        let node = try await Self.populatedNode(io)
        try await node.commit()
        let commit = try #require(node.stateMachine.index(named: "films")).writer.lastCommit
        let victim = try #require(commit.files.first { $0.hasSuffix(".ter") })
        var sources = [NodeBackup.Source(name: "_node/catalog", file: try io.readFile("/data/_node/catalog"))]
        for id in ["b1", "f1"] {
            let files = try #require(node.stateMachine.indices.first { $0.indexID == id }).writer.lastCommit.files
            for file in files {
                var bytes = try #require(io.contents("/data/\(id)/\(file)"))
                if id == "f1" && file == victim { bytes[bytes.count / 2] ^= 0x10 }
                sources.append(.init(name: "\(id)/\(file)", file: ReadOnlyFile(path: file, copying: bytes)))
            }
        }
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try NodeBackup.writeZip(sources, to: dir + "/damaged.zip")
        let restoredIO = SimulatedFileIO(seed: 14)
        try ClusterNode.restore(from: dir + "/damaged.zip", into: "/r", fileIO: restoredIO)
        #expect { try Self.open(restoredIO, root: "/r") } throws: { error in "\(error)".contains(victim) }
    }

    @Test func backupAndRestoreOnARealDisk() async throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let options = NodeMaintenanceTests.options()
        let node = try ClusterNode(root: dir + "/node1", fileIO: LocalFileIO(), registry: try builtinRegistry(), options: options)
        _ = try await node.write(.createIndex(name: "books", indexID: "b1", config: NodeStateMachineTests.schema))
        _ = try await node.write(NodeStateMachineTests.put("books", 1...50))
        let info = try await node.writeSnapshot(to: dir + "/snapshot.zip")
        try await node.close()
        try ClusterNode.restore(from: info.path, into: dir + "/node2", fileIO: LocalFileIO())
        let restored = try ClusterNode(root: dir + "/node2", fileIO: LocalFileIO(), registry: try builtinRegistry(), options: options)
        #expect(try NodeMaintenanceTests.searchable(restored) == 50)
        let description = try #require(restored.describe(index: "books"))
        #expect(description.folder == dir + "/node2/b1" && description.lastModified > 0)
        _ = try await restored.write(NodeStateMachineTests.put("books", 51...51))
        try await restored.close()
        let reopened = try ClusterNode(root: dir + "/node2", fileIO: LocalFileIO(), registry: try builtinRegistry(), options: options)
        #expect(try NodeMaintenanceTests.searchable(reopened) == 51)
        try await reopened.close()
    }
}
