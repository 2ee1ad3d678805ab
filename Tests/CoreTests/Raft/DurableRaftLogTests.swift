import Testing
@testable import Core

/// The durable log over the file-I/O protocol, with simulated power loss.
@Suite struct DurableRaftLogTests {
    private func entries(_ range: ClosedRange<UInt64>, term: UInt64 = 1) -> [Entry] {
        range.map { Entry(term: term, index: $0, data: Array("entry \($0)".utf8)) }
    }

    @Test func reopenedLogHasWhatWasSynced() throws {
        let io = SimulatedFileIO(seed: 1)
        let log = try DurableRaftLog.open(directory: "/r", fileIO: io)
        log.save(hardState: HardState(term: 3, vote: 2, commit: 4), entries: entries(1...5))
        try log.sync()
        io.powerLoss()
        let reopened = try DurableRaftLog.open(directory: "/r", fileIO: io)
        #expect(reopened.initialState().0 == HardState(term: 3, vote: 2, commit: 4))
        #expect(try reopened.entries(1, 6, maxSize: .max) == entries(1...5))
    }

    @Test func groupCommitIsOneFsyncForManyEntries() throws {
        let io = SimulatedFileIO(seed: 1)
        let log = try DurableRaftLog.open(directory: "/r", fileIO: io)
        let before = log.syncCount
        log.save(hardState: HardState(term: 1), entries: entries(1...100))
        log.save(hardState: HardState(term: 1, commit: 100), entries: [])
        try log.sync()
        #expect(log.syncCount == before + 1)
    }

    @Test func conflictingSuffixIsReplacedAcrossReopen() throws {
        let io = SimulatedFileIO(seed: 1)
        let log = try DurableRaftLog.open(directory: "/r", fileIO: io, segmentSize: 200)
        log.save(hardState: HardState(term: 1), entries: entries(1...10))
        try log.sync()
        log.save(hardState: HardState(term: 2), entries: entries(6...7, term: 2))
        try log.sync()
        #expect(log.lastIndex == 7)
        io.powerLoss()
        let reopened = try DurableRaftLog.open(directory: "/r", fileIO: io, segmentSize: 200)
        #expect(reopened.lastIndex == 7)
        #expect(try reopened.term(5) == 1)
        #expect(try reopened.term(6) == 2)
        #expect(try reopened.term(7) == 2)
    }

    @Test func unsyncedTailIsLostOrTornButNeverCorruptsTheLog() throws {
        // Whatever the power loss does to the last unsynced write (drop, keep, cut, zero, flip a
        // bit), the log reopens to either the synced prefix or the prefix plus the new record.
        var outcomes: Set<UInt64> = []
        for seed in 0..<60 as Range<UInt64> {
            let io = SimulatedFileIO(seed: seed)
            let log = try DurableRaftLog.open(directory: "/r", fileIO: io)
            log.save(hardState: HardState(term: 1, commit: 0), entries: entries(1...3))
            try log.sync()
            log.save(hardState: HardState(term: 1, commit: 3), entries: entries(4...9))
            try log.writePending()
            io.powerLoss()
            let reopened = try DurableRaftLog.open(directory: "/r", fileIO: io)
            #expect(reopened.lastIndex == 3 || reopened.lastIndex == 9)
            #expect(try reopened.entries(1, reopened.lastIndex + 1, maxSize: .max) == entries(1...reopened.lastIndex))
            outcomes.insert(reopened.lastIndex)
            // The repaired log takes new writes and reopens cleanly.
            reopened.save(hardState: nil, entries: entries((reopened.lastIndex + 1)...(reopened.lastIndex + 1)))
            try reopened.sync()
            io.powerLoss()
            #expect(try DurableRaftLog.open(directory: "/r", fileIO: io).lastIndex == reopened.lastIndex)
        }
        #expect(outcomes == [3, 9])
    }

