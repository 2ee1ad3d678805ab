/// One index's directory: named immutable files, atomic publication, and mmapped reads.
///
/// Everything goes through `FileIO`, so crash tests can substitute `SimulatedFileIO`. The
/// durability contract is explicit: `createOutput(...).finish(sync: true)` or `sync(_:)` makes
/// file data durable, `syncDirectory()` makes creates, renames and deletes durable, and
/// `atomicWrite` does all of it in the order that survives power loss (temp file, fsync,
/// rename, fsync of the directory), as tantivy's `atomic_write` and Lucene's
/// `pending_segments_N` do.
public struct IndexDirectory: Sendable {
    public let fileIO: any FileIO
    /// The directory's path.
    public let path: String

    public init(fileIO: any FileIO, path: String) {
        self.fileIO = fileIO
        self.path = path
    }

    /// The full path of `name` in this directory.
    public func filePath(_ name: String) -> String { path + "/" + name }

    /// Creates the directory if missing.
    public func create() throws(StoreError) { try fileIO.createDirectory(path) }

    /// The file names in the directory, sorted.
    public func list() throws(StoreError) -> [String] { try fileIO.listDirectory(path) }

    public func exists(_ name: String) -> Bool { fileIO.exists(filePath(name)) }

    public func fileSize(_ name: String) throws(StoreError) -> Int { try fileIO.fileSize(filePath(name)) }

    /// Creates (or empties) `name` and writes `header` into it.
    public func createOutput(_ name: String, header: FileHeader) throws(StoreError) -> IndexOutput {
        let output = IndexOutput(file: try fileIO.openForWriting(filePath(name), truncate: true))
        var data = DataOutput()
        header.encode(into: &data)
        try output.write(data)
        return output
    }

    /// Maps `name` and checks its header and footer (and, when `checksum`, every byte).
    public func openInput(_ name: String, kind: String, segment: String?, checksum: Bool) throws(StoreError) -> VerifiedFile {
        let file = try fileIO.readFile(filePath(name))
        let (header, body) = try FileHeader.verify(file, kind: kind, segment: segment, checksum: checksum)
        return VerifiedFile(name: name, file: file, header: header, body: body)
    }

    /// Makes a file written earlier (and closed) durable: fsync through a fresh handle.
    public func sync(_ name: String) throws(StoreError) {
        guard fileIO.exists(filePath(name)) else { throw StoreError.notFound(path: filePath(name)) }
        let handle = try fileIO.openForWriting(filePath(name), truncate: false)
        try handle.sync()
        try handle.close()
    }

    /// Makes the names in the directory durable.
    public func syncDirectory() throws(StoreError) { try fileIO.syncDirectory(path) }

    public func delete(_ name: String) throws(StoreError) { try fileIO.removeFile(filePath(name)) }

    /// Publishes `contents` (a complete file with header and footer) under `name` atomically:
    /// readers and crashes see either the old file or the whole new one.
    public func atomicWrite(_ name: String, contents: [UInt8]) throws(StoreError) {
        let temp = name + ".tmp"
        let file = try fileIO.openForWriting(filePath(temp), truncate: true)
        do {
            try file.write(contents)
            try file.sync()
            try file.close()
        } catch {
            try? file.close()
            try? fileIO.removeFile(filePath(temp))
            throw error
        }
        try fileIO.rename(filePath(temp), to: filePath(name))
        try syncDirectory()
    }

    /// A complete file image (header, body, footer with checksum) for `atomicWrite`.
    public static func fileImage(header: FileHeader, body: [UInt8]) -> [UInt8] {
        var out = DataOutput(capacity: body.count + 64)
        header.encode(into: &out)
        out.writeBytes(body)
        out.writeUInt32(FileHeader.footerMagic)
        out.writeUInt32(0)
        let sum = out.bytes.withUnsafeBytes { Checksum.hash($0) }
        out.writeUInt64(sum)
        return out.bytes
    }
}

/// A mapped file whose header and footer were checked: the body is what the structure's
/// reader decodes. Keeps the mapping alive.
public struct VerifiedFile: Sendable {
    public let name: String
    public let file: ReadOnlyFile
    public let header: FileHeader
    /// The bytes between header and footer.
    public let body: Range<Int>

    /// The body's bytes.
    public var bodyBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: file.bytes[body]) }

    /// A cursor over the whole file (offsets are file offsets), naming the file in errors.
    public func input(at offset: Int) -> DataInput { DataInput(file.bytes, file: file.path, position: offset) }
}
