import Foundation
import Synchronization

/// Adds, updates and deletes the documents of one index; publishes reader snapshots; commits.
///
/// Documents go into an in-memory segment (`SegmentWriter`) until the RAM budget or a refresh
/// flushes it as an immutable segment; `refresh()` makes everything so far searchable (new
/// `snapshot()`), `commit(lastAppliedLogIndex:)` makes it durable with a new commit point.
/// Background merges (tiered policy) run on their own threads and block the writer only to
/// publish their result. Reopening (`open`) returns exactly the last commit; files no commit
/// and no snapshot uses are deleted, and leftovers of a crash are removed at open.
///
/// Thread-safe: every mutation takes one lock; `snapshot()` takes a different one, so searches
/// never wait for a flush or commit. One writer per directory (the caller ensures it).
public final class IndexWriter: Sendable {
    public let directory: IndexDirectory
    public let config: IndexConfig
    public let options: IndexWriterOptions
    let codec: any Codec
    let codecs: CodecResolver
    let fields: [SegmentFieldInfo]
    let analyzers: [(any Analyzer)?]
    let deleter: FileDeleter
    private let state: Mutex<State>
    private let published: Mutex<IndexSnapshot>

    struct LiveSegment {
        let handle: SegmentHandle
        var liveDocs: LiveDocs
        /// The live-docs generation the last commit wrote (0: none).
        var deletesGeneration: Int
        /// Whether deletions changed since that generation.
        var deletesDirty: Bool
        /// Whether the segment's files were fsynced.
        var synced: Bool
        var merging = false
        var reader: SegmentReader { handle.reader }

        /// Deletes `doc`; true when it was live.
        mutating func delete(_ doc: Int32) -> Bool {
            guard liveDocs.delete(doc) else { return false }
            deletesDirty = true
            return true
        }
    }

    struct State {
        var buffer: SegmentWriter
        var bufferIds: [String: Int32] = [:]
        var bufferDeleted: [Int32] = []
        var segments: [LiveSegment] = []
        var commit: CommitPoint
        var nextSegmentNumber: Int
        var closed: String?
        var runningMerges = 0
        var completedMerges = 0
        var lastMergeError: IndexError?
        var addsSinceRamCheck = 0
        /// Buffers frozen by the RAM budget and being written by a background thread: their ids,
        /// and the docs deleted while they are written (applied when the segment lands).
        var pendingFlushes: [PendingFlush] = []
        /// Draws the random part of segment names when `IndexWriterOptions.segmentNameSeed`
        /// asks for reproducible ones.
        var nameGenerator: SplitMix64?

        /// The next segment's name: its number (never reused) and a random part.
        mutating func nextSegmentName() -> String {
            let salt: UInt32
            if var generator = nameGenerator {
                salt = UInt32(truncatingIfNeeded: generator.next())
                nameGenerator = generator
            } else {
                salt = .random(in: 0...UInt32.max)
            }
            defer { nextSegmentNumber += 1 }
            return "_" + String(nextSegmentNumber, radix: 36) + "_" + String(salt, radix: 36)
        }
    }

    struct PendingFlush {
        let name: String
        var ids: [String: Int32]
        var deleted: [Int32]
        /// The frozen buffer itself (shared with the flush job, not copied): real-time gets read
        /// its stored fields until the segment lands.
        let buffer: SegmentWriter
    }

    // MARK: Opening

    /// Opens the index in `directory` at its last commit, creating an empty one if there is none.
    ///
    /// Every segment of the commit is verified in full (checksums) the first time it is opened;
    /// files that the commit does not name (leftovers of a crash, old generations) are deleted.
    ///
    /// - Parameters:
    ///   - codec: the codec new segments are written with (resolved from the registry by the caller).
    ///   - codecs: resolves the codecs existing segments name.
    public static func open(directory: IndexDirectory, config: IndexConfig, codec: any Codec, codecs: CodecResolver,
                            options: IndexWriterOptions = IndexWriterOptions()) throws(IndexError) -> IndexWriter {
        let writer = try IndexWriter(directory: directory, config: config, codec: codec, codecs: codecs, options: options)
        writer.startAutoRefresh()
        return writer
    }