    @Test func corruptionBeforeTheTailIsAnErrorNamingFileAndOffset() throws {
        let io = SimulatedFileIO(seed: 1)
        let log = try DurableRaftLog.open(directory: "/r", fileIO: io)
        for i in 1...4 as ClosedRange<UInt64> {
            log.save(hardState: nil, entries: entries(i...i))
            try log.sync()
        }
        let path = try #require(log.segmentPaths.last)
        var bytes = try #require(io.contents(path))
        let damagedOffset = 40
        bytes[damagedOffset] ^= 0x10
        let file = try io.openForWriting(path, truncate: true)
        try file.write(bytes)
        try file.sync()
        let opened = Result { () throws(StoreError) in try DurableRaftLog.open(directory: "/r", fileIO: io) }
        switch opened {
        case .success:
            Issue.record("a corrupt record before the tail must not open")
        case .failure(.corrupt(let errorPath, let offset, _)):
            #expect(errorPath == path)
            #expect((offset ?? Int.max) <= damagedOffset)
        case .failure(let error):
            Issue.record("unexpected error \(error)")
        }
        // Nothing was deleted or reset.
        #expect(io.contents(path) == bytes)
    }

    /// Found by the node-level simulation (cockatrice-sim --node --seed-start 18): a segment
    /// that starts with an entry a later conflict replaced still needs the segment before it
    /// at replay (which holds that entry's predecessor), even once compaction passed every
    /// live entry of that older segment.
    @Test func compactionKeepsTheSegmentsThatReplacedEntriesNeedAtReplay() throws {
        let io = SimulatedFileIO(seed: 1)
        let log = try DurableRaftLog.open(directory: "/r", fileIO: io, segmentSize: 200)
        log.save(hardState: HardState(term: 1), entries: entries(1...8))
        try log.sync()
        // Past the segment size: entry 9 starts a new segment.
        log.save(hardState: nil, entries: entries(9...9))
        try log.sync()
        // A new leader replaces 5...9; the replacement lands in the new segment, after 9.
        log.save(hardState: HardState(term: 2, commit: 6), entries: entries(5...10, term: 2))
        try log.sync()
        try log.createSnapshot(index: 4, confState: ConfState(), data: [])
        try log.compact(to: 4)
        io.powerLoss()
        let reopened = try DurableRaftLog.open(directory: "/r", fileIO: io, segmentSize: 200)
        #expect(reopened.firstIndex == 5)
        #expect(try reopened.entries(5, 11, maxSize: .max) == entries(5...10, term: 2))
    }

    @Test func compactionDeletesSegmentsBehindTheSnapshot() throws {
        let io = SimulatedFileIO(seed: 1)
        let log = try DurableRaftLog.open(directory: "/r", fileIO: io, segmentSize: 100)
        for i in 1...30 as ClosedRange<UInt64> {
            log.save(hardState: HardState(term: 1, commit: i - 1), entries: entries(i...i))
            try log.sync()
        }
        let segmentsBefore = log.segmentPaths.count
        #expect(segmentsBefore > 5)
        try log.createSnapshot(index: 25, confState: ConfState(voters: [1], removed: [4]), data: [1, 2, 3])
        try log.compact(to: 25)
        #expect(log.firstIndex == 26)
        #expect(log.segmentPaths.count < segmentsBefore)
        #expect(try log.term(25) == 1)
        #expect(throws: RaftStorageError.compacted) { try log.term(24) }
        io.powerLoss()
        let reopened = try DurableRaftLog.open(directory: "/r", fileIO: io, segmentSize: 100)
        #expect(reopened.firstIndex == 26)
        #expect(reopened.lastIndex == 30)
        #expect(reopened.snapshot().data == [1, 2, 3])
        #expect(reopened.initialState().1 == ConfState(voters: [1], removed: [4]))
        #expect(reopened.initialState().0.commit == 29)
    }

