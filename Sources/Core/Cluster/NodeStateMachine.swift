import Foundation
import Logging
import Synchronization

/// The indices of a node as the state machine the Raft log drives: committed commands are
/// applied here, in log order, on every node.
///
/// Two kinds of failure are kept apart, because replicas must not diverge:
/// - a command that is wrong for the current state (create an index that exists, write to one
///   that does not) is refused the same way on every node: `apply` returns `.rejected`, and the
///   entry counts as applied;
/// - a local failure (disk full, I/O error) throws, and the caller must stop applying (DESIGN.md:
///   a committed entry is never skipped) and report itself not ready.
///
/// Replaying entries after a restart is safe: each index skips entries at or below the log index
/// its last commit point records, and the catalog skips changes at or below its own.
public final class NodeStateMachine: Sendable {
    /// What applying one command did.
    public enum Outcome: Sendable, Equatable {
        case applied
        /// Already contained in the durable state (a replayed entry).
        case alreadyApplied
        /// A delete-by-query was applied: the number of documents it deleted (the same on every
        /// replica, which hold the same documents at that point of the log).
        case deleted(Int)
        /// Refused the same way on every node; the reason is for the client.
        case rejected(String)
    }

    /// An open index: its config and its writer.
    public struct OpenIndex: Sendable {
        public let name: String
        public let indexID: String
        public let config: IndexConfig
        public let writer: IndexWriter
    }

    private struct State: Sendable {
        var catalog: IndexCatalog
        var indices: [String: OpenIndex] = [:]
        var appliedIndex: UInt64 = 0
        /// When each index was last committed (unix seconds), for `GET /indices/<INDEX>`.
        var lastCommitTimes: [String: Double] = [:]
        var optimizeFailures = 0
        var lastOptimizeFailure: String?
    }

    private let root: String
    private let fileIO: any FileIO
    private let registry: Registry
    private let options: IndexWriterOptions
    private let nodeDirectory: IndexDirectory
    private let state: Mutex<State>
    private let logger = Logger(label: "cockatrice.node.indices")

    /// Opens the node's indices under `root` (`<root>/_node` holds the catalog, each index lives
    /// in `<root>/<indexID>`), each at its last commit.
    public init(root: String, fileIO: any FileIO, registry: Registry, options: IndexWriterOptions = IndexWriterOptions()) throws {
        self.root = root
        self.fileIO = fileIO
        self.registry = registry
        self.options = options
        nodeDirectory = IndexDirectory(fileIO: fileIO, path: root + "/_node")
        try nodeDirectory.create()
        // A snapshot install that a crash interrupted after its files were all in and checked
        // is finished first; an incomplete staging is dropped.
        if let manifest = try SnapshotStaging.pendingSwap(root: root, fileIO: fileIO) {
            try SnapshotStaging.swapIn(root: root, fileIO: fileIO, manifest: manifest)
        }
        state = Mutex(try Self.load(root: root, nodeDirectory: nodeDirectory, fileIO: fileIO, registry: registry, options: options))
    }

    /// The catalog and every index it names, each at its last commit.
    private static func load(root: String, nodeDirectory: IndexDirectory, fileIO: any FileIO, registry: Registry,
                             options: IndexWriterOptions) throws -> State {
        let catalog = try IndexCatalog.load(from: nodeDirectory)
        var state = State(catalog: catalog, appliedIndex: catalog.appliedIndex)
        for entry in catalog.entries {
            let index = try Self.open(entry, root: root, fileIO: fileIO, registry: registry, options: options)
            state.indices[entry.name] = index
            state.appliedIndex = min(state.appliedIndex, index.writer.lastCommit.lastAppliedLogIndex)
            state.lastCommitTimes[entry.name] = Self.modificationTime(index.writer.directory.filePath(index.writer.lastCommit.fileName))
        }
        return state
    }

    private static func open(_ entry: IndexCatalog.Entry, root: String, fileIO: any FileIO, registry: Registry,
                             options: IndexWriterOptions) throws -> OpenIndex {
        let config = try IndexConfigLoader(registry: registry).load(text: entry.config)
        let codec = try registry.make(.codec, name: "lz4", args: ComponentArgs(path: "codec"), path: "codec")
        let directory = IndexDirectory(fileIO: fileIO, path: root + "/" + entry.indexID)
        let writer = try IndexWriter.open(directory: directory, config: config, codec: codec,
                                          codecs: CodecResolver(registry: registry), options: options)
        return OpenIndex(name: entry.name, indexID: entry.indexID, config: config, writer: writer)
    }

