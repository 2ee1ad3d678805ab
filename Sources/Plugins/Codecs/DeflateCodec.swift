import CDeflate
import Core

/// zlib (deflate) compression: slower than LZ4 but a better ratio, for data read rarely
/// (cold stored fields, snapshots) where size matters more than speed.
public struct DeflateCodec: Codec {
    public let name = "deflate"
    public let version = 1
    /// zlib level, 1 (fast) to 9 (small).
    public let level: Int32

    public init(level: Int32 = 6) {
        self.level = level
    }

    public func maxCompressedSize(_ count: Int) -> Int {
        Int(compressBound(uLong(count)))
    }

    public func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws(CodecError) -> Int {
        let bound = maxCompressedSize(input.count)
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bound))
        var written = uLongf(bound)
        let status = output.withUnsafeMutableBytes { out -> Int32 in
            let dst = out.baseAddress!.advanced(by: start).assumingMemoryBound(to: Bytef.self)
            let empty: [UInt8] = [0]
            return empty.withUnsafeBytes { fallback in
                let src = (input.baseAddress ?? fallback.baseAddress!).assumingMemoryBound(to: Bytef.self)
                return compress2(dst, &written, src, uLong(input.count), level)
            }
        }
        guard status == Z_OK else {
            output.removeLast(bound)
            throw .failed(codec: name, reason: "compress2 returned \(status)")
        }
        output.removeLast(bound - Int(written))
        return Int(written)
    }

    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CodecError) {
        guard let src = input.baseAddress else { throw .corrupt(codec: name, reason: "empty input") }
        var produced = uLongf(output.count)
        var consumed = uLong(input.count)
        // uncompress2 bounds both buffers and verifies the stream's Adler-32.
        let scratch: [UInt8] = [0]
        let status = scratch.withUnsafeBytes { fallback -> Int32 in
            let dst = UnsafeMutablePointer(mutating: (output.baseAddress ?? UnsafeMutableRawPointer(mutating: fallback.baseAddress!))
                .assumingMemoryBound(to: Bytef.self))
            return uncompress2(dst, &produced, src.assumingMemoryBound(to: Bytef.self), &consumed)
        }
        guard status == Z_OK else {
            throw .corrupt(codec: name, reason: status == Z_BUF_ERROR ? "output larger than \(output.count) bytes or input truncated" : "zlib status \(status)")
        }
        guard Int(consumed) == input.count else {
            throw .corrupt(codec: name, reason: "\(input.count - Int(consumed)) bytes after the end of the stream")
        }
        guard Int(produced) == output.count else {
            throw .corrupt(codec: name, reason: "decoded \(produced) bytes, expected \(output.count)")
        }
    }
}