    private init(directory: IndexDirectory, config: IndexConfig, codec: any Codec, codecs: CodecResolver, options: IndexWriterOptions) throws(IndexError) {
        self.directory = directory
        self.config = config
        self.options = options
        self.codec = codec
        self.codecs = codecs
        var fields: [SegmentFieldInfo] = []
        var analyzers: [(any Analyzer)?] = []
        for (i, f) in config.fields.enumerated() {
            fields.append(SegmentFieldInfo(number: i, config: f))
            // The unique id is indexed verbatim so that delete-by-id finds exactly it.
            analyzers.append(f.unique || f.name == config.idField ? nil : f.analyzer)
        }
        self.fields = fields
        self.analyzers = analyzers
        deleter = FileDeleter(directory: directory)
        let names: [String]
        let commit: CommitPoint
        var segments: [LiveSegment] = []
        do {
            try directory.create()
            names = try directory.list()
            let generations = names.compactMap(CommitPoint.generation(ofFile:)).sorted()
            commit = try generations.last.map { g throws(IndexError) in try CommitPoint.read(directory, name: CommitPoint.fileName(g)) } ?? CommitPoint()
            deleter.incRef(commit.files)
            for s in commit.segments {
                let reader = try SegmentReader.open(directory: directory, name: s.name, codecs: codecs, verify: true)
                guard reader.maxDoc == s.maxDoc else {
                    throw SegmentError.corrupt(file: directory.filePath(SegmentFileNames.info(s.name)), reason: "\(reader.maxDoc) documents, the commit says \(s.maxDoc)")
                }
                var live = LiveDocs(maxDoc: s.maxDoc)
                if s.deletesGeneration > 0 {
                    let name = SegmentFileNames.liveDocs(s.name, generation: s.deletesGeneration)
                    let file = try directory.openInput(name, kind: LiveDocs.kind, segment: s.name, checksum: true)
                    live = try LiveDocs.decode(file, maxDoc: s.maxDoc)
                }
                segments.append(LiveSegment(handle: SegmentHandle(reader: reader, deleter: deleter), liveDocs: live,
                                            deletesGeneration: s.deletesGeneration, deletesDirty: false, synced: true))
            }
        } catch {
            throw IndexError.wrap(error)
        }
        var next = commit.nextSegmentNumber
        for name in names where !deleter.isReferenced(name) {
            if name.hasPrefix("_"), let n = Int(name.dropFirst().prefix { $0.isLetter || $0.isNumber }, radix: 36) { next = max(next, n + 1) }
            try? directory.delete(name)
        }
        state = Mutex(State(buffer: SegmentWriter(fields: fields, analyzers: analyzers), segments: segments, commit: commit, nextSegmentNumber: next,
                            nameGenerator: options.segmentNameSeed.map { SplitMix64(seed: $0 ^ UInt64(next)) }))
        published = Mutex(IndexSnapshot(segments: segments.map { ($0.handle, $0.liveDocs) }))
    }

    /// The newest commit point in `directory` (nil for an empty directory), without opening
    /// the index: for status, snapshots, and tests.
    public static func lastCommit(in directory: IndexDirectory) throws(IndexError) -> CommitPoint? {
        let names: [String]
        do { names = try directory.list() } catch { throw IndexError.wrap(error) }
        guard let generation = names.compactMap(CommitPoint.generation(ofFile:)).max() else { return nil }
        return try CommitPoint.read(directory, name: CommitPoint.fileName(generation))
    }

    // MARK: Reading state

    /// The current reader snapshot: what searches see. Cheap (a reference); hold it for the
    /// duration of a search.
    public func snapshot() -> IndexSnapshot { published.withLock { $0 } }