    /// The modification time of a file on the real disk (unix seconds), 0 when it cannot be
    /// read (an in-memory file system in tests): `FileIO` has no stat, and only status
    /// reports this.
    private static func modificationTime(_ path: String) -> Double {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    }

    /// When index `name` was last committed (unix seconds; 0 if unknown).
    public func lastCommitTime(of name: String) -> Double {
        state.withLock { $0.lastCommitTimes[name] ?? 0 }
    }

    /// The log index of the last command applied (replayed ones included).
    public var appliedIndex: UInt64 { state.withLock { $0.appliedIndex } }

    /// How many scheduled `optimize` merges failed, and the last failure: an optimize runs after
    /// its entry was acknowledged, so its failure is reported here (and logged), not to a client.
    public var optimizeFailures: (count: Int, last: String?) {
        state.withLock { ($0.optimizeFailures, $0.lastOptimizeFailure) }
    }

    /// The index named `name`, if it exists.
    public func index(named name: String) -> OpenIndex? {
        state.withLock { $0.indices[name] }
    }

    /// The catalog as applied so far (saved durably on every change).
    public var catalog: IndexCatalog { state.withLock { $0.catalog } }

    /// The open indices, sorted by name.
    public var indices: [OpenIndex] {
        state.withLock { s in s.catalog.entries.compactMap { s.indices[$0.name] } }
    }

    /// The names of the indices, sorted.
    public var indexNames: [String] {
        state.withLock { $0.catalog.entries.map(\.name) }
    }

    /// The smallest log index everything at or below which is durable in every index and the
    /// catalog: the Raft log before it can be compacted, and replay starts after it.
    public var durableIndex: UInt64 {
        state.withLock { s in
            s.indices.values.reduce(s.catalog.appliedIndex) { min($0, $1.writer.lastCommit.lastAppliedLogIndex) }
        }
    }

    /// Applies the committed command at `logIndex`.
    ///
    /// - Throws: only for local failures; the caller stops applying.
    public func apply(_ command: NodeCommand, at logIndex: UInt64) throws -> Outcome {
        let outcome: Outcome
        switch command {
        case .createIndex(let name, let indexID, let config):
            outcome = try create(name: name, indexID: indexID, config: config, at: logIndex)
        case .deleteIndex(let name):
            outcome = try delete(name: name, at: logIndex)
        default:
            outcome = try applyToIndex(command, at: logIndex)
        }
        state.withLock { $0.appliedIndex = max($0.appliedIndex, logIndex) }
        return outcome
    }

    private func create(name: String, indexID: String, config: String, at logIndex: UInt64) throws -> Outcome {
        if state.withLock({ logIndex <= $0.catalog.appliedIndex }) { return .alreadyApplied }
        if state.withLock({ $0.catalog.entry(named: name) != nil }) {
            return .rejected("index '\(name)' already exists")
        }
        let entry = IndexCatalog.Entry(name: name, indexID: indexID, config: config)
        // The config was checked before it was logged; a node that cannot load it (a plugin it
        // lacks) must not silently go on without the index.
        let index = try Self.open(entry, root: root, fileIO: fileIO, registry: registry, options: options)
        try index.writer.commit(lastAppliedLogIndex: logIndex)
        try state.withLock { s in
            var catalog = s.catalog
            catalog.insert(entry)
            catalog.appliedIndex = logIndex
            try catalog.save(to: nodeDirectory)
            s.catalog = catalog
            s.indices[name] = index
            s.lastCommitTimes[name] = Date().timeIntervalSince1970
        }
        return .applied
    }

    private func delete(name: String, at logIndex: UInt64) throws -> Outcome {
        if state.withLock({ logIndex <= $0.catalog.appliedIndex }) { return .alreadyApplied }
        guard let index = state.withLock({ $0.indices[name] }) else {
            return .rejected("index '\(name)' does not exist")
        }
        // The catalog forgets the index first (durably); its files go after. A crash between
        // the two leaves an unreferenced directory, which is harmless and removed at the next
        // delete of that id (ids are never reused).
        try state.withLock { s in
            var catalog = s.catalog
            catalog.remove(named: name)
            catalog.appliedIndex = logIndex
            try catalog.save(to: nodeDirectory)
            s.catalog = catalog
            s.indices[name] = nil
            s.lastCommitTimes[name] = nil
        }
        index.writer.close()
        try fileIO.removeTree(root + "/" + index.indexID)
        try fileIO.syncDirectory(root)
        return .applied
    }

