import Synchronization

/// An in-memory `FileIO` that simulates power loss and I/O faults, for crash tests.
///
/// What `WritableFile.sync()` made durable (file data) and what `syncDirectory` made durable
/// (the names in a directory: creates, renames, deletes) survives `powerLoss()`; everything else
/// is lost or damaged, chosen by the seed: an unsynced tail is dropped, kept, cut short, zeroed,
/// or kept with one bit flipped, and an unsynced name change is undone. This is the model of
/// Lucene's MockDirectoryWrapper, and it is what tests the fsync ordering that a SIGKILL cannot
/// (the page cache survives a killed process).
///
/// Simplification: directories themselves are durable once created.
///
/// To crash at every step of an operation, run it once to count `mutatingOperations`, then for
/// each n run it with `failAfter(n)` (operation n and all later ones throw, as if the machine
/// stopped there), call `powerLoss()` and check the reopened state.
public final class SimulatedFileIO: FileIO, @unchecked Sendable {
    // @unchecked: all state is behind `state`'s lock; file handles reach it only through `self`.
    private let state: Mutex<State>

    /// Which operation an injected fault applies to.
    public enum Operation: Sendable, Hashable {
        case open, write, sync, truncate, rename, remove, createDirectory, syncDirectory
    }

    /// An injected failure: the next matching operation throws `errno` (EIO 5, ENOSPC 28...).
    public struct Fault: Sendable {
        public var operation: Operation
        public var pathContains: String?
        public var errno: Int32
        /// Whether the fault fires once (then is removed) or on every match.
        public var once: Bool

        public init(operation: Operation, pathContains: String? = nil, errno: Int32 = 5, once: Bool = true) {
            self.operation = operation
            self.pathContains = pathContains
            self.errno = errno
            self.once = once
        }
    }

    fileprivate struct Inode {
        var current: [UInt8] = []
        var durable: [UInt8] = []
    }

    fileprivate struct State {
        var rng: SplitMix64
        var inodes: [Int: Inode] = [:]
        var nextInode = 1
        var names: [String: Int] = [:]
        var durableNames: [String: Int] = [:]
        var directories: Set<String> = ["/"]
        /// Bumped at power loss; handles from an earlier generation are dead.
        var generation = 0
        var mutatingOperations = 0
        var failAfter: Int?
        var faults: [Fault] = []
        var capacity: Int?
    }

    /// - Parameter seed: chooses how unsynced data is damaged at `powerLoss()`.
    public init(seed: UInt64 = 0) {
        state = Mutex(State(rng: SplitMix64(seed: seed)))
    }

    // MARK: Test controls

    /// Mutating operations performed so far (writes, syncs, renames, ...).
    public var mutatingOperations: Int { state.withLock { $0.mutatingOperations } }

    /// Makes mutating operation number `n` (counted from the current count, 1-based) and all
    /// after it fail with EIO, as if power went out at that instant. nil disarms.
    public func failAfter(_ n: Int?) {
        state.withLock { s in s.failAfter = n.map { s.mutatingOperations + $0 } }
    }

    /// Adds a fault that fires on the next matching operation(s).
    public func inject(_ fault: Fault) {
        state.withLock { $0.faults.append(fault) }
    }

    /// Total bytes the simulated disk holds; writes past it fail with ENOSPC. nil is unlimited.
    public func setCapacity(_ bytes: Int?) {
        state.withLock { $0.capacity = bytes }
    }

    /// Simulates a power failure and reboot: unsynced names are undone, unsynced file data is
    /// dropped or damaged, open files become invalid, and armed failures are cleared.
    public func powerLoss() {
        state.withLock { s in
            s.names = s.durableNames
            let live = Set(s.names.values)
            var inodes: [Int: Inode] = [:]
            // In a fixed order: each file's fate is drawn from the seeded generator, and a Set's
            // order changes from one process to the next (a seed must replay exactly).
            for id in live.sorted() {
                guard var inode = s.inodes[id] else { continue }
                inode.current = Self.afterCrash(inode, rng: &s.rng)
                inode.durable = inode.current
                inodes[id] = inode
            }
            s.inodes = inodes
            s.generation += 1
            s.failAfter = nil
            s.faults = []
        }
    }

