import ArgumentParser
import Foundation

/// The bench corpus file's bytes, decompressed by `gzip -dc` when it is a .gz (reading and
/// decompressing are not part of any timed section).
enum CorpusFile {
    static func read(_ path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", path.hasSuffix(".gz") ? "gzip -dc \"$0\"" : "cat \"$0\"", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let raw = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("--corpus: cannot read \(path)") }
        return raw
    }
}
