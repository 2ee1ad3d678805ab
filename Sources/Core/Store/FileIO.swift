/// The file operations every durable part of Cockatrice (segments, commit points, the Raft log
/// and hard state) goes through.
///
/// It exists so that tests can swap in a double that simulates power loss: on a simulated
/// crash, whatever was not made durable by `WritableFile.sync()` (file data) or
/// `syncDirectory` (creates, renames and deletes in a directory) is dropped, truncated, zeroed
/// or bit-flipped, as Lucene's MockDirectoryWrapper does. A SIGKILL never tests this: the page
/// cache survives it. Code that wants durability must therefore say exactly what it syncs.
public protocol FileIO: Sendable {
    /// Creates `path` and any missing parents (like `mkdir -p`); an existing directory is fine.
    func createDirectory(_ path: String) throws(StoreError)
    /// The names (not paths) of the entries of a directory, sorted.
    func listDirectory(_ path: String) throws(StoreError) -> [String]
    /// Whether a file or directory exists at `path`.
    func exists(_ path: String) -> Bool
    /// The size of a file in bytes.
    func fileSize(_ path: String) throws(StoreError) -> Int
    /// Opens a file for appending, creating it if missing; `truncate` empties an existing one.
    /// A new file's directory entry is durable only after `syncDirectory` of its directory.
    func openForWriting(_ path: String, truncate: Bool) throws(StoreError) -> any WritableFile
    /// Maps a whole file read-only. Callers use it for immutable files; the mapping stays valid
    /// while the returned object lives, even if the file is deleted meanwhile.
    func readFile(_ path: String) throws(StoreError) -> ReadOnlyFile
    /// Atomically replaces `to` with `from` (POSIX rename). Durable after `syncDirectory`.
    func rename(_ from: String, to: String) throws(StoreError)
    /// Deletes a file. Durable after `syncDirectory`.
    func removeFile(_ path: String) throws(StoreError)
    /// Deletes a directory and everything under it.
    func removeTree(_ path: String) throws(StoreError)
    /// Makes the creates, renames and deletes in directory `path` durable (fsync of the directory).
    func syncDirectory(_ path: String) throws(StoreError)
}

/// A file open for appending. Not thread-safe: one owner writes it.
public protocol WritableFile: AnyObject {
    /// The path the file was opened with.
    var path: String { get }
    /// The current size, including bytes not yet synced.
    var size: Int { get }
    /// Appends `bytes` at the end of the file.
    func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError)
    /// Makes everything written so far durable (fdatasync).
    func sync() throws(StoreError)
    /// Cuts the file to `size` bytes (a log dropping a torn or conflicting tail). Durable after `sync()`.
    func truncate(to size: Int) throws(StoreError)
    /// Closes the file. Unsynced data is not made durable by closing.
    func close() throws(StoreError)
}

extension WritableFile {
    /// Appends the bytes of an array.
    public func write(_ bytes: [UInt8]) throws(StoreError) {
        let result: Result<Void, StoreError> = bytes.withUnsafeBytes { raw in
            Result { () throws(StoreError) in try write(raw) }
        }
        try result.get()
    }
}

/// The read-only bytes of a whole file (an mmap on a real disk).
///
/// Immutable after creation, so it is safe to share between threads; `bytes` stays valid for the
/// object's lifetime.
public final class ReadOnlyFile: @unchecked Sendable {
    /// The path the file was read from, for error messages.
    public let path: String
    /// The file's contents.
    public let bytes: UnsafeRawBufferPointer
    private let release: @Sendable (UnsafeRawBufferPointer) -> Void

    /// Wraps memory the caller allocated or mapped; `release` frees it when the object dies.
    public init(path: String, bytes: UnsafeRawBufferPointer, release: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        self.path = path
        self.bytes = bytes
        self.release = release
    }

    /// A copy of `contents` owned by the object (for in-memory file systems).
    public convenience init(path: String, copying contents: [UInt8]) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(contents.count, 1), alignment: 16)
        contents.withUnsafeBytes { src in
            if let base = src.baseAddress { memory.baseAddress!.copyMemory(from: base, byteCount: src.count) }
        }
        self.init(path: path, bytes: UnsafeRawBufferPointer(rebasing: memory[0..<contents.count])) { bytes in
            // The slice starts at the allocation's base, so this frees what was allocated.
            UnsafeMutableRawPointer(mutating: bytes.baseAddress)?.deallocate()
        }
    }

    public var count: Int { bytes.count }

    /// The contents as an array. `bytes` points into this object, which Swift may free right
    /// after its last use, even in the middle of an expression such as `Array(file.bytes)`;
    /// this keeps it alive until the copy is made.
    public func copyBytes() -> [UInt8] {
        withExtendedLifetime(self) { Array(bytes) }
    }

    deinit {
        release(bytes)
    }
}

/// A file-system failure, naming the path and the operation.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operation failed with `errno`.
    case io(path: String, operation: String, errno: Int32, message: String)
    /// The file's contents are not what was written (checksum, magic, truncation).
    case corrupt(path: String, offset: Int?, reason: String)
    /// The file or directory does not exist.
    case notFound(path: String)

    public var description: String {
        switch self {
        case .io(let path, let operation, let code, let message):
            "\(operation) \(path): \(message) (errno \(code))"
        case .corrupt(let path, let offset, let reason):
            if let offset { "\(path): corrupt at offset \(offset): \(reason)" } else { "\(path): corrupt: \(reason)" }
        case .notFound(let path):
            "\(path): no such file or directory"
        }
    }

    /// Whether the failure is a full disk (ENOSPC), which callers report differently.
    public var isNoSpace: Bool {
        if case .io(_, _, let code, _) = self { return code == 28 }
        return false
    }
}