    /// The last durable commit point.
    public var lastCommit: CommitPoint { state.withLock { $0.commit } }

    /// Documents buffered in memory, not yet in a segment.
    public var bufferedDocuments: Int { state.withLock { Int($0.buffer.maxDoc) } }

    /// The error of the last failed background merge, if any.
    public var lastMergeError: IndexError? { state.withLock { $0.lastMergeError } }

    /// Merges running now and merges published since the writer opened (background and forced),
    /// for the node's metrics.
    public var mergeCounts: (running: Int, completed: Int) { state.withLock { ($0.runningMerges, $0.completedMerges) } }

    /// The last durable commit point with its files pinned: none of them is deleted (by a later
    /// commit or a merge) until the returned pin is released or dies. A backup or a snapshot
    /// sent to a follower reads them meanwhile, while writes go on.
    public func pinLastCommit() -> CommitPin {
        // Under the writer's lock, so no commit can release the files between the read and the pin.
        state.withLock { s in
            deleter.incRef(s.commit.files)
            return CommitPin(commit: s.commit, deleter: deleter)
        }
    }

    // MARK: Changes

    /// Adds a document (an existing document with the same id is not touched: use `update`).
    public func add(_ document: Document) throws(IndexError) {
        let budget = try state.withLock { s throws(IndexError) -> BudgetAction in
            try checkOpen(s)
            return try addLocked(document, &s)
        }
        handle(budget)
    }

    /// Replaces the document with the same id (delete + add), also when that document is still
    /// in the buffer (a document updated twice before a refresh keeps only the last version).
    public func update(_ document: Document) throws(IndexError) {
        guard let id = document.text(config.idField) else {
            throw IndexError.invalidDocument("no value for the id field '\(config.idField)'")
        }
        let budget = try state.withLock { s throws(IndexError) -> BudgetAction in
            try checkOpen(s)
            try deleteLocked(id: id, &s)
            return try addLocked(document, &s)
        }
        handle(budget)
    }

    /// Deletes the document with id `id` (buffered or in a segment); returns how many were live.
    @discardableResult
    public func delete(id: String) throws(IndexError) -> Int {
        try state.withLock { s throws(IndexError) -> Int in
            try checkOpen(s)
            return try deleteLocked(id: id, &s)
        }
    }

    /// Deletes the documents that `matching` selects in each segment (doc ids of that segment):
    /// how the query engine wires delete-by-query in. Buffered documents are flushed first so the
    /// query sees them. Returns the number of documents deleted.
    @discardableResult
    public func delete(matching: (SegmentReader, LiveDocs) throws -> [Int32]) throws(IndexError) -> Int {
        try withFlushedLock { s throws(IndexError) -> Int in
            try checkOpen(s)
            try flushLocked(&s)
            var count = 0
            do {
                for i in s.segments.indices {
                    for doc in try matching(s.segments[i].reader, s.segments[i].liveDocs) where doc >= 0 && Int(doc) < s.segments[i].reader.maxDoc {
                        if s.segments[i].delete(doc) { count += 1 }
                    }
                }
            } catch {
                throw IndexError.wrap(error)
            }
            return count
        }
    }

    /// Deletes the documents that `select` picks in a view of every segment (the buffer flushed
    /// first): `select` gets one snapshot of them all and returns, per segment of it, the doc ids
    /// to delete. Delete-by-query uses this rather than `delete(matching:)` so that a query is
    /// compiled once over the whole index (a fuzzy term expands over every dictionary, as in a
    /// search), not per segment. Returns the number of documents deleted.
    @discardableResult
    public func delete(selecting select: (IndexSnapshot) throws -> [[Int32]]) throws(IndexError) -> Int {
        try withFlushedLock { s throws(IndexError) -> Int in
            try checkOpen(s)
            try flushLocked(&s)
            let view = IndexSnapshot(segments: s.segments.map { ($0.handle, $0.liveDocs) })
            var count = 0
            do {
                let chosen = try select(view)
                for (i, docs) in chosen.enumerated() where i < s.segments.count {
                    for doc in docs where doc >= 0 && Int(doc) < s.segments[i].reader.maxDoc {
                        if s.segments[i].delete(doc) { count += 1 }
                    }
                }
            } catch {
                throw IndexError.wrap(error)
            }
            return count
        }
    }