    private func applyToIndex(_ command: NodeCommand, at logIndex: UInt64) throws -> Outcome {
        guard let index = state.withLock({ $0.indices[command.index] }) else {
            return .rejected("index '\(command.index)' does not exist")
        }
        if logIndex <= index.writer.lastCommit.lastAppliedLogIndex { return .alreadyApplied }
        switch command {
        case .putDocuments(_, let documents):
            for document in documents { try index.writer.update(document.document) }
            return .applied
        case .deleteDocuments(_, let ids):
            for id in ids { _ = try index.writer.delete(id: id) }
            return .applied
        case .optimize(_, let maxSegments):
            scheduleForceMerge(index, maxSegments: max(1, maxSegments))
            return .applied
        case .patchDocument(_, let id, let fields):
            return try patch(index, id: id, fields: fields)
        case .deleteByQuery(_, let query, let searchField):
            return try deleteByQuery(index, query: query, searchField: searchField)
        case .createIndex, .deleteIndex:
            return .applied
        }
    }

    /// Scheduling, not merging: the apply loop never waits for a merge (DESIGN.md). The merge
    /// blocks on I/O for as long as it takes, so it gets a thread of its own rather than one of
    /// the few of Swift's cooperative pool. Its failure is logged and counted (the optimize was
    /// acknowledged long before); the index stays as it was, and a closed index (deleted
    /// meanwhile) is not a failure.
    private func scheduleForceMerge(_ index: OpenIndex, maxSegments: Int) {
        let writer = index.writer
        let name = index.name
        Thread.detachNewThread { [self] in
            do {
                try writer.forceMerge(maxSegments: maxSegments)
            } catch {
                if let error = error as? IndexError, case .closed = error { return }
                logger.error("optimize of index '\(name)' failed", metadata: ["error": "\(error)"])
                state.withLock { s in
                    s.optimizeFailures += 1
                    s.lastOptimizeFailure = "index '\(name)': \(error)"
                }
            }
        }
    }

    /// A partial update: the stored document (real time, so an earlier entry not yet refreshed
    /// counts) merged with the patch, written as a put. Refused the same way on every replica
    /// when the schema has a field that is not stored, the patch is malformed, or the document
    /// does not exist (API.md: 400 / 404).
    private func patch(_ index: OpenIndex, id: String, fields: Document) throws -> Outcome {
        if let reason = DocumentPatch.refusal(for: index.config) { return .rejected(reason) }
        let patch = DocumentPatch(config: index.config, id: id, fields: fields)
        if let reason = patch.check() { return .rejected(reason) }
        guard let stored = try index.writer.storedDocument(id: id) else {
            return .rejected("document '\(id)' does not exist")
        }
        switch patch.merged(with: stored) {
        case .success(let document):
            try index.writer.update(document)
            return .applied
        case .failure(let error):
            return .rejected("document '\(id)' cannot be patched: \(error.reason)")
        }
    }

    /// Deletes every live document the query matches at this point of the log (buffered ones
    /// included: the writer flushes them first), on every replica alike.
    private func deleteByQuery(_ index: OpenIndex, query: String, searchField: String?) throws -> Outcome {
        let deletion = QueryDeletion(config: index.config, query: query, searchField: searchField)
        let parsed: Query
        switch deletion.parse() {
        case .success(let q): parsed = q
        case .failure(let error): return .rejected("query: \(error)")
        }
        let config = index.config
        let count = try index.writer.delete(selecting: { snapshot in try QueryDeletion.matches(parsed, in: snapshot, config: config) })
        return .deleted(count)
    }

    /// Refreshes every index: what was applied becomes searchable. May run beside `apply`; an
    /// index deleted meanwhile (its writer closed) is skipped.
    public func refreshAll() throws {
        for index in state.withLock({ Array($0.indices.values) }) {
            do {
                try index.writer.refresh()
            } catch {
                if case .closed = error, state.withLock({ $0.indices[index.name]?.writer !== index.writer }) { continue }
                throw error
            }
        }
    }