    /// The content a file has after power loss: its durable bytes, plus maybe a damaged version
    /// of what was written after them.
    private static func afterCrash(_ inode: Inode, rng: inout SplitMix64) -> [UInt8] {
        let durable = inode.durable
        let current = inode.current
        guard current.count > durable.count, current.starts(with: durable) else {
            // Truncated or rewritten since the last sync: either state may have reached the disk.
            return rng.next() % 2 == 0 ? durable : current
        }
        let tail = current.count - durable.count
        switch rng.next() % 5 {
        case 0:
            return durable
        case 1:
            return current
        case 2:
            return Array(current[0..<(durable.count + Int(rng.next() % UInt64(tail)))])
        case 3:
            var damaged = current
            let from = durable.count + Int(rng.next() % UInt64(tail))
            for i in from..<damaged.count { damaged[i] = 0 }
            return damaged
        default:
            var damaged = current
            let at = durable.count + Int(rng.next() % UInt64(tail))
            damaged[at] ^= UInt8(1) << UInt8(rng.next() % 8)
            return damaged
        }
    }

    /// Simulates a killed process (SIGKILL) without power loss: open files become invalid, but
    /// everything written stays in the page cache, synced or not, and may still be lost by a
    /// later `powerLoss()` unless someone syncs it.
    public func processCrash() {
        state.withLock { s in
            s.generation += 1
            s.failAfter = nil
            s.faults = []
        }
    }

    /// The bytes a file holds now (synced or not), for assertions.
    public func contents(_ path: String) -> [UInt8]? {
        let path = Self.normalize(path)
        return state.withLock { s in s.names[path].flatMap { s.inodes[$0]?.current } }
    }

    // MARK: FileIO

    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// Counts a mutating operation and throws if it was armed to fail or a fault matches.
    private func check(_ s: inout State, _ operation: Operation, _ path: String) throws(StoreError) {
        s.mutatingOperations += 1
        if let limit = s.failAfter, s.mutatingOperations >= limit {
            throw StoreError.io(path: path, operation: "\(operation)", errno: 5, message: "simulated power loss")
        }
        if let i = s.faults.firstIndex(where: { $0.operation == operation && ($0.pathContains.map { path.contains($0) } ?? true) }) {
            let fault = s.faults[i]
            if fault.once { s.faults.remove(at: i) }
            throw StoreError.io(path: path, operation: "\(operation)", errno: fault.errno, message: "injected fault")
        }
    }

    private func requireDirectory(_ s: State, _ path: String) throws(StoreError) {
        guard s.directories.contains(Self.parent(path)) else { throw StoreError.notFound(path: Self.parent(path)) }
    }

    public func createDirectory(_ path: String) throws(StoreError) {
        let path = Self.normalize(path)
        try state.withLock { s throws(StoreError) in
            if s.directories.contains(path) { return }
            try check(&s, .createDirectory, path)
            var prefix = ""
            for part in path.split(separator: "/") {
                prefix += "/" + part
                if s.names[prefix] != nil { throw StoreError.io(path: prefix, operation: "mkdir", errno: 17, message: "file exists") }
                s.directories.insert(prefix)
            }
        }
    }

    public func listDirectory(_ path: String) throws(StoreError) -> [String] {
        let path = Self.normalize(path)
        return try state.withLock { s throws(StoreError) in
            guard s.directories.contains(path) else { throw StoreError.notFound(path: path) }
            let prefix = path == "/" ? "/" : path + "/"
            var result: Set<String> = []
            for name in s.names.keys where name.hasPrefix(prefix) && Self.parent(name) == path {
                result.insert(String(name.dropFirst(prefix.count)))
            }
            for dir in s.directories where dir != path && dir.hasPrefix(prefix) && Self.parent(dir) == path {
                result.insert(String(dir.dropFirst(prefix.count)))
            }
            return result.sorted()
        }
    }

    public func exists(_ path: String) -> Bool {
        let path = Self.normalize(path)
        return state.withLock { $0.names[path] != nil || $0.directories.contains(path) }
    }

    public func fileSize(_ path: String) throws(StoreError) -> Int {
        let path = Self.normalize(path)
        return try state.withLock { s throws(StoreError) in
            guard let id = s.names[path], let inode = s.inodes[id] else { throw StoreError.notFound(path: path) }
            return inode.current.count
        }
    }

    public func openForWriting(_ path: String, truncate: Bool) throws(StoreError) -> any WritableFile {
        let path = Self.normalize(path)
        let (id, generation) = try state.withLock { s throws(StoreError) -> (Int, Int) in
            try requireDirectory(s, path)
            try check(&s, .open, path)
            if let id = s.names[path] {
                if truncate { s.inodes[id]?.current = [] }
                return (id, s.generation)
            }
            let id = s.nextInode
            s.nextInode += 1
            s.inodes[id] = Inode()
            s.names[path] = id
            return (id, s.generation)
        }
        return SimulatedWritableFile(fileIO: self, path: path, inode: id, generation: generation)
    }

    public func readFile(_ path: String) throws(StoreError) -> ReadOnlyFile {
        let path = Self.normalize(path)
        let bytes = try state.withLock { s throws(StoreError) -> [UInt8] in
            guard let id = s.names[path], let inode = s.inodes[id] else { throw StoreError.notFound(path: path) }
            return inode.current
        }
        return ReadOnlyFile(path: path, copying: bytes)
    }

