/// One field's length norms in one segment: a byte per document, read straight off the mmap.
///
/// `.nrm` layout: each norm field's `maxDoc` bytes back to back, then the directory
/// `vint count, (vint field, vint offset)*`, then the directory's offset as u64.
public struct NormsReader: Sendable {
    @usableFromInline let file: ReadOnlyFile
    @usableFromInline let offset: Int
    public let maxDoc: Int

    /// The norm id of `doc` (see `FieldNorm`); 0 for an out-of-range doc.
    @inlinable
    public func normId(_ doc: Int32) -> UInt8 {
        let d = Int(doc)
        guard d >= 0 && d < maxDoc else { return 0 }
        return file.bytes[offset + d]
    }

    /// The (rounded) field length of `doc`.
    public func length(_ doc: Int32) -> UInt32 { FieldNorm.length(of: normId(doc)) }

    /// All norm ids, indexed by doc (valid while the reader lives).
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: file.bytes[offset..<offset + maxDoc]) }
}

/// Reads the trailing `(field -> offset)` directory that `.ter`, `.nrm` and `.dv` files end with.
enum FieldDirectory {
    static func write(_ entries: [(field: Int, values: [Int])], to output: IndexOutput) throws {
        var out = DataOutput()
        let start = output.position
        out.writeVInt(entries.count)
        for e in entries {
            out.writeVInt(e.field)
            out.writeVInt(e.values.count)
            for v in e.values { out.writeVInt(UInt64(bitPattern: Int64(v))) }
        }
        out.writeUInt64(UInt64(start))
        try output.write(out)
    }

    static func read(_ file: VerifiedFile) throws(SegmentError) -> [Int: [Int]] {
        let end = file.body.upperBound
        var input = file.input(at: end - 8)
        do {
            let start = Int(truncatingIfNeeded: try input.readUInt64())
            guard start >= file.body.lowerBound && start <= end - 8 else { throw input.corrupt("directory offset \(start)") }
            try input.seek(start)
            var result: [Int: [Int]] = [:]
            let count = try input.readVInt(max: 1 << 16)
            for _ in 0..<count {
                let field = try input.readVInt(max: 1 << 16)
                let n = try input.readVInt(max: 64)
                var values: [Int] = []
                for _ in 0..<n { values.append(Int(Int64(bitPattern: try input.readVInt()))) }
                result[field] = values
            }
            return result
        } catch {
            throw SegmentError.wrap(error, file: file.file.path)
        }
    }
}
