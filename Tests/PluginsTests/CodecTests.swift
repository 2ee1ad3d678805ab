import Core
import Foundation
import Plugins
import Testing

@Suite struct CodecTests {
    static let codecs: [any Codec] = [LZ4Codec(), DeflateCodec(), NoneCodec()]

    /// Real text: the project's own example documents (and this file), so the compressible case is
    /// exercised, not only random bytes.
    static func realText() throws -> [UInt8] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var bytes: [UInt8] = []
        for name in ["README.md", "conf/schema.yaml", "example/doc1.json", "Tests/PluginsTests/CodecTests.swift"] {
            if let data = FileManager.default.contents(atPath: root.appendingPathComponent(name).path) {
                bytes += [UInt8](data)
            }
        }
        #expect(bytes.count > 1000)
        return bytes
    }

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    @Test(arguments: codecs.map(\.name))
    func roundTripsRandomAndRealData(codecName: String) throws {
        let codec = try #require(Self.codecs.first { $0.name == codecName })
        var inputs: [[UInt8]] = [[], [42], try Self.realText()]
        for (i, size) in [1, 7, 128, 4096, 70_000].enumerated() {
            inputs.append(Self.randomBytes(size, seed: UInt64(i)))
            inputs.append([UInt8](repeating: UInt8(i), count: size))
        }
        for input in inputs {
            let compressed = try codec.compress(input)
            #expect(compressed.count <= codec.maxCompressedSize(input.count))
            let restored = try codec.decompress(compressed, originalSize: input.count)
            #expect(restored == input)
        }
    }

    @Test(arguments: ["lz4", "deflate"])
    func compressesRealText(codecName: String) throws {
        let codec = try #require(Self.codecs.first { $0.name == codecName })
        let text = try Self.realText()
        let compressed = try codec.compress(text)
        #expect(compressed.count < text.count * 3 / 4, "\(codecName) should compress text by more than 25%")
    }

    @Test(arguments: codecs.map(\.name))
    func truncatedInputIsATypedError(codecName: String) throws {
        let codec = try #require(Self.codecs.first { $0.name == codecName })
        let text = try Self.realText()
        let compressed = try codec.compress(text)
        for cut in [1, compressed.count / 2, compressed.count - 1] {
            #expect(throws: CodecError.self) {
                _ = try codec.decompress(Array(compressed.prefix(cut)), originalSize: text.count)
            }
        }
        // A wrong expected size is detected too, in both directions.
        #expect(throws: CodecError.self) { _ = try codec.decompress(compressed, originalSize: text.count + 1) }
        #expect(throws: CodecError.self) { _ = try codec.decompress(compressed, originalSize: text.count - 1) }
    }

    /// Flipped bytes and garbage never crash or write past the output: they decode to a typed
    /// error or (for a codec without a checksum) to some bytes of exactly the expected size.
    @Test(arguments: ["lz4", "deflate"])
    func corruptInputNeverCrashes(codecName: String) throws {
        let codec = try #require(Self.codecs.first { $0.name == codecName })
        let text = try Self.realText()
        let compressed = try codec.compress(text)
        var rng = SplitMix64(seed: 7)
        var errors = 0
        for _ in 0..<500 {
            var damaged = compressed
            let at = Int(rng.next() % UInt64(damaged.count))
            damaged[at] ^= UInt8(1) << UInt8(rng.next() % 8)
            if Self.decodeFails(codec, damaged, originalSize: text.count) { errors += 1 }
        }
        for seed in 0..<200 {
            let garbage = Self.randomBytes(Int(seed) % 300 + 1, seed: UInt64(seed) + 1000)
            if Self.decodeFails(codec, garbage, originalSize: 1000) { errors += 1 }
        }
        #expect(errors > 100)
        if codecName == "deflate" {
            // zlib checks the Adler-32 of the stream, so random garbage never decodes.
            #expect(errors >= 200)
        }
    }

    /// Decodes and reports whether it failed with a `CodecError`; a success must have exactly the
    /// expected size.
    static func decodeFails(_ codec: any Codec, _ input: [UInt8], originalSize: Int) -> Bool {
        let result = Result { () throws(CodecError) -> [UInt8] in try codec.decompress(input, originalSize: originalSize) }
        switch result {
        case .success(let out):
            #expect(out.count == originalSize)
            return false
        case .failure:
            return true
        }
    }

    @Test func registeredByName() throws {
        let registry = Registry()
        try BuiltinPlugins.register(into: registry)
        #expect(registry.names(of: .codec) == ["deflate", "lz4", "none"])
        let codec = try registry.make(.codec, name: "zlib", args: ComponentArgs(path: "codec"), path: "codec")
        #expect(codec.name == "deflate")
        #expect(throws: ConfigError.badValue(path: "codec.args.level", expected: "an integer from 1 to 9", got: "12")) {
            _ = try registry.make(.codec, name: "deflate", args: ComponentArgs(ConfigMap([("level", .int(12))]), path: "codec.args"), path: "codec")
        }
    }
}