    // MARK: Real-time reads

    /// The stored fields of the live document with id `id`, seeing every change applied so far,
    /// refreshed or not (API.md: a get by id is real time): the buffer first, then the buffers
    /// being flushed in the background, then the segments through the id field's postings and
    /// their current live docs, newest first. Deleted or replaced versions are never returned
    /// (an update deletes the old version everywhere before it adds the new one).
    ///
    /// - Returns: nil when no live document has that id.
    public func storedDocument(id: String) throws(IndexError) -> [StoredField]? {
        try state.withLock { s throws(IndexError) -> [StoredField]? in
            try checkOpen(s)
            if let doc = s.bufferIds[id] { return try s.buffer.storedDocument(doc) }
            for pending in s.pendingFlushes.reversed() {
                if let doc = pending.ids[id] { return try pending.buffer.storedDocument(doc) }
            }
            let term = Array(id.utf8)
            do {
                for segment in s.segments.reversed() {
                    guard var postings = try segment.reader.postings(config.idField, term: term) else { continue }
                    while true {
                        let doc = try postings.next()
                        if doc == PostingsIterator.noMoreDocs { break }
                        if segment.liveDocs.isLive(doc) { return try segment.reader.document(doc) }
                    }
                }
            } catch {
                throw IndexError.wrap(error)
            }
            return nil
        }
    }

    /// Makes every change so far visible to new snapshots (flushing the buffer as a segment).
    /// Not durable: see `commit`.
    public func refresh() throws(IndexError) {
        try withFlushedLock { s throws(IndexError) in
            try checkOpen(s)
            try flushLocked(&s)
            publishLocked(s)
        }
        maybeMerge()
    }

    /// Makes every change so far durable: flushes, fsyncs new segment files and deletions, and
    /// atomically writes a commit point recording `lastAppliedLogIndex` (opaque here; the node
    /// replays its log after it). If any step fails, the previous commit stays the index.
    public func commit(lastAppliedLogIndex: UInt64 = 0) throws(IndexError) {
        try withFlushedLock { s throws(IndexError) in
            try checkOpen(s)
            try flushLocked(&s)
            publishLocked(s)
            do {
                for i in s.segments.indices where !s.segments[i].synced {
                    for f in s.segments[i].reader.fileNames { try directory.sync(f) }
                    s.segments[i].synced = true
                }
                var entries: [CommitPoint.Segment] = []
                var generations: [Int] = []
                for seg in s.segments {
                    var generation = seg.deletesGeneration
                    if seg.deletesDirty {
                        generation += 1
                        let name = SegmentFileNames.liveDocs(seg.reader.name, generation: generation)
                        let file = try directory.fileIO.openForWriting(directory.filePath(name), truncate: true)
                        try file.write(seg.liveDocs.encode(segment: seg.reader.name, codec: codec))
                        try file.sync()
                        try file.close()
                    }
                    generations.append(generation)
                    entries.append(CommitPoint.Segment(name: seg.reader.name, maxDoc: seg.reader.maxDoc, deletesGeneration: generation,
                                                       deletedCount: seg.liveDocs.deletedCount))
                }
                let commit = CommitPoint(generation: s.commit.generation + 1, segments: entries, lastAppliedLogIndex: lastAppliedLogIndex,
                                         nextSegmentNumber: s.nextSegmentNumber)
                // New files' names must be durable before a commit that names them is.
                try directory.syncDirectory()
                try directory.atomicWrite(commit.fileName, contents: commit.encode())
                deleter.incRef(commit.files)
                let old = s.commit
                s.commit = commit
                for i in s.segments.indices {
                    s.segments[i].deletesGeneration = generations[i]
                    s.segments[i].deletesDirty = false
                }
                deleter.decRef(old.files)
            } catch {
                throw IndexError.wrap(error)
            }
        }
    }

