/// The list of files a node streams to a follower that must install a snapshot (DESIGN.md,
/// "Snapshots"): the catalog and every file of each index's pinned commit point, laid out as in
/// a node directory (`_node/catalog`, `<indexID>/<file>`), each with its size and XXH64. The
/// follower checks every byte it streamed against it before it swaps anything in, so a torn
/// transfer or a flipped bit never becomes its state.
public struct SnapshotTransferManifest: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        /// `_node/catalog` or `<indexID>/<file>` (the names a backup has, checked on decode).
        public var path: String
        public var size: UInt64
        /// XXH64 of the whole file (`Checksum`).
        public var checksum: UInt64

        public init(path: String, size: UInt64, checksum: UInt64) {
            self.path = path
            self.size = size
            self.checksum = checksum
        }
    }

    static let formatVersion: UInt8 = 1
    static let catalogPath = NodeBackup.catalogEntry

    /// Every piece (each index, the catalog) holds every entry up to this log index, and
    /// possibly more: replay after it skips, piece by piece, what a piece already holds.
    public var logIndex: UInt64
    public var files: [File]

    public init(logIndex: UInt64, files: [File]) {
        self.logIndex = logIndex
        self.files = files
    }

    /// The index ids the manifest carries, in file order.
    var indexIDs: [String] {
        var seen = Set<String>()
        var ids: [String] = []
        for file in files where file.path != Self.catalogPath {
            let id = String(file.path.prefix { $0 != "/" })
            if seen.insert(id).inserted { ids.append(id) }
        }
        return ids
    }

    public func encoded() -> [UInt8] {
        var out = DataOutput()
        out.writeByte(Self.formatVersion)
        out.writeVInt(logIndex)
        out.writeVInt(files.count)
        for file in files {
            out.writeString(file.path)
            out.writeVInt(file.size)
            out.writeUInt64(file.checksum)
        }
        return out.bytes
    }

    /// - Throws: `StoreError.corrupt` for another format, a truncated manifest, an unsafe or
    ///   repeated path, or a manifest without the catalog.
    public static func decode(_ bytes: [UInt8]) throws(StoreError) -> SnapshotTransferManifest {
        let result: Result<SnapshotTransferManifest, StoreError> = bytes.withUnsafeBytes { raw in
            do throws(StoreError) {
                var input = DataInput(raw, file: "snapshot transfer manifest")
                let version = try input.readByte()
                guard version == formatVersion else { throw input.corrupt("format \(version), expected \(formatVersion)") }
                var manifest = SnapshotTransferManifest(logIndex: try input.readVInt(), files: [])
                let count = try input.readVInt(max: input.remaining)
                var paths = Set<String>()
                for _ in 0..<count {
                    let file = File(path: try input.readString(max: 600), size: try input.readVInt(), checksum: try input.readUInt64())
                    guard NodeBackup.isSafeEntryName(file.path), paths.insert(file.path).inserted else {
                        throw input.corrupt("unsafe or repeated file name '\(file.path)'")
                    }
                    manifest.files.append(file)
                }
                guard input.isAtEnd else { throw input.corrupt("trailing bytes") }
                guard paths.contains(catalogPath) else { throw input.corrupt("no \(catalogPath)") }
                return .success(manifest)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
