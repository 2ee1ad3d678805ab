import ArgumentParser
import Core
import Foundation
import Plugins

/// `cockatrice-bench codec`: compression and decompression speed of each codec on real text
/// (the bench corpus), in the block sizes segments use.
struct CodecBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "codec", abstract: "MB/s of each codec on the corpus text.")

    @Option(help: "The corpus (.jsonl or .jsonl.gz).")
    var corpus: String = "../shared/bench/corpus.jsonl.gz"

    @Option(help: "Bytes of corpus text to use.")
    var bytes: Int = 32 << 20

    @Option(help: "Block size in bytes (segments compress blocks of about this size).")
    var block: Int = 16 << 10

    func run() throws {
        let data = try CorpusText.read(corpus, limit: bytes)
        guard !data.isEmpty else { throw ValidationError("--corpus: \(corpus) has no text") }
        var results: [String: Any] = ["engine": "cockatrice", "input_bytes": data.count, "block_bytes": block]
        let codecs: [any Codec] = [LZ4Codec(), DeflateCodec(), NoneCodec()]
        for codec in codecs {
            var blocks: [[UInt8]] = []
            var compressedBytes = 0
            let compressSeconds = try time {
                blocks.removeAll(keepingCapacity: true)
                compressedBytes = 0
                var offset = 0
                while offset < data.count {
                    let end = min(offset + block, data.count)
                    var out: [UInt8] = []
                    _ = try data[offset..<end].withUnsafeBytes { try codec.compress($0, appendingTo: &out) }
                    compressedBytes += out.count
                    blocks.append(out)
                    offset = end
                }
            }
            var output = [UInt8](repeating: 0, count: block)
            let decompressSeconds = try time {
                var offset = 0
                for compressed in blocks {
                    let size = min(block, data.count - offset)
                    try compressed.withUnsafeBytes { src in
                        try output.withUnsafeMutableBytes { dst in
                            try codec.decompress(src, into: UnsafeMutableRawBufferPointer(rebasing: dst[0..<size]))
                        }
                    }
                    offset += size
                }
            }
            let mb = Double(data.count) / 1_000_000
            results[codec.name] = [
                "compress_mb_per_s": (mb / compressSeconds).rounded(toPlaces: 1),
                "decompress_mb_per_s": (mb / decompressSeconds).rounded(toPlaces: 1),
                "ratio": (Double(compressedBytes) / Double(data.count)).rounded(toPlaces: 3),
            ]
        }
        let json = try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    /// The best of three runs, in seconds.
    private func time(_ body: () throws -> Void) throws -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}

/// Reads the title and text of the bench corpus as one byte string.
enum CorpusText {
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let raw = try CorpusFile.read(path)
        guard path.hasSuffix(".jsonl") || path.hasSuffix(".jsonl.gz") else {
            // Plain text: used as it is.
            return Array([UInt8](raw).prefix(limit))
        }
        var text: [UInt8] = []
        for line in raw.split(separator: UInt8(ascii: "\n")) where text.count < limit {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            for key in ["title", "text"] {
                if let value = object[key] as? String { text.append(contentsOf: value.utf8); text.append(10) }
            }
        }
        return Array(text.prefix(limit))
    }
}
