/// Which documents of a segment are deleted: a bitmap, copied on write, so a reader snapshot
/// keeps the deletions it was taken with while the writer records new ones.
///
/// Segments are immutable; deletions are written as a new generation file
/// (`<segment>_<gen>.del`: vint maxDoc, vint deletedCount, the bitmap as little-endian u64
/// words) at commit.
public struct LiveDocs: Sendable, Equatable {
    public static let kind = "live-docs"
    public let maxDoc: Int
    private var words: [UInt64]
    /// Number of deleted documents.
    public private(set) var deletedCount: Int

    /// All documents live.
    public init(maxDoc: Int) {
        self.maxDoc = maxDoc
        words = [UInt64](repeating: 0, count: (maxDoc + 63) / 64)
        deletedCount = 0
    }

    /// Live documents.
    public var liveCount: Int { maxDoc - deletedCount }
    public var hasDeletions: Bool { deletedCount > 0 }

    @inlinable
    public func isLive(_ doc: Int32) -> Bool { !isDeleted(doc) }

    public func isDeleted(_ doc: Int32) -> Bool {
        let d = Int(doc)
        guard d >= 0 && d < maxDoc else { return true }
        return words[d >> 6] & (1 << UInt64(d & 63)) != 0
    }

    /// Marks `doc` deleted; returns false when it already was.
    @discardableResult
    public mutating func delete(_ doc: Int32) -> Bool {
        let d = Int(doc)
        precondition(d >= 0 && d < maxDoc, "doc \(d) outside 0..<\(maxDoc)")
        let bit: UInt64 = 1 << UInt64(d & 63)
        if words[d >> 6] & bit != 0 { return false }
        words[d >> 6] |= bit
        deletedCount += 1
        return true
    }

    func encode(segment: String, codec: any Codec) -> [UInt8] {
        var out = DataOutput(capacity: words.count * 8 + 16)
        out.writeVInt(maxDoc)
        out.writeVInt(deletedCount)
        for w in words { out.writeUInt64(w) }
        return IndexDirectory.fileImage(header: FileHeader(kind: Self.kind, codecName: codec.name, codecVersion: codec.version, segment: segment), body: out.bytes)
    }

    static func decode(_ file: VerifiedFile, maxDoc: Int) throws(SegmentError) -> LiveDocs {
        var input = file.input(at: file.body.lowerBound)
        do {
            let m = try input.readVInt(max: Int(Int32.max))
            guard m == maxDoc else { throw input.corrupt("live docs for \(m) documents, segment has \(maxDoc)") }
            let deleted = try input.readVInt(max: m)
            var live = LiveDocs(maxDoc: m)
            var count = 0
            for i in 0..<live.words.count {
                let w = try input.readUInt64()
                live.words[i] = w
                count += w.nonzeroBitCount
            }
            guard count == deleted else { throw input.corrupt("bitmap has \(count) deletions, header says \(deleted)") }
            live.deletedCount = count
            return live
        } catch {
            throw SegmentError.wrap(error, file: file.file.path)
        }
    }
}
