// INTERIM: the API the REST transport is written against, with simple bodies, until the node
// services (refresh/commit schedule, compaction, snapshots) land from their branch. Replaced
// wholesale at that merge.
import Synchronization

public struct NodeOptions: Sendable {
    public var refreshInterval: Duration = .seconds(1)
    public var commitInterval: Duration = .seconds(30)
    public var commitLogBytes: Int = 256 << 20
    public var logCompactionMinEntries: Int = 5000
    public var logCompactionMinTime: Duration = .seconds(300)
    public var writer: IndexWriterOptions = IndexWriterOptions()
    public init() {}
}

public struct NodeStats: Sendable {
    public var appliedIndex: UInt64
    public var commitIndex: UInt64
    public var term: UInt64
    public var logLength: Int
    public var leaderChanges: Int
    public var indices: [IndexStats]
}

public struct IndexStats: Sendable {
    public var name: String
    public var documents: Int
    public var deletedDocuments: Int
    public var segments: Int
    public var mergesRunning: Int
    public var mergesCompleted: Int
}

public struct SnapshotInfo: Sendable {
    public var path: String
    public var bytes: Int
    public var indices: Int
    public var files: Int
    public var logIndex: UInt64
}

public struct IndexDescription: Sendable {
    public var name: String
    public var docCount: Int
    public var docCountAll: Int
    public func json() -> JSONValue {
        .object([("name", .string(name)), ("doc_count", .number(String(docCount))), ("doc_count_all", .number(String(docCountAll)))])
    }
}

extension StandaloneNode {
    public init(root: String, fileIO: any FileIO, registry: Registry, options: NodeOptions) throws {
        try self.init(root: root, fileIO: fileIO, registry: registry, options: options.writer)
    }

    public func write(_ commands: [NodeCommand]) async throws -> [Acknowledgement] {
        var acks: [Acknowledgement] = []
        for command in commands { acks.append(try await write(command)) }
        return acks
    }

    public func waitUntilSearchable(_ logIndex: UInt64) async throws {
        try stateMachine.refreshAll()
    }

    public func waitForApplied(_ index: UInt64, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while appliedIndex < index {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    public nonisolated var isReady: Bool { true }

    public nonisolated func runMaintenance() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            try? stateMachine.refreshAll()
        }
        try? stateMachine.commitAll()
    }

    public func status(advertisedAddress: String) -> [(key: String, value: JSONValue)] {
        [("version", .string(CockatriceVersion.string)), ("self", .string(advertisedAddress)), ("state", .number("2")),
         ("leader", .string(advertisedAddress)), ("last_applied", .number(String(appliedIndex)))]
    }

    public func stats() -> NodeStats {
        NodeStats(appliedIndex: appliedIndex, commitIndex: appliedIndex, term: 1, logLength: 0, leaderChanges: 1, indices: [])
    }

    public func writeSnapshot(to path: String) async throws -> SnapshotInfo {
        throw NodeError.stopped("snapshots are not built yet")
    }

    public static func restore(from zipPath: String, into root: String, fileIO: any FileIO) throws {
        throw NodeError.stopped("restore is not built yet")
    }

    public nonisolated func describe(index name: String) -> IndexDescription? {
        guard let index = stateMachine.index(named: name) else { return nil }
        let snapshot = index.writer.snapshot()
        return IndexDescription(name: name, docCount: snapshot.numDocs, docCountAll: snapshot.maxDoc)
    }
}
