/// The header every segment and commit file starts with, and the footer it ends with.
///
/// Header: magic `CKTR`, format version (u16), the file's kind ("postings", "terms"...), the
/// codec name and version that compressed its blocks, and the segment name (so a file copied
/// into the wrong segment is caught), each string length-prefixed. Footer (16 bytes): magic
/// `CKFT`, 4 reserved zero bytes, and the XXH64 of every byte before the checksum itself.
/// A reader checks both ends and, on first open, the checksum, and names the file it rejects.
public struct FileHeader: Sendable, Equatable {
    public static let magic: UInt32 = 0x5254_4B43 // "CKTR" little-endian
    public static let footerMagic: UInt32 = 0x5446_4B43 // "CKFT"
    public static let footerSize = 16
    /// Bump on any change to a file layout; readers refuse versions outside
    /// `oldestReadableVersion...formatVersion` by name, and read older ones the way they were
    /// written (a merge rewrites them in the current format). 2: full postings blocks in
    /// `LanePacker`'s interleaved layout (1: `BitPacker`'s sequential one). 3: skip entries in
    /// fixed-width columns (2: variable-byte entries).
    public static let formatVersion: UInt16 = 3
    /// The oldest version this build still reads.
    public static let oldestReadableVersion: UInt16 = 1

    /// What the file holds: readers check it so that files cannot be swapped.
    public var kind: String
    public var codecName: String
    public var codecVersion: Int
    public var segment: String
    public var formatVersion: UInt16 = FileHeader.formatVersion

    public init(kind: String, codecName: String, codecVersion: Int, segment: String) {
        self.kind = kind
        self.codecName = codecName
        self.codecVersion = codecVersion
        self.segment = segment
    }

    /// Appends the encoded header to `out`.
    public func encode(into out: inout DataOutput) {
        out.writeUInt32(Self.magic)
        out.writeUInt16(formatVersion)
        out.writeString(kind)
        out.writeString(codecName)
        out.writeUInt16(UInt16(clamping: codecVersion))
        out.writeString(segment)
    }

    /// Checks a whole file: header, footer magic and (when `checksum`) the XXH64 footer.
    ///
    /// - Returns: the header and the byte range of the body between header and footer.
    /// - Throws: `StoreError.corrupt` naming the file: bad magic, unknown version, wrong kind or
    ///   segment, truncation, checksum mismatch.
    public static func verify(_ file: ReadOnlyFile, kind: String, segment: String?, checksum: Bool) throws(StoreError) -> (header: FileHeader, body: Range<Int>) {
        let bytes = file.bytes
        guard bytes.count >= footerSize + 12 else {
            throw StoreError.corrupt(path: file.path, offset: nil, reason: "truncated: \(bytes.count) bytes is shorter than a header and footer")
        }
        var input = DataInput(bytes, file: file.path)
        guard try input.readUInt32() == magic else {
            throw StoreError.corrupt(path: file.path, offset: 0, reason: "bad magic: not a Cockatrice file")
        }
        let version = try input.readUInt16()
        guard (oldestReadableVersion...formatVersion).contains(version) else {
            throw StoreError.corrupt(path: file.path, offset: 4,
                                     reason: "format version \(version), this build reads \(oldestReadableVersion) to \(formatVersion)")
        }
        let fileKind = try input.readString(max: 64)
        let codecName = try input.readString(max: 256)
        let codecVersion = Int(try input.readUInt16())
        let segmentName = try input.readString(max: 256)
        let footerStart = bytes.count - footerSize
        guard input.position <= footerStart else {
            throw StoreError.corrupt(path: file.path, offset: nil, reason: "truncated: header runs into the footer")
        }
        let footerMagicRead = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: footerStart, as: UInt32.self))
        guard footerMagicRead == footerMagic else {
            throw StoreError.corrupt(path: file.path, offset: footerStart, reason: "bad footer magic (truncated or damaged file)")
        }
        if checksum {
            let stored = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: footerStart + 8, as: UInt64.self))
            let actual = Checksum.hash(UnsafeRawBufferPointer(rebasing: bytes[0..<(footerStart + 8)]))
            guard stored == actual else {
                throw StoreError.corrupt(path: file.path, offset: nil, reason: "checksum mismatch (stored \(stored), computed \(actual))")
            }
        }
        guard fileKind == kind else {
            throw StoreError.corrupt(path: file.path, offset: nil, reason: "holds '\(fileKind)', expected '\(kind)'")
        }
        if let segment, segmentName != segment {
            throw StoreError.corrupt(path: file.path, offset: nil, reason: "belongs to segment '\(segmentName)', expected '\(segment)'")
        }
        var header = FileHeader(kind: fileKind, codecName: codecName, codecVersion: codecVersion, segment: segmentName)
        header.formatVersion = version
        return (header, input.position..<footerStart)
    }
}

/// A file being written: buffered appends, a running checksum, and a footer at `finish()`.
///
/// Owned by one writer at a time (not thread-safe). Nothing is durable until `finish(sync:)`
/// with `sync: true` or a later `IndexDirectory.sync(_:)`.
public final class IndexOutput {
    private let file: any WritableFile
    private var buffer: [UInt8] = []
    private var checksum = Checksum()
    /// Bytes written so far, including buffered ones: the offset the next write lands at.
    public private(set) var position = 0
    public var path: String { file.path }

    init(file: any WritableFile) {
        self.file = file
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        position += bytes.count
        if buffer.count + bytes.count > (1 << 16) {
            try flushBuffer()
            if bytes.count >= (1 << 16) {
                checksum.update(bytes)
                try file.write(bytes)
                return
            }
        }
        buffer.append(contentsOf: bytes)
    }

    public func write(_ bytes: [UInt8]) throws(StoreError) {
        let r: Result<Void, StoreError> = bytes.withUnsafeBytes { raw in Result { () throws(StoreError) in try write(raw) } }
        try r.get()
    }

    public func write(_ data: DataOutput) throws(StoreError) { try write(data.bytes) }

    private func flushBuffer() throws(StoreError) {
        guard !buffer.isEmpty else { return }
        checksum.update(buffer)
        try file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes the footer, optionally fsyncs, and closes the file.
    public func finish(sync: Bool) throws(StoreError) {
        var footer = DataOutput()
        footer.writeUInt32(FileHeader.footerMagic)
        footer.writeUInt32(0)
        buffer.append(contentsOf: footer.bytes)
        position += 8
        try flushBuffer()
        var tail = DataOutput()
        tail.writeUInt64(checksum.finalize())
        try file.write(tail.bytes)
        position += 8
        if sync { try file.sync() }
        try file.close()
    }

    /// Closes without a footer (the caller abandons the file and deletes it).
    public func abandon() {
        try? file.close()
    }
}