    /// Commits every index with the last applied log index, so a restart replays only what
    /// came after.
    public func commitAll() throws {
        let (indices, applied) = state.withLock { (Array($0.indices.values), $0.appliedIndex) }
        // An index may hold more than the smallest piece (installed from pieces at different
        // indices): its commit point must never claim less than it holds, or a replay after a
        // crash would apply again entries it already contains.
        for index in indices { try index.writer.commit(lastAppliedLogIndex: max(applied, index.writer.lastCommit.lastAppliedLogIndex)) }
        let now = Date().timeIntervalSince1970
        // Every index now holds everything up to `applied`; so does the catalog (its changes
        // are saved as they are applied). Recording that lets `durableIndex` move past the last
        // catalog change, so the log can be compacted up to here.
        try state.withLock { s in
            for index in indices { s.lastCommitTimes[index.name] = now }
            guard applied > s.catalog.appliedIndex else { return }
            var catalog = s.catalog
            catalog.appliedIndex = applied
            try catalog.save(to: nodeDirectory)
            s.catalog = catalog
        }
    }

    // MARK: Snapshot transfer

    /// Pins the catalog and every index's last commit point for a follower that must install a
    /// snapshot, and checksums their files: they stay, mapped, until the
    /// source is released, while this node goes on applying, committing and merging. The
    /// manifest's `logIndex` is the smallest log index a piece holds everything up to.
    ///
    /// The node pins with `pinCommitPoints()` where nothing applies or commits meanwhile (its
    /// actor), so every piece is at the same index, and checksums elsewhere.
    public func pinForTransfer() throws -> SnapshotTransferSource {
        SnapshotTransferSource(try pinCommitPoints())
    }

    /// The pinning half of `pinForTransfer()`, and all a backup needs (the zip has its own
    /// checksums).
    ///
    /// - Throws: when a file of a commit point cannot be mapped (an index deleted meanwhile:
    ///   ask again).
    public func pinCommitPoints() throws -> PinnedCommitPoints {
        let (catalog, indices) = state.withLock { s in (s.catalog, s.catalog.entries.compactMap { s.indices[$0.name] }) }
        var pins: [CommitPin] = []
        var files: [(path: String, file: ReadOnlyFile)] = [
            (SnapshotTransferManifest.catalogPath, ReadOnlyFile(path: SnapshotTransferManifest.catalogPath, copying: catalog.fileImage())),
        ]
        var logIndex = catalog.appliedIndex
        do {
            for index in indices {
                let pin = index.writer.pinLastCommit()
                pins.append(pin)
                logIndex = min(logIndex, pin.commit.lastAppliedLogIndex)
                for name in pin.commit.files {
                    files.append((index.indexID + "/" + name, try pin.directory.fileIO.readFile(pin.directory.filePath(name))))
                }
            }
        } catch {
            for pin in pins { pin.release() }
            throw error
        }
        return PinnedCommitPoints(logIndex: logIndex, files: files, pins: pins)
    }

    /// Replaces every index and the catalog with a complete staging (`SnapshotStaging.finish()`
    /// returned), atomically as far as a crash can tell (see `SnapshotStaging.swapIn`), and
    /// opens them. The caller applies nothing meanwhile; searches and gets in flight keep the
    /// snapshots they hold.
    ///
    /// - Throws: I/O errors, or a staged index that does not open (its segments' checksums are
    ///   checked as it opens); the caller must stop applying.
    public func install(_ staging: SnapshotStaging) throws {
        let stagingDirectory = IndexDirectory(fileIO: fileIO, path: SnapshotStaging.path(root: root))
        guard stagingDirectory.exists(SnapshotStaging.completeMarker) else {
            throw StoreError.corrupt(path: stagingDirectory.path, offset: nil, reason: "the staging is not complete")
        }
        let old = state.withLock { s in
            let open = Array(s.indices.values)
            s.indices = [:]
            return open
        }
        for index in old { index.writer.close() }
        try SnapshotStaging.swapIn(root: root, fileIO: fileIO, manifest: staging.manifest)
        let loaded = try Self.load(root: root, nodeDirectory: nodeDirectory, fileIO: fileIO, registry: registry, options: options)
        state.withLock { s in
            let failures = (s.optimizeFailures, s.lastOptimizeFailure)
            s = loaded
            (s.optimizeFailures, s.lastOptimizeFailure) = failures
        }
        logger.info("installed a snapshot", metadata: ["log_index": "\(staging.manifest.logIndex)", "indices": "\(loaded.indices.count)"])
    }

    /// Closes every writer (after a final `commitAll`, for a clean shutdown).
    public func close() {
        for index in state.withLock({ Array($0.indices.values) }) { index.writer.close() }
    }
}
