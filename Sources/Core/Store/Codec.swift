/// A block compressor for segment data (postings blocks, positions, term-dictionary blocks,
/// stored-field chunks).
///
/// Segment files record the codec's name and version in their header and resolve it through
/// the registry on read, as Lucene does, so a segment written with a plugin codec says which
/// plugin it needs. Implementations must never read or write outside the buffers they are given,
/// whatever the input: a corrupt block is a `CodecError`, not a crash.
public protocol Codec: Sendable {
    /// The registry name written into segment headers.
    var name: String { get }
    /// The format version written beside the name; bump it when the encoded form changes.
    var version: Int { get }
    /// An upper bound of the compressed size of `count` input bytes.
    func maxCompressedSize(_ count: Int) -> Int
    /// Compresses `input` and appends the result to `output`; returns the number of bytes appended.
    func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws(CodecError) -> Int
    /// Decompresses `input` into `output`, which has exactly the original size (segments store
    /// it), and throws unless exactly `output.count` bytes came out.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CodecError)
}

extension Codec {
    /// Compresses `input` into a new array.
    public func compress(_ input: [UInt8]) throws(CodecError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(maxCompressedSize(input.count))
        let result: Result<Int, CodecError> = input.withUnsafeBytes { raw in
            Result { () throws(CodecError) -> Int in try compress(raw, appendingTo: &output) }
        }
        _ = try result.get()
        return output
    }

    /// Decompresses `input` whose original size is `originalSize` into a new array.
    public func decompress(_ input: [UInt8], originalSize: Int) throws(CodecError) -> [UInt8] {
        guard originalSize >= 0 else { throw .corrupt(codec: name, reason: "negative original size \(originalSize)") }
        var output = [UInt8](repeating: 0, count: originalSize)
        let result: Result<Void, CodecError> = input.withUnsafeBytes { src in
            output.withUnsafeMutableBytes { dst in
                Result { () throws(CodecError) in try decompress(src, into: dst) }
            }
        }
        try result.get()
        return output
    }
}

/// A codec failure. Decoding errors name the codec so a corruption report says what failed.
public enum CodecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input does not decode to the expected size.
    case corrupt(codec: String, reason: String)
    /// The compressor itself failed (out of memory, input too large).
    case failed(codec: String, reason: String)

    public var description: String {
        switch self {
        case .corrupt(let codec, let reason): "\(codec): corrupt or truncated block: \(reason)"
        case .failed(let codec, let reason): "\(codec): compression failed: \(reason)"
        }
    }
}
