import CLZ4
import Core

/// LZ4 block compression (liblz4): the default segment codec, chosen for decompression speed
/// (GB/s), since postings and stored fields are decoded on every query.
public struct LZ4Codec: Codec {
    public let name = "lz4"
    public let version = 1
    /// liblz4's acceleration: 1 is the default ratio; higher trades ratio for speed.
    public let acceleration: Int32

    public init(acceleration: Int32 = 1) {
        self.acceleration = acceleration
    }

    public func maxCompressedSize(_ count: Int) -> Int {
        Int(LZ4_compressBound(Int32(clamping: count)))
    }

    public func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws(CodecError) -> Int {
        guard input.count <= Int(LZ4_MAX_INPUT_SIZE) else {
            throw .failed(codec: name, reason: "input of \(input.count) bytes exceeds LZ4's limit")
        }
        let bound = maxCompressedSize(input.count)
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bound))
        let written = output.withUnsafeMutableBytes { out -> Int32 in
            let dst = out.baseAddress!.advanced(by: start).assumingMemoryBound(to: CChar.self)
            guard let src = input.baseAddress else { return 0 }
            return LZ4_compress_fast(src.assumingMemoryBound(to: CChar.self), dst, Int32(input.count), Int32(bound), acceleration)
        }
        guard written > 0 || input.isEmpty else {
            output.removeLast(bound)
            throw .failed(codec: name, reason: "LZ4_compress_fast returned \(written)")
        }
        output.removeLast(bound - Int(written))
        return Int(written)
    }

    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CodecError) {
        if output.isEmpty && input.isEmpty { return }
        guard let src = input.baseAddress, let dst = output.baseAddress,
              input.count <= Int(Int32.max), output.count <= Int(Int32.max) else {
            throw .corrupt(codec: name, reason: "empty input for \(output.count) expected bytes")
        }
        // LZ4_decompress_safe never reads past `input` nor writes past `output`, whatever the input.
        let produced = LZ4_decompress_safe(src.assumingMemoryBound(to: CChar.self), dst.assumingMemoryBound(to: CChar.self),
                                           Int32(input.count), Int32(output.count))
        guard produced == Int32(output.count) else {
            throw .corrupt(codec: name, reason: produced < 0 ? "malformed input" : "decoded \(produced) bytes, expected \(output.count)")
        }
    }
}
