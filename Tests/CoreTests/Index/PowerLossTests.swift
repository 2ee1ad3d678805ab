import Testing
@testable import Core

/// Power loss (the `SimulatedFileIO` double) at every write and fsync of a flush + commit, a
/// merge + commit, and a deletes-only commit: reopening must give exactly the previous or the
/// new commit, never an error, and exactly the new one when `commit` returned.
@Suite struct PowerLossTests {
    enum Scenario: String, CaseIterable, Sendable {
        case flushAndCommit, mergeAndCommit, deletesAndCommit
        /// Documents past a tiny RAM budget: flushed by background threads while indexing goes on.
        case backgroundFlushesAndCommit
    }

    /// The committed starting state: two segments, ids a0..a39.
    static func setUp(_ io: SimulatedFileIO, ram: Int = 64 << 20) throws -> IndexWriter {
        let writer = try TestIndex.open(io, options: TestIndex.options(ram: ram))
        for i in 0..<20 { try writer.add(TestIndex.document(id: "a\(i)", title: "t", body: "old alpha \(i)")) }
        try writer.refresh()
        for i in 20..<40 { try writer.add(TestIndex.document(id: "a\(i)", title: "t", body: "old beta \(i)")) }
        try writer.commit(lastAppliedLogIndex: 1)
        return writer
    }

    static func operation(_ scenario: Scenario, _ writer: IndexWriter) throws {
        switch scenario {
        case .flushAndCommit:
            for i in 0..<30 { try writer.add(TestIndex.document(id: "b\(i)", title: "t", body: "new gamma \(i)")) }
            try writer.delete(id: "a3")
        case .mergeAndCommit:
            try writer.delete(id: "a5")
            try writer.forceMerge(maxSegments: 1)
        case .deletesAndCommit:
            try writer.delete(id: "a1")
            try writer.delete(id: "a30")
        case .backgroundFlushesAndCommit:
            for i in 0..<300 { try writer.add(TestIndex.document(id: "b\(i)", title: "t", body: "new gamma words to fill the budget \(i)")) }
            try writer.delete(id: "a3")
        }
        try writer.commit(lastAppliedLogIndex: 2)
    }

    static func expectedIds(_ scenario: Scenario) -> (old: Set<String>, new: Set<String>) {
        let old = Set((0..<40).map { "a\($0)" })
        switch scenario {
        case .flushAndCommit: return (old, old.subtracting(["a3"]).union((0..<30).map { "b\($0)" }))
        case .mergeAndCommit: return (old, old.subtracting(["a5"]))
        case .deletesAndCommit: return (old, old.subtracting(["a1", "a30"]))
        case .backgroundFlushesAndCommit: return (old, old.subtracting(["a3"]).union((0..<300).map { "b\($0)" }))
        }
    }

    @Test(arguments: Scenario.allCases) func crashAtEveryStep(scenario: Scenario) throws {
        let ram = scenario == .backgroundFlushesAndCommit ? 8 << 10 : 64 << 20
        let counting = SimulatedFileIO()
        let w = try Self.setUp(counting, ram: ram)
        let before = counting.mutatingOperations
        try Self.operation(scenario, w)
        let steps = counting.mutatingOperations - before
        #expect(steps > 5)
        let (old, new) = Self.expectedIds(scenario)
        for n in 1...(steps + 1) {
            for seed in 0..<3 {
                let io = SimulatedFileIO(seed: UInt64(n * 7 + seed))
                let writer = try Self.setUp(io, ram: ram)
                io.failAfter(n)
                var completed = false
                do {
                    try Self.operation(scenario, writer)
                    completed = true
                } catch {}
                writer.close()
                io.powerLoss()
                do {
                    let reopened = try TestIndex.open(io)
                    let ids = try TestIndex.liveIds(reopened.snapshot())
                    let commit = reopened.lastCommit
                    if completed {
                        #expect(ids == new, "\(scenario) step \(n): completed commit lost")
                        #expect(commit.lastAppliedLogIndex == 2)
                    } else {
                        #expect(ids == old || ids == new, "\(scenario) step \(n) seed \(seed): \(ids.count) ids")
                        #expect(commit.lastAppliedLogIndex == (ids == new ? 2 : 1))
                    }
                    // The reopened index keeps working.
                    try reopened.add(TestIndex.document(id: "z", title: "t", body: "after"))
                    try reopened.commit(lastAppliedLogIndex: 3)
                    reopened.close()
                } catch {
                    Issue.record("\(scenario) step \(n) seed \(seed): reopen failed: \(error)")
                }
            }
        }
    }

    @Test func failedWritesAndFullDiskLeaveThePreviousCommitReadable() throws {
        for fault in [SimulatedFileIO.Operation.write, .sync, .rename, .syncDirectory, .open] {
            for errno: Int32 in [5, 28] {
                let io = SimulatedFileIO()
                let writer = try Self.setUp(io)
                for i in 0..<10 { try writer.add(TestIndex.document(id: "c\(i)", title: "t", body: "fresh")) }
                io.inject(SimulatedFileIO.Fault(operation: fault, errno: errno, once: true))
                #expect(throws: IndexError.self) { try writer.commit(lastAppliedLogIndex: 9) }
                // The previous commit is still the one on disk...
                let onDisk = try IndexWriter.lastCommit(in: IndexDirectory(fileIO: io, path: "/index"))
                #expect(onDisk?.lastAppliedLogIndex == 1, "\(fault) \(errno)")
                #expect(onDisk?.segments.count == 2)
                // ...and the writer recovers once the fault is gone.
                try writer.commit(lastAppliedLogIndex: 9)
                writer.close()
                let reopened = try TestIndex.open(io)
                #expect(try TestIndex.liveIds(reopened.snapshot()).count == 50, "\(fault) \(errno)")
                #expect(reopened.lastCommit.lastAppliedLogIndex == 9)
            }
        }
    }

    @Test func fullDiskDuringFlushIsAnErrorAndTheIndexStaysUsable() throws {
        let io = SimulatedFileIO()
        let writer = try Self.setUp(io)
        let used = try io.listDirectory("/index").reduce(0) { $0 + (try io.fileSize("/index/" + $1)) }
        io.setCapacity(used + 300)
        var rng = SplitMix64(seed: 3)
        for i in 0..<200 { try writer.add(TestIndex.document(id: "f\(i)", title: "t", body: TestIndex.randomText(&rng, words: 20))) }
        do {
            try writer.commit(lastAppliedLogIndex: 5)
            Issue.record("commit fit in 300 bytes")
        } catch {
            guard case .store(let e) = error else { Issue.record("unexpected \(error)"); return }
            #expect(e.isNoSpace)
        }
        io.setCapacity(nil)
        try writer.commit(lastAppliedLogIndex: 5)
        writer.close()
        #expect(try TestIndex.liveIds(TestIndex.open(io).snapshot()).count == 240)
    }
}