    public func rename(_ from: String, to: String) throws(StoreError) {
        let from = Self.normalize(from)
        let to = Self.normalize(to)
        try state.withLock { s throws(StoreError) in
            guard let id = s.names[from] else { throw StoreError.notFound(path: from) }
            try requireDirectory(s, to)
            try check(&s, .rename, from)
            s.names[from] = nil
            s.names[to] = id
        }
    }

    public func removeFile(_ path: String) throws(StoreError) {
        let path = Self.normalize(path)
        try state.withLock { s throws(StoreError) in
            guard s.names[path] != nil else { throw StoreError.notFound(path: path) }
            try check(&s, .remove, path)
            s.names[path] = nil
        }
    }

    public func removeTree(_ path: String) throws(StoreError) {
        let path = Self.normalize(path)
        try state.withLock { s throws(StoreError) in
            if s.names[path] != nil {
                try check(&s, .remove, path)
                s.names[path] = nil
                return
            }
            guard s.directories.contains(path) else { return }
            try check(&s, .remove, path)
            let prefix = path + "/"
            for name in s.names.keys where name.hasPrefix(prefix) { s.names[name] = nil }
            s.directories = s.directories.filter { $0 != path && !$0.hasPrefix(prefix) }
        }
    }

    public func syncDirectory(_ path: String) throws(StoreError) {
        let path = Self.normalize(path)
        try state.withLock { s throws(StoreError) in
            guard s.directories.contains(path) else { throw StoreError.notFound(path: path) }
            try check(&s, .syncDirectory, path)
            let children = Set(s.names.keys.filter { Self.parent($0) == path })
                .union(s.durableNames.keys.filter { Self.parent($0) == path })
            for name in children { s.durableNames[name] = s.names[name] }
            // Durable names inside subdirectories that were removed go with them.
            let prefix = path == "/" ? "/" : path + "/"
            for name in s.durableNames.keys where name.hasPrefix(prefix) && !s.directories.contains(Self.parent(name)) {
                s.durableNames[name] = nil
            }
        }
    }

    // MARK: Handles

    fileprivate func withLiveInode<R>(_ handle: SimulatedWritableFile, _ operation: Operation,
                                      _ body: (inout Inode, inout State) throws(StoreError) -> R) throws(StoreError) -> R {
        try state.withLock { s throws(StoreError) -> R in
            guard handle.generation == s.generation, var inode = s.inodes[handle.inode] else {
                throw StoreError.io(path: handle.path, operation: "\(operation)", errno: 9, message: "file handle invalid after simulated power loss")
            }
            try check(&s, operation, handle.path)
            let result = try body(&inode, &s)
            s.inodes[handle.inode] = inode
            return result
        }
    }

    fileprivate func usedBytes(_ s: State) -> Int {
        s.inodes.values.reduce(0) { $0 + $1.current.count }
    }
}

/// A handle on a simulated file.
private final class SimulatedWritableFile: WritableFile {
    let fileIO: SimulatedFileIO
    let path: String
    let inode: Int
    let generation: Int
    private(set) var size: Int = 0
    private var closed = false

    init(fileIO: SimulatedFileIO, path: String, inode: Int, generation: Int) {
        self.fileIO = fileIO
        self.path = path
        self.inode = inode
        self.generation = generation
        self.size = (try? fileIO.fileSize(path)) ?? 0
    }

    private func ensureOpen() throws(StoreError) {
        if closed { throw StoreError.io(path: path, operation: "write", errno: 9, message: "file is closed") }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        try ensureOpen()
        let fileIO = self.fileIO
        size = try fileIO.withLiveInode(self, .write) { inode, s throws(StoreError) -> Int in
            if let capacity = s.capacity, fileIO.usedBytes(s) + bytes.count > capacity {
                throw StoreError.io(path: path, operation: "write", errno: 28, message: "no space left on device (simulated)")
            }
            inode.current.append(contentsOf: bytes)
            return inode.current.count
        }
    }

    func sync() throws(StoreError) {
        try ensureOpen()
        try fileIO.withLiveInode(self, .sync) { inode, _ throws(StoreError) in inode.durable = inode.current }
    }

    func truncate(to newSize: Int) throws(StoreError) {
        try ensureOpen()
        size = try fileIO.withLiveInode(self, .truncate) { inode, _ throws(StoreError) -> Int in
            if newSize < inode.current.count {
                inode.current.removeLast(inode.current.count - newSize)
            } else {
                inode.current.append(contentsOf: repeatElement(0, count: newSize - inode.current.count))
            }
            return newSize
        }
    }

    func close() throws(StoreError) {
        closed = true
    }
}
