import Core

/// No compression: for data that does not compress, and for debugging formats.
public struct NoneCodec: Codec {
    public let name = "none"
    public let version = 1

    public init() {}

    public func maxCompressedSize(_ count: Int) -> Int { count }

    public func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws(CodecError) -> Int {
        output.append(contentsOf: input)
        return input.count
    }

    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CodecError) {
        guard input.count == output.count else {
            throw .corrupt(codec: name, reason: "stored \(input.count) bytes, expected \(output.count)")
        }
        if let src = input.baseAddress, let dst = output.baseAddress {
            dst.copyMemory(from: src, byteCount: input.count)
        }
    }
}
