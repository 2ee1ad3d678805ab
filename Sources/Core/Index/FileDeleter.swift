import Synchronization

/// Reference counts of index files: a file is deleted when neither a commit point nor an open
/// segment handle (the writer's, or a reader snapshot's) uses it any more, as tantivy's
/// `ManagedDirectory` and Lucene's `IndexFileDeleter` do. Deletions are not fsynced: a file
/// that comes back after a crash is unreferenced and cleaned when the index is next opened.
final class FileDeleter: Sendable {
    let directory: IndexDirectory
    private let counts = Mutex<[String: Int]>([:])
    private let armed = Atomic<Bool>(true)

    init(directory: IndexDirectory) {
        self.directory = directory
    }

    func incRef(_ files: [String]) {
        counts.withLock { c in for f in files { c[f, default: 0] += 1 } }
    }

    func decRef(_ files: [String]) {
        let dead: [String] = counts.withLock { c in
            var dead: [String] = []
            for f in files {
                guard let n = c[f] else { continue }
                if n <= 1 {
                    c[f] = nil
                    dead.append(f)
                } else {
                    c[f] = n - 1
                }
            }
            return dead
        }
        guard armed.load(ordering: .acquiring) else { return }
        for f in dead { try? directory.delete(f) }
    }

    /// Stops deleting files (the writer closed; the next one cleans up at open).
    func disarm() { armed.store(false, ordering: .releasing) }

    func isReferenced(_ file: String) -> Bool { counts.withLock { $0[file] != nil } }

    /// The referenced files (tests).
    var referenced: Set<String> { counts.withLock { Set($0.keys) } }
}

/// An open segment that keeps its files from deletion while any writer list or snapshot holds it.
final class SegmentHandle: Sendable {
    let reader: SegmentReader
    private let deleter: FileDeleter

    init(reader: SegmentReader, deleter: FileDeleter) {
        self.reader = reader
        self.deleter = deleter
        deleter.incRef(reader.fileNames)
    }

    deinit {
        deleter.decRef(reader.fileNames)
    }
}
