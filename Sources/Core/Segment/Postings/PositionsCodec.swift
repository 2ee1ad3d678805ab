/// The payload of a positions chunk: the position deltas of a group of documents (each
/// document's first position relative to 0, the next ones to the previous), as 128-value
/// bit-packed groups (a bit-width byte, then the words) and a variable-byte remainder.
/// The chunk then goes through `BlockCompression`.
enum PositionsCodec {
    static func encode(_ deltas: UnsafeBufferPointer<UInt32>, into out: inout DataOutput) {
        var i = 0
        while i + 128 <= deltas.count {
            let group = UnsafeBufferPointer(rebasing: deltas[i..<i + 128])
            let bits = BitPacker.bitsNeeded(group)
            out.writeByte(UInt8(bits))
            BitPacker.pack(group, bits: bits, into: &out)
            i += 128
        }
        while i < deltas.count {
            out.writeVInt(UInt64(deltas[i]))
            i += 1
        }
    }

    /// Decodes `count` deltas from `raw` into `output` (replacing its contents).
    static func decode(_ raw: UnsafeRawBufferPointer, count: Int, into output: inout [UInt32], file: String) throws(SegmentError) {
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(count)
        var input = DataInput(raw, file: file)
        do {
            var done = 0
            while done + 128 <= count {
                let bits = Int(try input.readByte())
                guard bits <= 32 else { throw SegmentError.corrupt(file: file, reason: "position bit width \(bits)") }
                let n = BitPacker.byteCount(count: 128, bits: bits)
                let slice = try input.readSlice(n)
                let start = output.count
                output.append(contentsOf: repeatElement(0, count: 128))
                output.withUnsafeMutableBufferPointer { dst in
                    if let base = slice.baseAddress {
                        BitPacker.unpack(base, count: 128, bits: bits, into: dst.baseAddress! + start)
                    }
                }
                done += 128
            }
            while done < count {
                output.append(UInt32(truncatingIfNeeded: try input.readVInt()))
                done += 1
            }
        } catch let e as SegmentError {
            throw e
        } catch {
            throw SegmentError.wrap(error, file: file)
        }
    }
}
