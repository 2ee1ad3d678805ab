import CDeflate
import Foundation

/// Reads a JSON-lines file, plain or gzip-compressed, one line at a time without loading the
/// file: imports are often larger than memory.
final class LineSource {
    let path: String
    /// The file's size on disk, for progress (compressed size for .gz).
    let fileSize: Int
    /// Bytes of the file consumed so far (compressed bytes for .gz).
    private(set) var bytesRead = 0
    /// 1-based number of the last line returned.
    private(set) var lineNumber = 0

    private let handle: FileHandle
    private var inflater: Inflater?
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var atEnd = false
    private static let chunkSize = 256 << 10

    init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.io("cannot open \(path)")
        }
        self.handle = handle
        fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if path.hasSuffix(".gz") {
            inflater = try Inflater()
        }
    }

    deinit {
        try? handle.close()
    }

    /// The next non-empty line (without its newline), or nil at the end of the file.
    func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = pending[pendingStart...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pendingStart..<newline]
                pendingStart = newline + 1
                lineNumber += 1
                if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                return line
            }
            if atEnd {
                guard pendingStart < pending.count else { return nil }
                let line = pending[pendingStart...]
                pendingStart = pending.count
                lineNumber += 1
                if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return nil }
                return line
            }
            // Compact what is left and read more.
            pending.removeFirst(pendingStart)
            pendingStart = 0
            try fill()
        }
    }

    private func fill() throws {
        let chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
        bytesRead += chunk.count
        if chunk.isEmpty {
            if let inflater, !inflater.finished {
                throw ImportError.io("\(path): truncated gzip stream")
            }
            atEnd = true
            return
        }
        if let inflater {
            try inflater.inflate([UInt8](chunk), into: &pending, path: path)
        } else {
            pending.append(contentsOf: chunk)
        }
    }
}

/// Streaming gzip decompression (zlib's inflate with gzip headers, several members allowed).
final class Inflater {
    private var stream = z_stream()
    private(set) var finished = false

    init() throws {
        // 15 + 32: a window of 32 KiB and automatic gzip/zlib header detection.
        let status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ImportError.io("zlib inflateInit2 failed (\(status))") }
    }

    deinit {
        inflateEnd(&stream)
    }

    func inflate(_ input: [UInt8], into output: inout [UInt8], path: String) throws {
        var input = input
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while stream.avail_in > 0 {
                if finished {
                    // Another gzip member follows (files made by `cat a.gz b.gz`).
                    inflateReset(&stream)
                    finished = false
                }
                let produced = try buffer.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = CDeflate.inflate(&stream, Z_NO_FLUSH)
                    switch status {
                    case Z_OK, Z_BUF_ERROR: break
                    case Z_STREAM_END: finished = true
                    default: throw ImportError.io("\(path): not a valid gzip file (zlib status \(status))")
                    }
                    return out.count - Int(stream.avail_out)
                }
                output.append(contentsOf: buffer[0..<produced])
                if produced == 0 && !finished && stream.avail_in > 0 && stream.avail_out > 0 {
                    throw ImportError.io("\(path): gzip stream makes no progress")
                }
            }
        }
    }
}

/// Why an import stopped.
enum ImportError: Error, CustomStringConvertible {
    case io(String)
    case badLine(line: Int, reason: String)
    case rejected(status: Int, body: String, firstLine: Int)
    case unavailable(String)

    var description: String {
        switch self {
        case .io(let message): message
        case .badLine(let line, let reason): "line \(line): \(reason)"
        case .rejected(let status, let body, let firstLine): "the server refused the batch starting at line \(firstLine) (HTTP \(status)): \(body)"
        case .unavailable(let message): message
        }
    }
}
