import Core
import Testing

/// The power-loss double must itself be right, or every crash test built on it proves nothing.
@Suite struct SimulatedFileIOTests {
    func write(_ io: SimulatedFileIO, _ path: String, _ text: String, sync: Bool) throws -> any WritableFile {
        let file = try io.openForWriting(path, truncate: false)
        try file.write(Array(text.utf8))
        if sync { try file.sync() }
        return file
    }

    func read(_ io: SimulatedFileIO, _ path: String) throws -> String {
        let file = try io.readFile(path)
        return String(decoding: file.bytes, as: UTF8.self)
    }

    @Test func syncedDataAndNamesSurvivePowerLoss() throws {
        let io = SimulatedFileIO(seed: 1)
        try io.createDirectory("/d")
        _ = try write(io, "/d/a", "durable", sync: true)
        try io.syncDirectory("/d")
        io.powerLoss()
        #expect(try read(io, "/d/a") == "durable")
    }

    @Test func aFileWhoseNameWasNeverSyncedDisappears() throws {
        let io = SimulatedFileIO(seed: 2)
        try io.createDirectory("/d")
        _ = try write(io, "/d/a", "data", sync: true)
        io.powerLoss()
        #expect(!io.exists("/d/a"))
        #expect(try io.listDirectory("/d").isEmpty)
    }

    @Test func unsyncedRenameAndDeleteAreUndone() throws {
        let io = SimulatedFileIO(seed: 3)
        try io.createDirectory("/d")
        _ = try write(io, "/d/old", "v1", sync: true)
        _ = try write(io, "/d/gone", "x", sync: true)
        try io.syncDirectory("/d")
        try io.rename("/d/old", to: "/d/new")
        try io.removeFile("/d/gone")
        #expect(try io.listDirectory("/d") == ["new"])
        io.powerLoss()
        #expect(try io.listDirectory("/d") == ["gone", "old"])
        #expect(try read(io, "/d/old") == "v1")
    }

    @Test func syncedRenameIsAtomicReplacement() throws {
        let io = SimulatedFileIO(seed: 4)
        try io.createDirectory("/d")
        _ = try write(io, "/d/commit", "old", sync: true)
        try io.syncDirectory("/d")
        _ = try write(io, "/d/commit.tmp", "new", sync: true)
        try io.rename("/d/commit.tmp", to: "/d/commit")
        try io.syncDirectory("/d")
        io.powerLoss()
        #expect(try io.listDirectory("/d") == ["commit"])
        #expect(try read(io, "/d/commit") == "new")
    }

    /// Over many seeds, an unsynced tail comes back in every form Lucene's mock produces, and the
    /// synced prefix always survives intact.
    @Test func unsyncedTailsAreDroppedKeptCutZeroedOrFlipped() throws {
        var seen: Set<String> = []
        for seed in 0..<200 {
            let io = SimulatedFileIO(seed: UInt64(seed))
            try io.createDirectory("/d")
            let file = try write(io, "/d/log", "SYNCED|", sync: true)
            try io.syncDirectory("/d")
            try file.write(Array("unsynced-tail".utf8))
            io.powerLoss()
            let after = try io.readFile("/d/log")
            let bytes = Array(after.bytes)
            #expect(bytes.starts(with: Array("SYNCED|".utf8)), "seed \(seed): the synced prefix was damaged")
            let tail = Array(bytes.dropFirst(7))
            let full = Array("unsynced-tail".utf8)
            if tail.isEmpty { seen.insert("dropped") }
            else if tail == full { seen.insert("kept") }
            else if tail.count < full.count && full.starts(with: tail) { seen.insert("cut") }
            else if tail.count == full.count && tail.contains(0) { seen.insert("zeroed") }
            else if tail.count == full.count && zip(tail, full).filter({ $0 != $1 }).count == 1 { seen.insert("flipped") }
            else { Issue.record("seed \(seed): unexpected tail \(tail)") }
        }
        #expect(seen == ["dropped", "kept", "cut", "zeroed", "flipped"])
    }

    @Test func failAfterStopsEveryLaterMutation() throws {
        let io = SimulatedFileIO(seed: 5)
        try io.createDirectory("/d")
        let file = try io.openForWriting("/d/f", truncate: false)
        io.failAfter(2)
        try file.write([1])
        #expect(throws: StoreError.self) { try file.sync() }
        #expect(throws: StoreError.self) { try file.write([2]) }
        #expect(throws: StoreError.self) { try io.syncDirectory("/d") }
        io.powerLoss()
        #expect(!io.exists("/d/f"))
        // After the simulated reboot the disk works again, and old handles are dead.
        #expect(throws: StoreError.self) { try file.write([3]) }
        _ = try write(io, "/d/g", "ok", sync: true)
    }

    @Test func injectedFaultsAndAFullDisk() throws {
        let io = SimulatedFileIO(seed: 6)
        try io.createDirectory("/d")
        io.inject(.init(operation: .sync, pathContains: "seg", errno: 5))
        let file = try write(io, "/d/seg1", "abc", sync: false)
        #expect(throws: StoreError.self) { try file.sync() }
        try file.sync()  // the fault fired once
        io.setCapacity(10)
        #expect {
            try file.write(Array("0123456789".utf8))
        } throws: { error in
            (error as? StoreError)?.isNoSpace == true
        }
    }

    @Test func removeTreeIsDurableOnlyAfterTheParentIsSynced() throws {
        let io = SimulatedFileIO(seed: 7)
        try io.createDirectory("/root/index")
        _ = try write(io, "/root/index/seg", "x", sync: true)
        try io.syncDirectory("/root/index")
        try io.removeTree("/root/index")
        #expect(!io.exists("/root/index/seg"))
        try io.syncDirectory("/root")
        io.powerLoss()
        #expect(!io.exists("/root/index/seg"))
    }
}
