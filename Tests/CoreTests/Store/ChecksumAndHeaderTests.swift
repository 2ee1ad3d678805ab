import Testing
@testable import Core

@Suite struct ChecksumTests {
    @Test func knownVectors() {
        #expect(Checksum.hash(UnsafeRawBufferPointer(start: nil, count: 0)) == 0xEF46_DB37_51D8_E999)
        let abc = Array("abc".utf8)
        #expect(abc.withUnsafeBytes { Checksum.hash($0) } == 0x44BC_2CF5_AD77_0999)
    }

    @Test func streamingEqualsOneShot() {
        var rng = SplitMix64(seed: 7)
        let data = (0..<1000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let whole = data.withUnsafeBytes { Checksum.hash($0) }
        for split in [0, 1, 7, 31, 32, 33, 64, 500, 999, 1000] {
            var c = Checksum()
            c.update(Array(data[0..<split]))
            c.update(Array(data[split...]))
            #expect(c.finalize() == whole)
        }
    }
}

@Suite struct FileHeaderTests {
    let header = FileHeader(kind: "postings", codecName: "lz4", codecVersion: 1, segment: "_0")

    func image() -> [UInt8] { IndexDirectory.fileImage(header: header, body: Array(repeating: 42, count: 100)) }

    @Test func roundTrip() throws {
        let file = ReadOnlyFile(path: "/x/_0.doc", copying: image())
        let (h, body) = try FileHeader.verify(file, kind: "postings", segment: "_0", checksum: true)
        #expect(h == header)
        #expect(body.count == 100)
    }

    @Test func everyFlippedBitIsCaught() {
        let good = image()
        for i in 0..<good.count {
            var bad = good
            bad[i] ^= 0x10
            let file = ReadOnlyFile(path: "/x/_0.doc", copying: bad)
            #expect(throws: StoreError.self) { try FileHeader.verify(file, kind: "postings", segment: "_0", checksum: true) }
        }
    }

    @Test func everyTruncationIsCaught() {
        let good = image()
        for n in 0..<good.count {
            let file = ReadOnlyFile(path: "/x/_0.doc", copying: Array(good[0..<n]))
            do {
                _ = try FileHeader.verify(file, kind: "postings", segment: "_0", checksum: false)
                Issue.record("truncation to \(n) accepted")
            } catch let StoreError.corrupt(path, _, _) {
                #expect(path == "/x/_0.doc")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func wrongKindOrSegmentIsRejected() {
        let file = ReadOnlyFile(path: "/x/_0.doc", copying: image())
        #expect(throws: StoreError.self) { try FileHeader.verify(file, kind: "terms", segment: "_0", checksum: true) }
        #expect(throws: StoreError.self) { try FileHeader.verify(file, kind: "postings", segment: "_1", checksum: true) }
    }

    @Test func atomicWriteSurvivesPowerLossAsOldOrNew() throws {
        for seed in 0..<20 {
            let io = SimulatedFileIO(seed: UInt64(seed))
            let dir = IndexDirectory(fileIO: io, path: "/d")
            try dir.create()
            try dir.atomicWrite("f", contents: [1, 2, 3])
            let before = io.mutatingOperations
            try dir.atomicWrite("f", contents: [4, 5, 6, 7])
            let steps = io.mutatingOperations - before
            for n in 1...steps {
                let io = SimulatedFileIO(seed: UInt64(seed * 100 + n))
                let dir = IndexDirectory(fileIO: io, path: "/d")
                try dir.create()
                try dir.atomicWrite("f", contents: [1, 2, 3])
                io.failAfter(n)
                _ = try? dir.atomicWrite("f", contents: [4, 5, 6, 7])
                io.powerLoss()
                let contents = io.contents("/d/f")
                #expect(contents == [1, 2, 3] || contents == [4, 5, 6, 7], "step \(n): \(String(describing: contents))")
            }
        }
    }
}
