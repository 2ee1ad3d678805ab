import Foundation
internal import ZIPFoundation

/// The backup zip (`PUT /snapshot`, `cockatrice snapshot`, `--restore`): every index's durable
/// commit point and the files it names, plus the catalog, laid out as in a node directory:
///
///     _node/catalog
///     <indexID>/commit_<gen>
///     <indexID>/<segment files>
///
/// Segment files are stored, not recompressed (their blocks are compressed already); entries
/// and the archive switch to zip64 by themselves past 4 GiB. The zip lives on the real disk
/// (`--snapshot-file`), whatever file I/O the node's own files go through.
enum NodeBackup {
    static let catalogEntry = "_node/" + IndexCatalog.fileName
    /// Present in `<root>/_node` while a restore lays the node out; a node refuses to open
    /// while it is there (a restore that did not finish is not a node).
    static let restoreMarker = "restore-incomplete"

    /// One file of the zip: its entry name and its bytes (a mapping, kept alive until zipped).
    struct Source: Sendable {
        let name: String
        let file: ReadOnlyFile
    }

    /// Writes `sources` as a zip at `path`: to a temp file beside it, fsync, rename, fsync of
    /// the directory, so `path` is always either the previous backup or the whole new one.
    ///
    /// - Returns: the zip's size in bytes.
    static func writeZip(_ sources: [Source], to path: String) throws -> Int {
        let io = LocalFileIO()
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try io.createDirectory(parent)
        let temp = path + ".tmp-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        do {
            try addEntries(sources, toNewZipAt: temp)
            let file = try io.openForWriting(temp, truncate: false)
            try file.sync()
            try file.close()
            try io.rename(temp, to: path)
            try io.syncDirectory(parent)
        } catch {
            try? io.removeFile(temp)
            throw error
        }
        return try io.fileSize(path)
    }

    /// The archive is closed (its last bytes written) when it goes out of scope here.
    private static func addEntries(_ sources: [Source], toNewZipAt path: String) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for source in sources {
            let bytes = source.file.bytes
            try archive.addEntry(with: source.name, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .none) { position, size in
                let start = min(Int(position), bytes.count)
                return Data(UnsafeRawBufferPointer(rebasing: bytes[start..<min(start + size, bytes.count)]))
            }
        }
    }

    /// The entries of a zip: name, whether stored uncompressed, and size (tests, tools).
    static func listEntries(_ zipPath: String) throws -> [(name: String, stored: Bool, size: Int)] {
        let archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .read)
        return archive.map { ($0.path, !$0.isCompressed, Int($0.uncompressedSize)) }
    }

    /// Whether a zip entry name is one a backup holds: `<directory>/<file>` with plain names
    /// (letters, digits, `.`, `_`, `-`; not `.` or `..`), and under `_node` only the catalog.
    /// Anything else (an absolute path, `..`, a backslash, a deeper path) could write outside
    /// the node directory when extracted (zip-slip) and is refused.
    static func isSafeEntryName(_ name: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        for part in parts {
            guard !part.isEmpty, part.utf8.count <= 255, part != ".", part != ".." else { return false }
            guard part.utf8.allSatisfy(isPlain) else { return false }
        }
        if parts[0] == "_node" { return name == catalogEntry }
        return true
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: false
        }
    }
}

/// Why a backup cannot be restored.
public enum NodeRestoreError: Error, Sendable, CustomStringConvertible {
    /// The target directory has files in it: a restore never mixes with an existing node.
    case notEmpty(root: String)
    /// An entry name that could escape the node directory, or that no backup has.
    case unsafeEntry(name: String)
    /// The zip is not a backup, or is damaged.
    case invalidBackup(path: String, reason: String)
    /// A restore into this directory did not finish.
    case incomplete(root: String)

    public var description: String {
        switch self {
        case .notEmpty(let root):
            "cannot restore into \(root): the directory is not empty (restore needs an empty or absent --index-dir)"
        case .unsafeEntry(let name):
            "refusing backup entry '\(name)': not a file name a backup holds (absolute paths and '..' are never extracted)"
        case .invalidBackup(let path, let reason):
            "\(path) is not a usable backup: \(reason)"
        case .incomplete(let root):
            "a restore into \(root) did not finish; remove the directory and restore again"
        }
    }
}
