import Testing
import Simulation

/// The checker itself: it must accept linearizable histories and reject the others.
@Suite struct LinearizabilityCheckerTests {
    typealias Op = LinearizabilityChecker.Operation
    let checker = LinearizabilityChecker()

    @Test func sequentialHistoryIsLinearizable() {
        let history = [
            Op(isWrite: true, value: 1, called: 1, returned: 2),
            Op(isWrite: false, value: 1, called: 3, returned: 4),
            Op(isWrite: true, value: 2, called: 5, returned: 6),
            Op(isWrite: false, value: 2, called: 7, returned: 8),
        ]
        #expect(checker.check(history) == .linearizable)
    }

    @Test func staleReadAfterAcknowledgedWriteIsNot() {
        let history = [
            Op(isWrite: true, value: 1, called: 1, returned: 2),
            Op(isWrite: false, value: 0, called: 3, returned: 4),
        ]
        #expect(checker.check(history) == .notLinearizable)
    }

    @Test func concurrentReadMaySeeEitherValue() {
        for seen: UInt64 in [0, 1] {
            let history = [
                Op(isWrite: true, value: 1, called: 1, returned: 4),
                Op(isWrite: false, value: seen, called: 2, returned: 3),
            ]
            #expect(checker.check(history) == .linearizable)
        }
    }

    @Test func readsMustNotGoBackInTime() {
        // Two reads after concurrent writes: once a read saw 2 (written after 1), a later read
        // cannot see 1 again.
        let history = [
            Op(isWrite: true, value: 1, called: 1, returned: 10),
            Op(isWrite: true, value: 2, called: 2, returned: 10),
            Op(isWrite: false, value: 1, called: 3, returned: 4),
            Op(isWrite: false, value: 2, called: 5, returned: 6),
            Op(isWrite: false, value: 1, called: 7, returned: 8),
        ]
        #expect(checker.check(history) == .notLinearizable)
    }

    @Test func unacknowledgedWriteMayOrMayNotTakeEffect() {
        let applied = [
            Op(isWrite: true, value: 5, called: 1, returned: nil),
            Op(isWrite: false, value: 5, called: 3, returned: 4),
        ]
        let lost = [
            Op(isWrite: true, value: 5, called: 1, returned: nil),
            Op(isWrite: false, value: 0, called: 3, returned: 4),
        ]
        let readBeforeItsCall = [
            Op(isWrite: false, value: 5, called: 1, returned: 2),
            Op(isWrite: true, value: 5, called: 3, returned: nil),
        ]
        #expect(checker.check(applied) == .linearizable)
        #expect(checker.check(lost) == .linearizable)
        #expect(checker.check(readBeforeItsCall) == .notLinearizable)
    }

    @Test func largeConcurrentHistoryIsCheckedWithinBudget() {
        // 60 overlapping writes and reads that each see the latest completed write.
        var history: [Op] = []
        var time = 0
        for i in 1...60 as ClosedRange<UInt64> {
            history.append(Op(isWrite: true, value: i, called: time, returned: time + 3))
            history.append(Op(isWrite: false, value: i, called: time + 4, returned: time + 5))
            time += 4
        }
        #expect(checker.check(history) == .linearizable)
    }
}
