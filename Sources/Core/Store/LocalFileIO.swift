#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `FileIO` on the real disk, with POSIX calls: `fdatasync` for data, `fsync` of the directory
/// for names, `mmap` for reading immutable files.
public struct LocalFileIO: FileIO {
    public init() {}

    private static func failure(_ path: String, _ operation: String, _ code: Int32 = errno) -> StoreError {
        if code == ENOENT { return .notFound(path: path) }
        return .io(path: path, operation: operation, errno: code, message: String(cString: strerror(code)))
    }

    public func createDirectory(_ path: String) throws(StoreError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) == 0 {
                // The new directory's name lives in its parent: make it durable, or the whole
                // directory (and every fsynced file in it) can vanish at power loss.
                let parent = prefix.lastIndex(of: "/").map { String(prefix[..<$0]) } ?? "."
                try syncDirectory(parent.isEmpty ? "/" : parent)
            } else if errno != EEXIST {
                throw Self.failure(prefix, "mkdir")
            }
            prefix += "/"
        }
    }

    public func listDirectory(_ path: String) throws(StoreError) -> [String] {
        guard let dir = opendir(path) else { throw Self.failure(path, "opendir") }
        defer { closedir(dir) }
        var names: [String] = []
        // readdir returns NULL both at the end and on an error; only errno tells them apart.
        errno = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
            errno = 0
        }
        if errno != 0 { throw Self.failure(path, "readdir") }
        return names.sorted()
    }

    public func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    public func fileSize(_ path: String) throws(StoreError) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Self.failure(path, "stat") }
        return Int(info.st_size)
    }

    public func openForWriting(_ path: String, truncate: Bool) throws(StoreError) -> any WritableFile {
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw Self.failure(path, "open") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = Self.failure(path, "fstat")
            Glibc.close(fd)
            throw error
        }
        return LocalWritableFile(path: path, fd: fd, size: Int(info.st_size))
    }

    public func readFile(_ path: String) throws(StoreError) -> ReadOnlyFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure(path, "open") }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.failure(path, "fstat") }
        let size = Int(info.st_size)
        if size == 0 {
            return ReadOnlyFile(path: path, copying: [])
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), base != MAP_FAILED else {
            throw Self.failure(path, "mmap")
        }
        return ReadOnlyFile(path: path, bytes: UnsafeRawBufferPointer(start: base, count: size)) { bytes in
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        }
    }

    public func rename(_ from: String, to: String) throws(StoreError) {
        guard Glibc.rename(from, to) == 0 else { throw Self.failure(from, "rename to \(to)") }
    }

    public func removeFile(_ path: String) throws(StoreError) {
        guard unlink(path) == 0 else { throw Self.failure(path, "unlink") }
    }

    public func removeTree(_ path: String) throws(StoreError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw Self.failure(path, "lstat")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in try listDirectory(path) {
                try removeTree(path + "/" + name)
            }
            guard rmdir(path) == 0 else { throw Self.failure(path, "rmdir") }
        } else {
            try removeFile(path)
        }
    }

    public func syncDirectory(_ path: String) throws(StoreError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure(path, "open directory") }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw Self.failure(path, "fsync directory") }
    }
}

/// A file descriptor opened for appending.
final class LocalWritableFile: WritableFile {
    let path: String
    private var fd: Int32
    private(set) var size: Int

    init(path: String, fd: Int32, size: Int) {
        self.path = path
        self.fd = fd
        self.size = size
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    private func failure(_ operation: String) -> StoreError {
        let code = errno
        return .io(path: path, operation: operation, errno: code, message: String(cString: strerror(code)))
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        guard var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let n = Glibc.write(fd, base, remaining)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write")
            }
            remaining -= n
            base += n
            size += n
        }
    }

    func sync() throws(StoreError) {
        guard fdatasync(fd) == 0 else { throw failure("fdatasync") }
    }

    func truncate(to newSize: Int) throws(StoreError) {
        guard ftruncate(fd, off_t(newSize)) == 0 else { throw failure("ftruncate") }
        size = newSize
    }

    func close() throws(StoreError) {
        guard fd >= 0 else { return }
        let result = Glibc.close(fd)
        fd = -1
        if result != 0 { throw failure("close") }
    }
}