    /// Stops background work (auto refresh, merges: waits for running ones). Does not commit.
    public func close() {
        waitForFlushes()
        state.withLock { s in if s.closed == nil { s.closed = "closed" } }
        waitForMerges()
        // From now on the next writer owns the directory (and cleans up at its open): files
        // released by this writer's remaining snapshots are left alone.
        deleter.disarm()
    }

    // MARK: Merges

    /// Blocks until no background merge is running.
    public func waitForMerges() {
        while state.withLock({ $0.runningMerges }) > 0 { usleep(2000) }
    }

    /// Merges until at most `maxSegments` segments remain (the optimize endpoint); runs on the
    /// caller's thread after background merges finish. The result is published, and durable at
    /// the next commit.
    public func forceMerge(maxSegments: Int) throws(IndexError) {
        try refresh()
        waitForMerges()
        while true {
            let merges: [[String]] = try state.withLock { s throws(IndexError) -> [[String]] in
                try checkOpen(s)
                let candidates = s.segments.filter { !$0.merging }.map(Self.candidate)
                let merges = options.mergePolicy.findForcedMerges(candidates, maxSegments: maxSegments)
                for m in merges { markMerging(m, &s, true) }
                s.runningMerges += merges.count
                return merges
            }
            if merges.isEmpty { return }
            var failure: IndexError?
            for m in merges {
                do { try runMerge(m) } catch { failure = failure ?? IndexError.wrap(error) }
                state.withLock { $0.runningMerges -= 1 }
            }
            if let failure { throw failure }
        }
    }

    private static func candidate(_ s: LiveSegment) -> MergeCandidate {
        MergeCandidate(name: s.reader.name, sizeInBytes: s.reader.sizeInBytes, maxDoc: s.reader.maxDoc, deletedCount: s.liveDocs.deletedCount)
    }

    private func markMerging(_ names: [String], _ s: inout State, _ value: Bool) {
        for i in s.segments.indices where names.contains(s.segments[i].reader.name) { s.segments[i].merging = value }
    }

    /// Starts the merges the policy asks for, up to the concurrency limit, on background threads.
    func maybeMerge() {
        guard options.backgroundMerges else { return }
        let merges: [[String]] = state.withLock { s in
            guard s.closed == nil, s.runningMerges < options.maxConcurrentMerges else { return [] }
            let candidates = s.segments.filter { !$0.merging }.map(Self.candidate)
            let merges = Array(options.mergePolicy.findMerges(candidates).prefix(options.maxConcurrentMerges - s.runningMerges))
            for m in merges { markMerging(m, &s, true) }
            s.runningMerges += merges.count
            return merges
        }
        for m in merges {
            Thread.detachNewThread { [self] in
                var failure: IndexError?
                do { try runMerge(m) } catch { failure = IndexError.wrap(error) }
                state.withLock { s in
                    s.runningMerges -= 1
                    if let failure { s.lastMergeError = failure }
                }
                if failure == nil { maybeMerge() }
            }
        }
    }