    @Test func installedSnapshotReplacesTheLogAtEveryCrashPoint() throws {
        // Crash at each mutating operation of applySnapshot: the log reopens either as before
        // (old log, old snapshot) or as after (new snapshot, empty log), never a mix.
        let snapshot = Snapshot(metadata: SnapshotMetadata(index: 50, term: 4, confState: ConfState(voters: [1, 2])), data: [9])
        func prepare(_ io: SimulatedFileIO) throws -> DurableRaftLog {
            let log = try DurableRaftLog.open(directory: "/r", fileIO: io, segmentSize: 150)
            for i in 1...10 as ClosedRange<UInt64> {
                log.save(hardState: HardState(term: 2, vote: 1, commit: i - 1), entries: entries(i...i, term: 2))
                try log.sync()
            }
            return log
        }
        let counter = SimulatedFileIO(seed: 0)
        let log = try prepare(counter)
        let start = counter.mutatingOperations
        try log.applySnapshot(snapshot)
        let operations = counter.mutatingOperations - start
        #expect(operations > 3)
        for n in 1...(operations + 1) {
            let io = SimulatedFileIO(seed: UInt64(n))
            let log = try prepare(io)
            io.failAfter(n)
            _ = try? log.applySnapshot(snapshot)
            io.powerLoss()
            let reopened = try DurableRaftLog.open(directory: "/r", fileIO: io, segmentSize: 150)
            let (hardState, _) = reopened.initialState()
            #expect(hardState.term == 2 && hardState.vote == 1, "crash point \(n)")
            if reopened.snapshot().metadata.index == 50 {
                #expect(reopened.firstIndex == 51 && reopened.lastIndex == 50, "crash point \(n)")
            } else {
                #expect(reopened.lastIndex == 10 && reopened.firstIndex == 1, "crash point \(n)")
            }
        }
    }

    @Test func segmentsRotateAndReplayInOrder() throws {
        let io = SimulatedFileIO(seed: 3)
        let log = try DurableRaftLog.open(directory: "/r", fileIO: io, segmentSize: 64)
        for i in 1...20 as ClosedRange<UInt64> {
            log.save(hardState: HardState(term: 1, commit: i - 1), entries: entries(i...i))
            try log.sync()
        }
        #expect(log.segmentPaths.count > 3)
        io.powerLoss()
        let reopened = try DurableRaftLog.open(directory: "/r", fileIO: io, segmentSize: 64)
        #expect(try reopened.entries(1, 21, maxSize: .max) == entries(1...20))
        #expect(reopened.initialState().0.commit == 19)
    }

    @Test func raftNodeRestartsFromTheDurableLog() throws {
        let io = SimulatedFileIO(seed: 5)
        let log = try DurableRaftLog.open(directory: "/r", fileIO: io)
        log.save(hardState: RaftBootstrap.hardState(voters: [1]), entries: RaftBootstrap.entries(voters: [1]))
        try log.sync()
        let node = try RaftNode(config: RaftConfig(id: 1), storage: log)
        node.step(Message(type: .hup, from: 1))
        try node.propose([42])
        while node.hasReady {
            let ready = node.ready()
            log.save(hardState: ready.hardState, entries: ready.entries)
            try log.sync()
            node.advance(ready)
        }
        #expect(node.commitIndex == 3)
        io.powerLoss()
        let restarted = try RaftNode(config: RaftConfig(id: 1), storage: DurableRaftLog.open(directory: "/r", fileIO: io))
        #expect(restarted.term == node.term)
        #expect(restarted.commitIndex == 3)
        #expect(restarted.confState.voters == [1])
        let ready = restarted.ready()
        #expect(ready.committedEntries.last?.data == [42])
    }
}

