import Core
import Foundation
import Testing

@Suite struct LocalFileIOTests {
    @Test func writesSyncsRenamesAndMaps() throws {
        let io = LocalFileIO()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cockatrice-localio-\(getpid())").path
        try io.removeTree(dir)
        try io.createDirectory(dir + "/a/b")
        let file = try io.openForWriting(dir + "/a/b/f.tmp", truncate: true)
        try file.write(Array("hello world".utf8))
        try file.sync()
        #expect(file.size == 11)
        try file.truncate(to: 5)
        try file.close()
        try io.rename(dir + "/a/b/f.tmp", to: dir + "/a/b/f")
        try io.syncDirectory(dir + "/a/b")
        #expect(try io.listDirectory(dir + "/a/b") == ["f"])
        let mapped = try io.readFile(dir + "/a/b/f")
        #expect(String(decoding: mapped.bytes, as: UTF8.self) == "hello")
        // The mapping outlives the file's name, as searches rely on during merges.
        try io.removeFile(dir + "/a/b/f")
        #expect(String(decoding: mapped.bytes, as: UTF8.self) == "hello")
        #expect(throws: StoreError.notFound(path: dir + "/a/b/f")) { try io.readFile(dir + "/a/b/f") }
        try io.removeTree(dir)
        #expect(!io.exists(dir))
    }
}