    /// Merges the named segments (already marked merging) and publishes the result.
    private func runMerge(_ names: [String]) throws(IndexError) {
        let (sources, name) = state.withLock { s -> ([(SegmentHandle, LiveDocs)], String) in
            let sources = s.segments.filter { names.contains($0.reader.name) }.map { ($0.handle, $0.liveDocs) }
            return (sources, s.nextSegmentName())
        }
        do {
            // Full verification before a merge reads a segment: a corrupt one must not spread.
            for (handle, _) in sources { try handle.reader.verifyChecksums() }
            let merger = SegmentMerger(sources: sources.map { SegmentMerger.Source(reader: $0.0.reader, liveDocs: $0.1) }, fields: fields, codec: codec)
            let (info, maps) = try merger.merge(into: directory, name: name)
            let reader = try SegmentReader.open(directory: directory, name: info.name, codecs: codecs, verify: false)
            let handle = SegmentHandle(reader: reader, deleter: deleter)
            state.withLock { s in
                var live = LiveDocs(maxDoc: info.maxDoc)
                var position = s.segments.count
                for (k, source) in sources.enumerated() {
                    guard let i = s.segments.firstIndex(where: { $0.handle === source.0 }) else { continue }
                    position = min(position, i)
                    let now = s.segments[i].liveDocs
                    if now.deletedCount != source.1.deletedCount {
                        // Deleted while the merge ran: carry over to the merged segment.
                        for d in 0..<source.0.reader.maxDoc where now.isDeleted(Int32(d)) && source.1.isLive(Int32(d)) {
                            let new = maps[k][d]
                            if new >= 0 { live.delete(new) }
                        }
                    }
                }
                s.segments.removeAll { segment in sources.contains { $0.0 === segment.handle } }
                let merged = LiveSegment(handle: handle, liveDocs: live, deletesGeneration: 0, deletesDirty: live.hasDeletions, synced: false)
                s.segments.insert(merged, at: min(position, s.segments.count))
                s.completedMerges += 1
                publishLocked(s)
            }
        } catch {
            state.withLock { s in markMerging(names, &s, false) }
            throw IndexError.wrap(error)
        }
    }

    // MARK: Internals (call with the lock held)

    private func checkOpen(_ s: State) throws(IndexError) {
        if let reason = s.closed { throw IndexError.closed(reason: reason) }
    }

    /// `_<counter>_<random>`: the counter orders segments and is persisted in commits; the
    /// random part keeps a name from ever being reused, even by a writer opened while an
    /// earlier one's snapshots (which release their files by name) are still alive.

    enum BudgetAction {
        case none
        /// The buffer was frozen: write it on a background thread.
        case flush(FlushJob)
        /// Over budget while a flush is still running: wait for it (back pressure, so memory
        /// stays within about twice the budget).
        case wait
    }

    struct FlushJob: Sendable {
        let name: String
        let buffer: SegmentWriter
    }

    private func addLocked(_ document: Document, _ s: inout State) throws(IndexError) -> BudgetAction {
        let doc = try s.buffer.add(document)
        if let id = document.text(config.idField) { s.bufferIds[id] = doc }
        s.addsSinceRamCheck += 1
        guard s.addsSinceRamCheck >= 32 else { return .none }
        s.addsSinceRamCheck = 0
        guard s.buffer.ramBytes >= options.ramBudgetBytes else { return .none }
        guard s.pendingFlushes.isEmpty else { return .wait }
        // Freeze the buffer; indexing continues into a new one while a thread writes it.
        let job = FlushJob(name: s.nextSegmentName(), buffer: s.buffer)
        s.pendingFlushes.append(PendingFlush(name: job.name, ids: s.bufferIds, deleted: s.bufferDeleted, buffer: s.buffer))
        s.buffer = SegmentWriter(fields: fields, analyzers: analyzers)
        s.bufferIds = [:]
        s.bufferDeleted = []
        return .flush(job)
    }

    private func handle(_ action: BudgetAction) {
        switch action {
        case .none: break
        case .wait: waitForFlushes()
        case .flush(let job): Thread.detachNewThread { [self] in runFlush(job) }
        }
    }

