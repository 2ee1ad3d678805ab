@testable import Core
import Synchronization

/// A codec that copies bytes: segment tests that do not need the real LZ4. Named "none" it
/// reads what the built-in `none` codec wrote.
struct IdentityCodec: Codec {
    var name = "identity"
    let version = 1
    func maxCompressedSize(_ count: Int) -> Int { count }
    func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws(CodecError) -> Int {
        output.append(contentsOf: input)
        return input.count
    }
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CodecError) {
        guard input.count == output.count else { throw .corrupt(codec: name, reason: "size \(input.count) != \(output.count)") }
        if let src = input.baseAddress, let dst = output.baseAddress { dst.copyMemory(from: src, byteCount: input.count) }
    }
}

/// A run-length "codec" that really shrinks repetitive data, so the compressed-block paths run.
struct RunLengthCodec: Codec {
    let name = "rle"
    let version = 1
    func maxCompressedSize(_ count: Int) -> Int { count * 2 }
    func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws(CodecError) -> Int {
        let start = output.count
        var i = 0
        while i < input.count {
            var j = i
            while j < input.count && j - i < 255 && input[j] == input[i] { j += 1 }
            output.append(UInt8(j - i))
            output.append(input[i])
            i = j
        }
        return output.count - start
    }
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CodecError) {
        var o = 0
        var i = 0
        while i + 1 < input.count {
            let n = Int(input[i])
            guard o + n <= output.count else { throw .corrupt(codec: name, reason: "overflow") }
            for k in 0..<n { output[o + k] = input[i + 1] }
            o += n
            i += 2
        }
        guard o == output.count, i == input.count else { throw .corrupt(codec: name, reason: "size") }
    }
}

/// Lowercased runs of ASCII letters and digits (and any non-ASCII byte): enough analysis for
/// index tests without depending on the Analyzers module.
struct TestAnalyzer: Analyzer {
    func analyze(_ text: UnsafeBufferPointer<UInt8>, mode: AnalysisMode, into tokens: inout TokenBuffer, scratch: inout TokenBuffer) {
        tokens.removeAll()
        var position: Int32 = 0
        var i = 0
        func isWord(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b >= 128 }
        while i < text.count {
            while i < text.count && !isWord(text[i]) { i += 1 }
            guard i < text.count else { break }
            let start = i
            tokens.startTerm()
            while i < text.count && isWord(text[i]) {
                let b = text[i]
                tokens.appendTermByte(b >= 65 && b <= 90 ? b + 32 : b)
                i += 1
            }
            tokens.finishTerm(position: position, startOffset: Int32(start), endOffset: Int32(i))
            position += 1
        }
    }
}

enum TestIndex {
    static let codecs = CodecResolver(codecs: [IdentityCodec(), RunLengthCodec()])

    /// id (unique, stored), title and body (text with positions), tag (keyword), year (numeric).
    static func config() -> IndexConfig {
        let analyzer = TestAnalyzer()
        return IndexConfig(fields: [
            FieldConfig(name: "id", type: .id, stored: true, unique: true),
            FieldConfig(name: "title", type: .text, stored: true, positions: true, scorable: true, analyzer: analyzer),
            FieldConfig(name: "body", type: .text, positions: true, scorable: true, analyzer: analyzer),
            FieldConfig(name: "tag", type: .keyword, analyzer: analyzer),
            FieldConfig(name: "year", type: .numeric, numeric: NumericOptions()),
        ], idField: "id", defaultSearchField: "body")
    }

    static func document(id: String, title: String, body: String, tag: String? = nil, year: Int64? = nil) -> Document {
        var d = Document()
        d.add("id", .text(id))
        d.add("title", .text(title))
        d.add("body", .text(body))
        if let tag { d.add("tag", .keywords([tag])) }
        if let year { d.add("year", .int(year)) }
        return d
    }

    static let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
                        "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"]

    static func randomText(_ rng: inout SplitMix64, words count: Int) -> String {
        (0..<count).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
    }

    static func options(ram: Int = 64 << 20, merges: Bool = false) -> IndexWriterOptions {
        IndexWriterOptions(ramBudgetBytes: ram, refreshInterval: nil, mergePolicy: TieredMergePolicy(segmentsPerTier: 3, maxMergeAtOnce: 3, floorSegmentBytes: 1024),
                           maxConcurrentMerges: 1, backgroundMerges: merges)
    }

    static func open(_ io: any FileIO, path: String = "/index", codec: any Codec = IdentityCodec(), options: IndexWriterOptions = options()) throws -> IndexWriter {
        try IndexWriter.open(directory: IndexDirectory(fileIO: io, path: path), config: config(), codec: codec, codecs: codecs, options: options)
    }

    /// The live ids of a snapshot, read back from stored fields.
    static func liveIds(_ snapshot: IndexSnapshot) throws -> Set<String> {
        var ids = Set<String>()
        for s in snapshot.segments {
            for d in 0..<Int32(s.reader.maxDoc) where s.liveDocs.isLive(d) {
                for f in try s.reader.document(d) where f.name == "id" {
                    ids.insert(String(decoding: f.value.dropFirst().dropLast(), as: UTF8.self))
                }
            }
        }
        return ids
    }

    /// The live ids whose `field` contains `term`, through the term dictionary and postings.
    static func search(_ snapshot: IndexSnapshot, field: String, term: String) throws -> Set<String> {
        var ids = Set<String>()
        for s in snapshot.segments {
            guard var p = try s.reader.postings(field, term: Array(term.utf8)) else { continue }
            while true {
                let d = try p.next()
                if d == PostingsIterator.noMoreDocs { break }
                guard s.liveDocs.isLive(d) else { continue }
                for f in try s.reader.document(d) where f.name == "id" {
                    ids.insert(String(decoding: f.value.dropFirst().dropLast(), as: UTF8.self))
                }
            }
        }
        return ids
    }
}
