/// Passes a block of segment data through the segment's codec when that pays.
///
/// Layout of a block: `vint(rawLength << 1 | compressed)`, then `vint(storedLength)` when
/// compressed, then the payload (raw or compressed). A block is compressed only when that saves
/// at least 10% (DESIGN.md): bit-packed postings rarely compress, and skipping the codec there
/// keeps decoding at memory speed.
struct BlockCompression {
    let codec: any Codec
    private var scratch: [UInt8] = []

    init(codec: any Codec) { self.codec = codec }

    /// Appends `raw` as a block to `out`.
    mutating func append(_ raw: UnsafeRawBufferPointer, to out: inout DataOutput) throws(CodecError) {
        if raw.count >= 64 {
            scratch.removeAll(keepingCapacity: true)
            let n = try codec.compress(raw, appendingTo: &scratch)
            if n * 10 <= raw.count * 9 {
                out.writeVInt(UInt64(raw.count) << 1 | 1)
                out.writeVInt(n)
                out.writeBytes(scratch)
                return
            }
        }
        out.writeVInt(UInt64(raw.count) << 1)
        out.writeBytes(raw)
    }

    mutating func append(_ raw: [UInt8], to out: inout DataOutput) throws(CodecError) {
        let r: Result<Void, CodecError> = raw.withUnsafeBytes { p in Result { () throws(CodecError) in try append(p, to: &out) } }
        try r.get()
    }

    /// Reads a block at `input`'s position into `output` (replacing its contents).
    static func read(_ input: inout DataInput, codec: any Codec, into output: inout [UInt8], maxSize: Int = 1 << 28) throws(SegmentError) {
        do {
            let header = try input.readVInt()
            let rawLength = Int(truncatingIfNeeded: header >> 1)
            guard rawLength >= 0 && rawLength <= maxSize else {
                throw SegmentError.corrupt(file: input.file, reason: "block of \(header >> 1) bytes at offset \(input.position)")
            }
            if header & 1 == 0 {
                let raw = try input.readSlice(rawLength)
                output.removeAll(keepingCapacity: true)
                output.append(contentsOf: raw)
            } else {
                let stored = try input.readVInt(max: maxSize)
                let compressed = try input.readSlice(stored)
                if output.count != rawLength {
                    output.removeAll(keepingCapacity: true)
                    output.append(contentsOf: repeatElement(0, count: rawLength))
                }
                let r: Result<Void, CodecError> = output.withUnsafeMutableBytes { dst in
                    Result { () throws(CodecError) in try codec.decompress(compressed, into: dst) }
                }
                try r.get()
            }
        } catch let e as SegmentError {
            throw e
        } catch {
            throw SegmentError.wrap(error, file: input.file)
        }
    }

    /// Reads a block at `input`'s position into the start of `output`; returns its length.
    /// Throws when it does not fit.
    static func read(_ input: inout DataInput, codec: any Codec, into output: UnsafeMutableRawBufferPointer) throws(SegmentError) -> Int {
        do {
            let header = try input.readVInt()
            guard header >> 1 <= UInt64(output.count) else {
                throw SegmentError.corrupt(file: input.file, reason: "block of \(header >> 1) bytes at offset \(input.position)")
            }
            let rawLength = Int(header >> 1)
            let target = UnsafeMutableRawBufferPointer(rebasing: output[0..<rawLength])
            if header & 1 == 0 {
                let raw = try input.readSlice(rawLength)
                if rawLength > 0 { target.copyMemory(from: raw) }
            } else {
                let stored = try input.readVInt(max: output.count)
                try codec.decompress(try input.readSlice(stored), into: target)
            }
            return rawLength
        } catch let e as SegmentError {
            throw e
        } catch {
            throw SegmentError.wrap(error, file: input.file)
        }
    }

    /// Skips a block without decoding it.
    static func skip(_ input: inout DataInput) throws(StoreError) {
        let header = try input.readVInt()
        if header & 1 == 0 {
            _ = try input.readSlice(Int(truncatingIfNeeded: min(header >> 1, UInt64(Int32.max))))
        } else {
            let stored = try input.readVInt(max: 1 << 30)
            _ = try input.readSlice(stored)
        }
    }
}