    /// Writes a frozen buffer and publishes it. A failure here loses buffered documents, so the
    /// writer stops (every later call fails) and must be reopened from its last commit; the
    /// node then replays its log from that commit's index.
    private func runFlush(_ job: FlushJob) {
        do {
            let info = try job.buffer.flush(directory: directory, name: job.name, codec: codec)
            let reader = try SegmentReader.open(directory: directory, name: info.name, codecs: codecs, verify: false)
            let handle = SegmentHandle(reader: reader, deleter: deleter)
            state.withLock { s in
                guard let i = s.pendingFlushes.firstIndex(where: { $0.name == job.name }) else { return }
                let pending = s.pendingFlushes.remove(at: i)
                var live = LiveDocs(maxDoc: info.maxDoc)
                for d in pending.deleted { live.delete(d) }
                s.segments.append(LiveSegment(handle: handle, liveDocs: live, deletesGeneration: 0, deletesDirty: live.hasDeletions, synced: false))
                publishLocked(s)
            }
            maybeMerge()
        } catch {
            for f in SegmentFileNames.all(job.name) { try? directory.delete(f) }
            state.withLock { s in
                s.pendingFlushes.removeAll { $0.name == job.name }
                s.closed = "a background flush failed (\(IndexError.wrap(error))); reopen the index from its last commit"
            }
        }
    }

    /// Blocks until no background flush is running.
    public func waitForFlushes() {
        while state.withLock({ !$0.pendingFlushes.isEmpty }) { usleep(1000) }
    }

    /// Runs `body` under the lock once no background flush is running, so it sees every
    /// document added before the call.
    private func withFlushedLock<R>(_ body: (inout State) throws(IndexError) -> R) throws(IndexError) -> R {
        while true {
            waitForFlushes()
            let result: R? = try state.withLock { s throws(IndexError) -> R? in
                guard s.pendingFlushes.isEmpty else { return nil }
                return try body(&s)
            }
            if let result { return result }
        }
    }

    @discardableResult
    private func deleteLocked(id: String, _ s: inout State) throws(IndexError) -> Int {
        var count = 0
        if let d = s.bufferIds.removeValue(forKey: id) {
            s.bufferDeleted.append(d)
            count += 1
        }
        for i in s.pendingFlushes.indices {
            if let d = s.pendingFlushes[i].ids.removeValue(forKey: id) {
                s.pendingFlushes[i].deleted.append(d)
                count += 1
            }
        }
        let term = Array(id.utf8)
        do {
            for i in s.segments.indices {
                guard var postings = try s.segments[i].reader.postings(config.idField, term: term) else { continue }
                while true {
                    let doc = try postings.next()
                    if doc == PostingsIterator.noMoreDocs { break }
                    if s.segments[i].delete(doc) { count += 1 }
                }
            }
        } catch {
            throw IndexError.wrap(error)
        }
        return count
    }

    private func flushLocked(_ s: inout State) throws(IndexError) {
        guard !s.buffer.isEmpty else { return }
        let name = s.nextSegmentName()
        do {
            let info = try s.buffer.flush(directory: directory, name: name, codec: codec)
            let reader = try SegmentReader.open(directory: directory, name: info.name, codecs: codecs, verify: false)
            var live = LiveDocs(maxDoc: info.maxDoc)
            for d in s.bufferDeleted { live.delete(d) }
            s.segments.append(LiveSegment(handle: SegmentHandle(reader: reader, deleter: deleter), liveDocs: live, deletesGeneration: 0,
                                          deletesDirty: live.hasDeletions, synced: false))
        } catch {
            for f in SegmentFileNames.all(name) { try? directory.delete(f) }
            throw IndexError.wrap(error)
        }
        s.buffer = SegmentWriter(fields: fields, analyzers: analyzers)
        s.bufferIds = [:]
        s.bufferDeleted = []
    }

    private func publishLocked(_ s: State) {
        let snapshot = IndexSnapshot(segments: s.segments.map { ($0.handle, $0.liveDocs) })
        published.withLock { $0 = snapshot }
    }

    private func startAutoRefresh() {
        guard let interval = options.refreshInterval else { return }
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        Thread.detachNewThread { [weak self] in
            while true {
                Thread.sleep(forTimeInterval: seconds)
                guard let writer = self else { return }
                if writer.state.withLock({ $0.closed != nil }) { return }
                try? writer.refresh()
            }
        }
    }
}