extension DurableRaftLogTests {
    @Test func hardStateSurvivesCompactionOfEverySegmentBeforeARestart() throws {
        // A segment whose first record (the hard state) was torn away is left empty by the tail
        // repair; if writing resumed in it, compacting the older segments would lose the hard
        // state. Writing must resume in a new segment that starts with it.
        let io = SimulatedFileIO(seed: 9)
        var log = try DurableRaftLog.open(directory: "/r", fileIO: io)
        log.save(hardState: HardState(term: 7, vote: 3, commit: 0), entries: entries(1...4))
        try log.sync()
        try log.close()
        // The state a power loss can leave on a real disk: the next segment's name is durable,
        // its first record is not.
        let empty = try io.openForWriting("/r/wal-0000000000000009.log", truncate: true)
        try empty.sync()
        try io.syncDirectory("/r")
        log = try DurableRaftLog.open(directory: "/r", fileIO: io)
        for i in 5...12 as ClosedRange<UInt64> {
            log.save(hardState: nil, entries: entries(i...i))
            try log.sync()
        }
        try log.createSnapshot(index: 11, confState: ConfState(voters: [1]), data: [])
        try log.compact(to: 11)
        io.powerLoss()
        let reopened = try DurableRaftLog.open(directory: "/r", fileIO: io)
        #expect(reopened.initialState().0.term == 7)
        #expect(reopened.initialState().0.vote == 3)
        #expect(reopened.lastIndex == 12)
    }
}

/// Failures the durable log must not paper over (found in review).
@Suite struct DurableRaftLogFailureTests {
    private func entries(_ range: ClosedRange<UInt64>, term: UInt64 = 1) -> [Entry] {
        range.map { Entry(term: term, index: $0, data: Array("entry \($0)".utf8)) }
    }

    /// A record written but not fsynced survives a SIGKILL in the page cache; the restarted
    /// node trusts it, so opening must make it durable before a later power loss.
    @Test(arguments: 0..<20)
    func whatARestartReplaysIsMadeDurable(seed: Int) throws {
        let io = SimulatedFileIO(seed: UInt64(seed))
        let log = try DurableRaftLog.open(directory: "/r", fileIO: io)
        log.save(hardState: HardState(term: 1, commit: 3), entries: entries(1...3))
        try log.sync()
        log.save(hardState: nil, entries: entries(4...6))
        try log.writePending()
        io.processCrash()
        let restarted = try DurableRaftLog.open(directory: "/r", fileIO: io)
        #expect(restarted.lastIndex == 6)
        restarted.save(hardState: HardState(term: 1, commit: 6), entries: [])
        try restarted.sync()
        io.powerLoss()
        let reopened = try DurableRaftLog.open(directory: "/r", fileIO: io)
        #expect(reopened.lastIndex == 6)
        #expect(reopened.initialState().0.commit == 6)
    }

    /// A failed write must not let a retried sync report success for entries never written.
    @Test func aFailedWritePoisonsTheLogUntilReopened() throws {
        let io = SimulatedFileIO(seed: 3)
        let log = try DurableRaftLog.open(directory: "/r", fileIO: io)
        log.save(hardState: HardState(term: 1, commit: 3), entries: entries(1...3))
        try log.sync()
        log.save(hardState: nil, entries: entries(4...6))
        io.inject(.init(operation: .write, pathContains: "wal-", errno: 28))
        #expect(throws: StoreError.self) { try log.sync() }
        #expect(throws: StoreError.self) { try log.sync() }
        io.processCrash()
        let reopened = try DurableRaftLog.open(directory: "/r", fileIO: io)
        #expect(reopened.lastIndex == 3, "only what was written and synced is there")
    }

    @Test func aFailedFsyncPoisonsTheLog() throws {
        let io = SimulatedFileIO(seed: 4)
        let log = try DurableRaftLog.open(directory: "/r", fileIO: io)
        log.save(hardState: HardState(term: 1), entries: entries(1...2))
        io.inject(.init(operation: .sync, pathContains: "wal-", errno: 5))
        #expect(throws: StoreError.self) { try log.sync() }
        #expect(throws: StoreError.self) { try log.sync() }
    }
}
